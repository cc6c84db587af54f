/**
 * What a Track API answer means for the operations it carried. Customer.io answers a v2 batch with
 * 200 `{}` when every item applied, or 207 (sometimes 200) `{errors:[{batch_index, reason, field,
 * message}]}` naming the items it refused; those items, and only those, failed.
 */

export type ResponseClass =
  /** Everything delivered except `failedItems` (batch index → why it was refused). */
  | { kind: 'delivered'; failedItems: Map<number, string> }
  /** Worth trying again later: 408, 429, 5xx. `retryAfterMs` from a `Retry-After` header. */
  | { kind: 'retry'; reason: string; retryAfterMs: number | undefined }
  /** A wrong site ID or API key: stop the destination until an operator fixes it. */
  | { kind: 'pause'; reason: string }
  /** The request itself is refused (other 4xx): trying again would fail the same way. */
  | { kind: 'refused'; reason: string };

export interface TrackResponse {
  status: number;
  /** The `Retry-After` header, if any. */
  retryAfter?: string | undefined;
  body: string;
}

export function classifyResponse(response: TrackResponse, now: number = Date.now()): ResponseClass {
  const { status } = response;
  if (status >= 200 && status < 300) return { kind: 'delivered', failedItems: itemErrors(response.body) };
  const reason = `Customer.io answered ${status}${describeBody(response.body)}`;
  if (status === 401 || status === 403) {
    return {
      kind: 'pause',
      reason: `${reason}: check the destination's siteId and apiKey, then resume it`,
    };
  }
  if (status === 408 || status === 429 || status >= 500) {
    return { kind: 'retry', reason, retryAfterMs: parseRetryAfter(response.retryAfter, now) };
  }
  return { kind: 'refused', reason };
}

/** `Retry-After` as delay-seconds or an HTTP date, in milliseconds from `now`; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function itemErrors(body: string): Map<number, string> {
  const failed = new Map<number, string>();
  if (!body.includes('batch_index')) return failed;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return failed;
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return failed;
  for (const error of errors) {
    if (typeof error !== 'object' || error === null) continue;
    const { batch_index: index, reason, field, message } = error as Record<string, unknown>;
    if (typeof index !== 'number') continue;
    const parts = [reason, field && `field ${field}`, message].filter((p) => typeof p === 'string' && p);
    const text = parts.join(': ') || 'refused by Customer.io';
    failed.set(index, failed.has(index) ? `${failed.get(index)}; ${text}` : text);
  }
  return failed;
}

/** The start of an error body, enough to see what Customer.io said. */
function describeBody(body: string): string {
  const text = body.trim();
  if (text === '' || text === '{}') return '';
  return `: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
}
