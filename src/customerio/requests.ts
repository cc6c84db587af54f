/** The HTTP requests that carry operations to the Track API. */
import type { MetricsBody, Operation, V2Operation } from './operation.js';

export interface TrackRequest {
  method: 'POST';
  url: string;
  body: V2Operation | MetricsBody | { batch: V2Operation[] };
}

/** The Track API's paths, below the region's or endpoint's base URL. */
export const TRACK_PATHS = {
  entity: '/api/v2/entity',
  batch: '/api/v2/batch',
  metrics: '/api/v1/metrics',
} as const;

/** One operation on its own: `/api/v2/entity`, or `/api/v1/metrics` for a metric without a v2 form. */
export function singleRequest(operation: Operation, base: string): TrackRequest {
  const path = operation.endpoint === 'v2' ? TRACK_PATHS.entity : TRACK_PATHS.metrics;
  return { method: 'POST', url: base + path, body: operation.body };
}

/** Several v2 operations in one `/api/v2/batch` request. */
export function batchRequest(operations: readonly V2Operation[], base: string): TrackRequest {
  return { method: 'POST', url: base + TRACK_PATHS.batch, body: { batch: [...operations] } };
}

/** `Authorization` header value for the Track API (HTTP Basic, site ID as user, API key as password). */
export function authorizationHeader(siteId: string, apiKey: string): string {
  return `Basic ${Buffer.from(`${siteId}:${apiKey}`).toString('base64')}`;
}

/** Customer.io's size limits for v2 requests (bytes of the JSON body). */
export const TRACK_LIMITS = {
  /** One `/api/v2/entity` request, or one item of a batch. */
  operationBytes: 32 * 1024,
  /** One `/api/v2/batch` request. */
  batchBytes: 500_000,
  defaultBatchOperations: 100,
  maxBatchOperations: 1000,
} as const;
