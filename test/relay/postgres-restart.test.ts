/**
 * PostgreSQL itself stops (a crash: `pg_ctl stop -m immediate`) and starts again under load, on a
 * private server: ingest answers 503 while it is down, the same relay process recovers by itself
 * once it is back, and every event answered 200 is delivered.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type PrivateCluster, privateCluster } from '../store/pg-private-cluster.js';
import { type Stack, startStack, waitFor, waitForDelivery } from './stack.js';

let cluster: PrivateCluster | undefined;
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close().catch(() => undefined);
  await cluster?.destroy();
});

describe('relay on PostgreSQL when the database restarts', () => {
  it('answers 503 while it is down, recovers without a restart, loses nothing answered 200', async () => {
    cluster = await privateCluster();
    stack = await startStack({
      store: { postgres: cluster.url, claimLeaseMs: 3000 },
      destination: { batch: { maxOperations: 50, lingerMs: 5 } },
    });
    const s = stack;
    s.emulator.setFaults({ latencyMs: 10 });
    const acked = new Set<string>();
    const statuses = new Map<number, number>();
    let stop = false;
    let sent = 0;
    const sender = async (w: number) => {
      for (let round = 0; !stop; round++) {
        const batch = Array.from({ length: 20 }, (_, i) => ({
          type: 'track',
          userId: `w${w}-${i % 5}`,
          event: 'Load',
          messageId: `w${w}-r${round}-${i}`,
        }));
        sent += batch.length;
        const { status } = await s.send('/v1/batch', { batch }).catch(() => ({ status: 0 }));
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 200) for (const event of batch) acked.add(event.messageId);
      }
    };
    const senders = Promise.all([0, 1, 2].map(sender));
    await waitFor(
      'load under way',
      () => acked.size >= 500 && s.emulator.stats().operations.accepted > 100,
      30_000,
    );

    await cluster.stop('immediate');
    const okBefore = statuses.get(200) ?? 0;
    await waitFor('ingest answering 503', () => (statuses.get(503) ?? 0) >= 3, 30_000);
    await cluster.start();
    await waitFor('ingest answering 200 again', () => (statuses.get(200) ?? 0) > okBefore + 10, 60_000);
    stop = true;
    await senders;

    await waitForDelivery(s.emulator, acked, 60_000);
    expect(statuses.get(503)).toBeGreaterThan(0);
    expect(sent).toBeGreaterThan(acked.size);
  }, 180_000);
});
