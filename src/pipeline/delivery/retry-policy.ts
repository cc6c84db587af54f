/**
 * When to try again and when to give up. Exponential backoff with jitter (so that many failed jobs
 * do not come back at the same instant), bounded by `maxBackoffMs`; a job is abandoned only when
 * its first attempt is older than `maxAgeMs` AND it has had `minAttempts` attempts, RudderStack's
 * rule: a short outage never kills events, and a long one still gives each event several chances.
 */
import type { RetryConfig } from '../../config/types.js';

/** Wait before attempt `attempt + 1`, after `attempt` (≥ 1) failed attempts. `random` in [0, 1). */
export function backoffMs(attempt: number, retry: RetryConfig, random: () => number = Math.random): number {
  const exponential = retry.minBackoffMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30);
  const capped = Math.min(retry.maxBackoffMs, exponential);
  // "Equal jitter": at least half the delay, so backoff still grows; the rest is random.
  return Math.round(capped / 2 + (capped / 2) * random());
}

export function shouldGiveUp(
  attempts: number,
  firstAttemptAt: number | null,
  now: number,
  retry: RetryConfig,
): boolean {
  return attempts >= retry.minAttempts && firstAttemptAt !== null && now - firstAttemptAt >= retry.maxAgeMs;
}
