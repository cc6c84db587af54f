/**
 * Customer.io down (every request 503) for a long, time-compressed outage: backoffs are capped at
 * 400 ms, so seconds stand for hours. Within the retry window everything is delivered once it is
 * back; past the window (`maxAgeHours` of about 1 s here) the events become dead letters with the
 * reason, and a replay delivers them.
 */
import { expect } from 'vitest';
import { waitFor } from '../../relay/stack.js';
import { deadLetters, observe, settle } from '../observe.js';
import { type Scenario, sleep, startRun } from '../scenario.js';

export const outage: Scenario = {
  name: 'destination down (503) for a compressed long outage',
  stores: ['SQLite', 'PostgreSQL'],
  async run(store) {
    const { stack, ledger, admin } = await startRun(store, 'outage', {
      faults: { errorRate: 1, errorStatuses: [503] },
    });
    await ledger.send(8, 50);
    await sleep(3000);
    // Backing off between attempts (not hammering Customer.io), nothing delivered.
    const during = await waitFor('the destination backing off', async () => {
      const status = (await admin('/destinations/cio')).body.destination;
      return status.state === 'backing-off' ? status : undefined;
    });
    expect(during.stats.delivered).toBe(0);
    stack.emulator.setFaults({});
    const recoveryMs = await settle(stack.emulator, admin, ledger, Date.now());
    return { counts: await observe(stack.emulator, admin, ledger), recoveryMs, maxDuplicates: 0 };
  },
};

export const outagePastRetryWindow: Scenario = {
  name: 'destination down longer than the retry window',
  stores: ['SQLite', 'PostgreSQL'],
  async run(store) {
    const { stack, ledger, admin } = await startRun(store, 'expired', {
      faults: { errorRate: 1, errorStatuses: [503] },
      destination: { retry: { minBackoffMs: 20, maxBackoffMs: 200, maxAgeHours: 0.0003, minAttempts: 3 } },
    });
    await ledger.send(4, 50);
    await waitFor(
      'every event dead-lettered',
      async () => (await admin('/destinations/cio')).body.destination.stats.dead === 200,
      30_000,
    );
    stack.emulator.setFaults({});
    const recoveryMs = await settle(stack.emulator, admin, ledger, Date.now());
    const counts = await observe(stack.emulator, admin, ledger);
    const letters = await deadLetters(admin);
    expect(letters[0]?.error?.message).toMatch(/^gave up after \d+ attempts over .+; last error: /);

    // The operator replays them once Customer.io is back: nothing was lost.
    expect((await stack.admin('/dead-letters/replay', { body: { all: true } })).status).toBe(200);
    await settle(stack.emulator, admin, ledger, Date.now());
    expect((await observe(stack.emulator, admin, ledger)).delivered).toBe(200);
    return { counts, recoveryMs, maxDuplicates: 0 };
  },
};
