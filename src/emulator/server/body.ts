/**
 * Turns a raw request body into JSON, or into a clear 400 explaining why not. The server registers a
 * catch-all buffer parser instead of Fastify's JSON parser so that every content type, an empty
 * body, bad JSON and an oversize body all reach this one function and get our message.
 */
import type { V2Error } from './responses.js';

export type BodyRead = { ok: true; value: unknown; bytes: number } | { ok: false; error: V2Error };

export interface BodyRules {
  /** Largest accepted body in bytes. */
  maxBytes: number;
  /** Route name for messages, e.g. `/api/v2/entity`. */
  route: string;
  /** When false an absent or empty body reads as `undefined` (v1 DELETE, suppress, ...). */
  required: boolean;
}

export function readJsonBody(
  raw: Buffer | undefined,
  contentType: string | undefined,
  rules: BodyRules,
): BodyRead {
  const bytes = raw?.length ?? 0;
  if (bytes === 0) {
    if (!rules.required) return { ok: true, value: undefined, bytes };
    return fail('required', `the request body is empty; ${rules.route} expects a JSON object`);
  }
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return fail(
      'invalid',
      `Content-Type must be application/json (got ${contentType === undefined ? 'none' : JSON.stringify(contentType)})`,
      'content-type',
    );
  }
  if (bytes > rules.maxBytes) {
    return fail(
      'too_large',
      `the request body is ${bytes} bytes; ${rules.route} accepts at most ${rules.maxBytes} bytes`,
    );
  }
  try {
    return { ok: true, value: JSON.parse(raw!.toString('utf8')), bytes };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return fail('invalid', `the request body is not valid JSON: ${detail}`);
  }
}

function fail(reason: string, message: string, field = 'body'): BodyRead {
  return { ok: false, error: { reason, field, message } };
}

/** The serialised size of one parsed operation, which is what a sender measures against 32 KB. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}
