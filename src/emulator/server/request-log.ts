/**
 * The last N API requests as received (for `GET /_emulator/requests`), in a fixed-size ring so a
 * long run keeps bounded memory. Credentials are redacted before a request is stored, so neither
 * the inspection API nor a snapshot can ever leak them.
 */

export interface RecordedRequest {
  /** Sequence number since start (or reset). */
  seq: number;
  /** ISO 8601 time the request arrived. */
  time: string;
  method: string;
  /** Path with query string, as sent. */
  path: string;
  /** Response status; `null` when the connection was dropped or left hanging by a fault. */
  status: number | null;
  /** Set when an injected fault decided the answer: `drop`, `hang`, `rate_limited`, `error`. */
  fault?: string;
  headers: Record<string, string>;
  /** The raw body as UTF-8 text (`null` if none was read), cut at `BODY_CAP` bytes. */
  body: string | null;
  bodyBytes: number;
  bodyTruncated?: true;
  /** What the emulator answered (parsed JSON when it was JSON). */
  response?: unknown;
  durationMs: number;
}

export const REDACTED = '[REDACTED]';
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key']);
/** Bodies are kept up to this size; a 500 KB batch is still counted in `bodyBytes`. */
export const BODY_CAP = 64 * 1024;

export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    // Keep the scheme (`Basic`) so a wrong-scheme client is still debuggable, drop the secret.
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? redactCredential(text) : text;
  }
  return out;
}

function redactCredential(value: string): string {
  const scheme = /^\s*([A-Za-z]+)\s+\S/.exec(value)?.[1];
  return scheme ? `${scheme} ${REDACTED}` : REDACTED;
}

export function bodyText(
  raw: Buffer | undefined,
): Pick<RecordedRequest, 'body' | 'bodyBytes' | 'bodyTruncated'> {
  if (raw === undefined) return { body: null, bodyBytes: 0 };
  if (raw.length <= BODY_CAP) return { body: raw.toString('utf8'), bodyBytes: raw.length };
  return { body: raw.subarray(0, BODY_CAP).toString('utf8'), bodyBytes: raw.length, bodyTruncated: true };
}

export interface RequestLog {
  add(entry: Omit<RecordedRequest, 'seq'>): void;
  /** Newest first; at most `limit`. */
  list(limit?: number): RecordedRequest[];
  clear(): void;
  readonly capacity: number;
}

export function createRequestLog(capacity: number): RequestLog {
  const ring: (RecordedRequest | undefined)[] = new Array(capacity);
  let seq = 0;
  return {
    capacity,
    add(entry) {
      if (capacity === 0) return;
      seq += 1;
      ring[seq % capacity] = { seq, ...entry };
    },
    list(limit = capacity) {
      const out: RecordedRequest[] = [];
      for (let s = seq; s > 0 && s > seq - capacity && out.length < limit; s -= 1) {
        const entry = ring[s % capacity];
        if (entry) out.push(entry);
      }
      return out;
    },
    clear() {
      ring.fill(undefined);
      seq = 0;
    },
  };
}
