/**
 * Turns a request body (a Buffer from the catch-all parser) into JSON, or into the refusal a client
 * should see: 413 over 500 KB (after decompression too), 415 for an encoding we cannot read, 400
 * for anything that is not JSON.
 *
 * Every content type is read as JSON: SDKs send application/json, browsers' `sendBeacon` sends
 * text/plain (a "simple" CORS request needs no preflight), and a few clients send nothing at all.
 * Refusing a JSON body because of its label would lose events for no benefit.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import { reject } from '../errors.js';
import { MAX_REQUEST_BYTES } from '../events/index.js';
import type { HttpFailure } from './responses.js';
import { httpFailure } from './responses.js';

export type BodyRead = { ok: true; value: unknown } | { ok: false; failure: HttpFailure };

export interface BodyHeaders {
  'content-encoding'?: string | string[] | undefined;
  'content-type'?: string | undefined;
}

export function readBody(raw: unknown, headers: BodyHeaders): BodyRead {
  const buffer = Buffer.isBuffer(raw) ? raw : undefined;
  if (buffer === undefined || buffer.length === 0) {
    return fail(400, 'empty_body', 'the request body is empty; send the event(s) as a JSON object');
  }
  const decoded = decode(buffer, headers['content-encoding']);
  if (!decoded.ok) return decoded;
  try {
    // Parsed once, here; everything downstream works on this value.
    return { ok: true, value: JSON.parse(decoded.bytes.toString('utf8')) };
  } catch (error) {
    const detail = withoutExcerpt(error instanceof Error ? error.message : String(error));
    const type = headers['content-type'];
    const label = type === undefined ? '' : ` (Content-Type: ${type.slice(0, 60)})`;
    return fail(400, 'invalid_json', `the request body is not valid JSON${label}: ${detail}`);
  }
}

/**
 * V8's JSON.parse message without its excerpt of the body (`Unexpected token 'w', ..."writeKey":wk_web_5f2"...
 * is not valid JSON`): the excerpt echoed part of a write key sent in the body (found by test/fuzz).
 */
function withoutExcerpt(message: string): string {
  return message.replace(/,\s*(\.\.\.)?".*$/s, '');
}

type Decoded = { ok: true; bytes: Buffer } | { ok: false; failure: HttpFailure };

/**
 * Synchronous on purpose: for a body of at most 500 KB, gunzipSync costs about a third of the CPU
 * of the async version (measured: ~100 µs vs ~290 µs for a 50 KB batch), which pays for several
 * thread-pool round trips, each waiting for a busy event loop; JSON.parse of the result is
 * synchronous and costs more anyway.
 */
function decode(buffer: Buffer, header: string | string[] | undefined): Decoded {
  const encoding = (Array.isArray(header) ? header.join(',') : (header ?? '')).trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return { ok: true, bytes: buffer };
  const inflater =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? gunzipSync
      : encoding === 'deflate'
        ? inflateSync
        : undefined;
  if (inflater === undefined) {
    return fail(
      415,
      'unsupported_encoding',
      `Content-Encoding ${JSON.stringify(encoding.slice(0, 40))} is not supported; send the body as is or with Content-Encoding: gzip`,
    );
  }
  try {
    // The output bound stops a small "zip bomb" from expanding into memory.
    return { ok: true, bytes: inflater(buffer, { maxOutputLength: MAX_REQUEST_BYTES }) };
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      return fail(413, 'body_too_large', tooLargeMessage('once decompressed'));
    }
    return fail(400, 'invalid_encoding', `the request body is not valid ${encoding} data`);
  }
}

/** The 413 sentence, for Fastify's own limit (compressed bytes) and for the decompressed size. */
export function tooLargeMessage(when: string): string {
  return `the request body is larger than ${MAX_REQUEST_BYTES} bytes (500 KB) ${when}; send fewer events per request`;
}

function fail(status: number, code: string, message: string): { ok: false; failure: HttpFailure } {
  return { ok: false, failure: httpFailure(status, reject(code, message)) };
}
