import { describe, expect, it } from 'vitest';
import { createThrottle } from '../../src/server/log-throttle.js';

describe('createThrottle', () => {
  it('lets one line through per interval and counts the ones it held back', () => {
    let now = 0;
    const throttle = createThrottle(1000, () => now);
    expect(throttle()).toEqual({ log: true, suppressed: 0 });
    now = 10;
    expect(throttle()).toEqual({ log: false });
    now = 999;
    expect(throttle()).toEqual({ log: false });
    now = 1000;
    expect(throttle()).toEqual({ log: true, suppressed: 2 });
    now = 5000;
    expect(throttle()).toEqual({ log: true, suppressed: 0 });
  });
});
