/**
 * The HTTP client for one destination's Track API: a keep-alive undici pool holding the
 * destination's credentials. Errors say which host failed and how, never the credentials.
 */
import { errors, Pool } from 'undici';
import type { DestinationConfig } from '../config/types.js';
import { authorizationHeader, type TrackResponse } from '../customerio/index.js';
import { type TrackTransport, TransportError } from '../pipeline/delivery/index.js';

const USER_AGENT = 'cio-relay';

export function createTrackClient(destination: DestinationConfig): TrackTransport {
  const origin = new URL(destination.base).origin;
  const pool = new Pool(origin, {
    connections: destination.concurrency,
    pipelining: 1,
    keepAliveTimeout: 30_000,
  });
  const headers = {
    authorization: authorizationHeader(destination.siteId, destination.apiKey),
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
  };

  return {
    async post(url: string, body: string, timeoutMs: number): Promise<TrackResponse> {
      const path = url.startsWith(origin) ? url.slice(origin.length) : new URL(url).pathname;
      try {
        const response = await pool.request({
          method: 'POST',
          path,
          headers,
          body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const retryAfter = response.headers['retry-after'];
        return {
          status: response.statusCode,
          retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
          body: await response.body.text(),
        };
      } catch (error) {
        throw transportError(error, origin, timeoutMs);
      }
    },
    async close(): Promise<void> {
      await pool.close();
    },
  };
}

function transportError(error: unknown, origin: string, timeoutMs: number): TransportError {
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
    return new TransportError('timeout', `no answer from ${origin} within ${timeoutMs} ms`);
  }
  const code = (error as { code?: string }).code;
  const reason = code ?? (error as Error).message ?? String(error);
  return new TransportError('network', `cannot reach ${origin}: ${reason}`);
}
