import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/pipeline/delivery/index.js';

describe('rate limiter', () => {
  it('lets a second’s worth through, then spaces requests at the rate', () => {
    const limiter = new RateLimiter(10, 0);
    for (let i = 0; i < 10; i++) expect(limiter.take(0)).toBe(0);
    expect(limiter.take(0)).toBe(100);
    expect(limiter.take(100)).toBe(0);
  });

  it('sends nothing before Retry-After has elapsed, and halves the rate after a 429', () => {
    const limiter = new RateLimiter(100, 0);
    limiter.throttled(0, 2000);
    expect(limiter.requestsPerSecond).toBe(50);
    expect(limiter.take(1999)).toBe(1);
    expect(limiter.take(2000)).toBe(0);
  });

  it('wins the configured rate back after successes', () => {
    const limiter = new RateLimiter(100, 0);
    limiter.throttled(0, undefined);
    limiter.throttled(0, undefined);
    expect(limiter.requestsPerSecond).toBe(25);
    for (let i = 0; i < 20; i++) limiter.succeeded();
    expect(limiter.requestsPerSecond).toBe(100);
  });
});
