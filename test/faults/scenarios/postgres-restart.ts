/**
 * PostgreSQL itself crashes (`pg_ctl stop -m immediate`) and starts again under load, on a private
 * server: ingest answers 503 meanwhile, the same relay recovers by itself, every event answered 200
 * is delivered, and so are the refused batches the client sends again. Batches delivered while their outcome could not be recorded are sent again.
 */
import { expect, onTestFinished } from 'vitest';
import { waitFor } from '../../relay/stack.js';
import { privateCluster } from '../../store/pg-private-cluster.js';
import { observe, settle } from '../observe.js';
import { CONCURRENCY, MAX_OPERATIONS, type Scenario, startRun } from '../scenario.js';

export const postgresRestart: Scenario = {
  name: 'PostgreSQL crash and restart',
  stores: ['PostgreSQL'],
  async run() {
    const cluster = await privateCluster();
    onTestFinished(() => cluster.destroy());
    const store = { config: { postgres: cluster.url, claimLeaseMs: 1000 } };
    const { stack, ledger, admin } = await startRun(store, 'pgdown', {
      faults: { latencyMs: 10 },
    });
    const load = ledger.run(3, 20, 20, 4000);
    await waitFor('load under way', () => ledger.acked.size >= 300, 30_000);
    await cluster.stop('immediate');
    await waitFor('ingest answering 503', () => ledger.count(503) >= 3, 30_000);
    await cluster.start();
    const restartedAt = Date.now();
    await load.stop();
    await waitFor(
      'ingest answering 200 again',
      async () => (await ledger.sendBatch(20)).status === 200,
      60_000,
    );
    await ledger.resendUnanswered(); // as client SDKs do after a 503
    expect(ledger.refused.size).toBe(0);
    const recoveryMs = await settle(stack.emulator, admin, ledger, restartedAt);
    expect(ledger.count(503)).toBeGreaterThan(0);
    return {
      counts: await observe(stack.emulator, admin, ledger),
      recoveryMs,
      maxDuplicates: CONCURRENCY * MAX_OPERATIONS,
    };
  },
};
