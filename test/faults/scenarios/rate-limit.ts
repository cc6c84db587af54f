/**
 * 429 storms: for a few seconds most requests are answered 429, with `Retry-After` (the relay must
 * wait that long) or without it (the relay backs off on its own). Nothing is applied by a 429, so
 * nothing may arrive twice.
 */
import { expect } from 'vitest';
import type { FaultSettings } from '../../../src/emulator/index.js';
import { observe, settle } from '../observe.js';
import { type Scenario, sleep, startRun } from '../scenario.js';

function storm(name: string, prefix: string, faults: FaultSettings): Scenario {
  return {
    name,
    stores: ['SQLite', 'PostgreSQL'],
    async run(store) {
      const { stack, ledger, admin } = await startRun(store, prefix, { faults });
      const load = ledger.run(2, 25, 100, 600);
      await sleep(2500);
      await load.stop();
      expect(stack.emulator.stats().faults.rateLimited).toBeGreaterThan(0);
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
