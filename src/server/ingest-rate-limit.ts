/**
 * Per-write-key request rate limits (`sources[].rateLimit`): a token bucket per source, in this
 * process (each relay behind a load balancer counts its own requests). A request over the limit is
 * answered 429 with Retry-After before its body is parsed. Not every SDK waits that long: Segment's
 * Node SDK honours Retry-After, RudderStack's too (3 retries), Customer.io's retries 3
 * times within about a second and then drops the batch (test/sdk/node-sdks.test.ts). So the limit
 * guards against a runaway client; it is not a way to smooth normal peaks.
 */
import type { SourceConfig } from '../config/types.js';
import { reject } from '../errors.js';
import type { HttpFailure } from './responses.js';
import { httpFailure } from './responses.js';

export interface RateLimited extends HttpFailure {
  /** Whole seconds, for the Retry-After header. */
  retryAfterSeconds: number;
}

/** undefined when the source's request may go on, else the 429 to answer. */
export type IngestLimiter = (source: string, now: number) => RateLimited | undefined;

export function createIngestLimiter(sources: readonly SourceConfig[]): IngestLimiter {
  const buckets = new Map<string, Bucket>();
  sources.forEach((source, index) => {
    if (source.rateLimit) buckets.set(source.name, new Bucket(source.rateLimit, `sources[${index}]`));
  });
  return (source, now) => buckets.get(source)?.take(source, now);
}

class Bucket {
  private tokens: number;
  private last: number | undefined;

  constructor(
    private readonly limit: { requestsPerSecond: number; burst: number },
    private readonly path: string,
  ) {
    this.tokens = limit.burst;
  }

  take(source: string, now: number): RateLimited | undefined {
    // A clock that steps backwards must not drain or overfill the bucket.
    const elapsed = this.last === undefined ? 0 : Math.max(0, now - this.last);
    this.last = Math.max(this.last ?? now, now);
    const { requestsPerSecond, burst } = this.limit;
    this.tokens = Math.min(burst, this.tokens + (elapsed * requestsPerSecond) / 1000);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - this.tokens) / requestsPerSecond));
    const message = `source "${source}" sent more than ${requestsPerSecond} requests per second (${this.path}.rateLimit); retry after ${retryAfterSeconds} s, send fewer, larger batches, or raise the limit`;
    return { ...httpFailure(429, reject('rate_limited', message)), retryAfterSeconds };
  }
}
