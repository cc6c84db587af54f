/**
 * A token bucket: `ratePerSecond` tokens flow in continuously, up to `capacity`; each request takes
 * one. It models Customer.io's fair-use request rate (documented as 100 requests/s in older docs,
 * 1000 in newer ones): short bursts pass, a sustained excess is refused with a `Retry-After` hint.
 */
export interface TokenBucket {
  /** Take one token at `nowMs`. Returns 0 when granted, else the milliseconds until one is available. */
  take(nowMs: number): number;
}

export function createTokenBucket(ratePerSecond: number, capacity: number, startMs: number): TokenBucket {
  let tokens = capacity;
  let last = startMs;
  return {
    take(nowMs: number): number {
      // A clock that steps backwards (an injected `now`) must not drain or overfill the bucket.
      const elapsed = Math.max(0, nowMs - last);
      last = Math.max(last, nowMs);
      tokens = Math.min(capacity, tokens + (elapsed * ratePerSecond) / 1000);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - tokens) * 1000) / ratePerSecond);
    },
  };
}
