import { describe, expect, it } from 'vitest';
import type { RetryConfig } from '../../../src/config/types.js';
import { backoffMs, shouldGiveUp } from '../../../src/pipeline/delivery/index.js';

const retry: RetryConfig = {
  minBackoffMs: 1000,
  maxBackoffMs: 300_000,
  maxAgeMs: 4 * 3_600_000,
  minAttempts: 3,
};

describe('retry policy', () => {
  it('doubles from 1 s with jitter between half and all of the delay', () => {
    expect(backoffMs(1, retry, () => 0)).toBe(500);
    expect(backoffMs(1, retry, () => 0.999_999)).toBe(1000);
    expect(backoffMs(3, retry, () => 0.5)).toBe(3000);
  });

  it('never waits longer than maxBackoffMs', () => {
    expect(backoffMs(40, retry, () => 0.999_999)).toBe(300_000);
  });

  it('gives up only after 4 hours AND at least 3 attempts', () => {
    const first = 0;
    const fourHours = 4 * 3_600_000;
    expect(shouldGiveUp(10, first, fourHours - 1, retry)).toBe(false);
    expect(shouldGiveUp(2, first, fourHours * 2, retry)).toBe(false);
    expect(shouldGiveUp(3, first, fourHours, retry)).toBe(true);
  });
});
