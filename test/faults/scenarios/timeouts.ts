/**
 * Answers slower than the request timeout (300 ms here): first every answer takes 450 ms (Customer.io
 * applies the batch, the relay has given up: its retry is a duplicate), then a fifth of the requests
 * hang before and a fifth after being applied. Duplicates are bounded by the requests whose answer
 * was lost after they were applied.
 */
import { waitFor } from '../../relay/stack.js';
import { observe, settle } from '../observe.js';
import { MAX_OPERATIONS, type Scenario, sleep, startRun } from '../scenario.js';

const TIMEOUT_MS = 300;

export const slowAndHanging: Scenario = {
  name: 'slow answers and hangs past the 300 ms timeout',
  stores: ['SQLite', 'PostgreSQL'],
  async run(store) {
    const { stack, ledger, admin } = await startRun(store, 'slow', {
      destination: { timeoutMs: TIMEOUT_MS },
    });
    const emulator = stack.emulator;
    const load = ledger.run(2, 25, 100, 600);
    const late = () =>
      emulator.requests().filter((r) => r.status !== null && r.durationMs >= TIMEOUT_MS).length;
    emulator.setFaults({ latencyMs: 450 });
    await sleep(1500);
    await waitFor('answers after the timeout', () => late() >= 2, 20_000);
    emulator.setFaults({ hangRate: 0.2, hangAfterApplyRate: 0.2, seed: 5 });
    await sleep(1500);
    const hangs = () => emulator.stats().faults;
    await waitFor(
      'hangs before and after apply',
      () => hangs().hung > 0 && hangs().hungAfterApply > 0,
      20_000,
    );
    await load.stop();
    emulator.setFaults({});
    const recoveryMs = await settle(emulator, admin, ledger, Date.now());
    // Applied but never answered in time: hung after applying, or answered after the timeout.
    return {
      counts: await observe(emulator, admin, ledger),
      recoveryMs,
      maxDuplicates: (emulator.stats().faults.hungAfterApply + late()) * MAX_OPERATIONS,
    };
  },
};
