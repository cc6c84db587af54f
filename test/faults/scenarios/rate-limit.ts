/**
 * 429 storms: for a few seconds most requests are answered 429, with `Retry-After` (the relay must
 * wait that long) or without it (the relay backs off on its own). Nothing is applied by a 429, so
 * nothing may arrive twice.
 */
import { expect } from 'vitest';
import type { Emulator, FaultSettings } from '../../../src/emulator/index.js';
import { observe, settle } from '../observe.js';
import { type Scenario, sleep, startRun } from '../scenario.js';

/**
 * A request that arrives this soon after a 429 may have left before the relay read the 429: four
 * run at once, a PostgreSQL relay asks the database for a shared token before sending, and the
 * emulator shares its event loop with the relay on a busy machine. A relay that ignores the header
 * still shows: its own backoff (20 ms doubling to 400 ms here) sends several times within the second.
 */
const IN_FLIGHT_MS = 400;

/**
 * Requests (arrival, ms after the answer) that came after a 429 with `Retry-After: seconds` and
 * before it elapsed, leaving out those that may have been in flight: none if the relay honours it.
 */
export function sentDuringRetryAfter(emulator: Emulator, seconds: number): number[] {
  const requests = emulator.requests().reverse(); // oldest first
  const early: number[] = [];
  for (const [i, request] of requests.entries()) {
    if (request.status !== 429) continue;
    const answeredAt = Date.parse(request.time) + request.durationMs;
    for (const later of requests.slice(i + 1)) {
      const after = Date.parse(later.time) - answeredAt;
      if (after >= IN_FLIGHT_MS && after < seconds * 1000) early.push(after);
    }
  }
  return early;
}

function storm(name: string, prefix: string, faults: FaultSettings): Scenario {
  return {
    name,
    stores: ['SQLite', 'PostgreSQL'],
    async run(store) {
      const { stack, ledger, admin } = await startRun(store, prefix, { faults });
      const load = ledger.run(2, 25, 100, 600);
      await sleep(2500);
      await load.stop();
      expect(stack.emulator.stats().faults.rateLimited).toBeGreaterThan(1);
      if (faults.retryAfterSeconds !== undefined) {
        expect(
          sentDuringRetryAfter(stack.emulator, faults.retryAfterSeconds),
          'sent before Retry-After',
        ).toEqual([]);
      }
      stack.emulator.setFaults({});
      const recoveryMs = await settle(stack.emulator, admin, ledger, Date.now());
      return { counts: await observe(stack.emulator, admin, ledger), recoveryMs, maxDuplicates: 0 };
    },
  };
}

export const stormWithRetryAfter = storm('429 storm with Retry-After: 1', 'storm', {
  rateLimitRate: 0.8,
  retryAfterSeconds: 1,
  seed: 3,
});

export const stormWithoutRetryAfter = storm('429 storm without Retry-After', 'bare429', {
  rateLimitRate: 0.8,
  omitRetryAfter: true,
  seed: 3,
});
