/**
 * Partial batch failures: one event in ten maps to an event name Customer.io refuses (over 100
 * bytes), so batches are answered 207 listing those items. Exactly those become dead letters
 * (`refused_item`); the rest of each batch is delivered once, not resent.
 */
import { expect } from 'vitest';
import { observe, settle } from '../observe.js';
import { type Scenario, startRun } from '../scenario.js';

const labelled = [
  {
    name: 'events',
    trigger: 'type = "track"',
    action: 'trackEvent',
    mapping: { name: { '@path': '$.properties.label' } },
  },
];

export const partialBatch: Scenario = {
  name: 'partial batch failures (207, 1 item in 10 refused)',
  stores: ['SQLite', 'PostgreSQL'],
  async run(store) {
    const { stack, ledger, admin } = await startRun(store, 'partial', {
      destination: { subscriptions: labelled },
      ledger: { decorate: (n) => ({ properties: { seq: n, label: n % 10 === 3 ? 'x'.repeat(150) : 'ok' } }) },
    });
    await ledger.send(8, 50);
    const recoveryMs = await settle(stack.emulator, admin, ledger, Date.now());
    const counts = await observe(stack.emulator, admin, ledger);
    expect(stack.emulator.stats().requests.byStatus['207']).toBeGreaterThan(0);
    expect(counts.deadLettered).toBe(40);
    expect(counts.deadReasons).toEqual({ refused_item: 40 });
    return { counts, recoveryMs, maxDuplicates: 0 };
  },
};
