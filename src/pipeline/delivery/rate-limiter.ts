/**
 * Requests per second for one destination: a token bucket at the configured rate that slows down
 * when Customer.io answers 429 (multiplicative decrease) and speeds up again with each success
 * (additive increase), and that sends nothing at all before a `Retry-After` has elapsed.
 */
export class RateLimiter {
  private rate: number;
  private tokens: number;
  private refilledAt: number;
  private blockedUntil = 0;

  constructor(
    private readonly configuredRate: number,
    now: number,
  ) {
    this.rate = configuredRate;
    this.tokens = this.burst;
    this.refilledAt = now;
  }

  /** Requests per second currently allowed. */
  get requestsPerSecond(): number {
    return this.rate;
  }

  /** Earliest time a request may start if the bucket were otherwise full (a `Retry-After`). */
  get notBefore(): number {
    return this.blockedUntil;
  }

  /** Milliseconds to wait before a request may start; 0 means take it now (a token is used). */
  take(now: number): number {
    if (now < this.blockedUntil) return this.blockedUntil - now;
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.tokens) / this.rate) * 1000));
  }

  /** A 429: halve the rate, and wait `retryAfterMs` (if given) before anything else goes out. */
  throttled(now: number, retryAfterMs: number | undefined): void {
    this.refill(now);
    this.rate = Math.max(this.minimumRate, this.rate / 2);
    this.tokens = Math.min(this.tokens, 0);
    if (retryAfterMs !== undefined) this.blockedUntil = Math.max(this.blockedUntil, now + retryAfterMs);
  }

  /** A request went through: win back a twentieth of the configured rate. */
  succeeded(): void {
    if (this.rate < this.configuredRate) {
      this.rate = Math.min(this.configuredRate, this.rate + this.configuredRate / 20);
    }
  }

  private get burst(): number {
    return Math.max(1, this.rate);
  }

  private get minimumRate(): number {
    return Math.min(1, this.configuredRate);
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.refilledAt) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.rate);
    this.refilledAt = now;
  }
}
