/**
 * At most one log line per interval for a failure that repeats on every request (a store that
 * cannot commit answers each of hundreds of requests per second with 503): the first is logged at
 * once, later ones are counted and the count rides on the next line logged.
 */
export type Throttle = () => { log: true; suppressed: number } | { log: false };

export function createThrottle(intervalMs: number, clock: () => number = () => performance.now()): Throttle {
  let last = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return () => {
    const now = clock();
    if (now - last < intervalMs) {
      suppressed++;
      return { log: false };
    }
    last = now;
    const count = suppressed;
    suppressed = 0;
    return { log: true, suppressed: count };
  };
}
