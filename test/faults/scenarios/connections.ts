/**
 * Dropped connections: a fifth of the requests lose their connection before Customer.io reads them,
 * another fifth after it applied them (the answer is lost: the relay's retry is a duplicate, which
 * Customer.io drops by event id).
 */
import { waitFor } from '../../relay/stack.js';
import { observe, settle } from '../observe.js';
import { MAX_OPERATIONS, type Scenario, sleep, startRun } from '../scenario.js';

export const droppedConnections: Scenario = {
  name: 'dropped connections (before and after apply)',
  stores: ['SQLite', 'PostgreSQL'],
  async run(store) {
    const { stack, ledger, admin } = await startRun(store, 'drop', {
      faults: { dropRate: 0.2, resetAfterApplyRate: 0.2, seed: 9 },
    });
    const load = ledger.run(2, 25, 50, 600);
    await sleep(2500);
    const faults = () => stack.emulator.stats().faults;
    await waitFor(
      'drops before and after apply',
      () => faults().dropped > 0 && faults().resetAfterApply > 0,
      20_000,
    );
    await load.stop();
    stack.emulator.setFaults({});
    const recoveryMs = await settle(stack.emulator, admin, ledger, Date.now());
    return {
      counts: await observe(stack.emulator, admin, ledger),
      recoveryMs,
      maxDuplicates: stack.emulator.stats().faults.resetAfterApply * MAX_OPERATIONS,
    };
  },
};
