/**
 * `kill -9` of the relay process under load, then a restart on the same store: every event answered
 * 200 is delivered; only what was in flight at the kill may reach Customer.io twice. Also while
 * Customer.io is down (its jobs waiting for their retries), which comes back after the restart.
 */
import type { ChildProcess } from 'node:child_process';
import { expect, onTestFinished } from 'vitest';
import { createEmulator, type Emulator } from '../../../src/emulator/index.js';
import { spawnRelay, writeRelayConfig } from '../../relay/process.js';
import { waitFor } from '../../relay/stack.js';
import { tempDir } from '../../temp-files.js';
import { batchPoster, Ledger } from '../ledger.js';
import { adminClient, observe, settle } from '../observe.js';
import { CONCURRENCY, DESTINATION, MAX_OPERATIONS, type Scenario, storeConfig } from '../scenario.js';

const WRITE_KEY = 'fault-kill-write-key';
const TOKEN = 'fault-kill-admin-token-0123456789';

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** A kill under plain load, or while Customer.io is down (its jobs waiting for retries). */
interface KillCase {
  name: string;
  prefix: string;
  /** Emulator faults while the first relay runs; cleared after the restart (the fault's end). */
  outage: boolean;
}

function killScenario({ name, prefix, outage }: KillCase): Scenario {
  return {
    name,
    stores: ['SQLite', 'PostgreSQL'],
    async run(store) {
      const emulator = await createEmulator({ siteId: 'kill-site', apiKey: 'kill-key', port: 0 });
      const target = await storeConfig(store);
      const children: ChildProcess[] = [];
      onTestFinished(async () => {
        for (const child of children) {
          child.kill('SIGKILL');
          await exited(child);
        }
        await emulator.close();
        await target.drop();
      });
      // Down: every request 503. Up: a little latency keeps batches in flight when the process dies.
      emulator.setFaults(outage ? { errorRate: 1, errorStatuses: [503] } : { latencyMs: 20 });
      const configFile = writeRelayConfig(tempDir(), {
        endpoint: emulator.url,
        siteId: 'kill-site',
        apiKey: 'kill-key',
        writeKey: WRITE_KEY,
        destination: DESTINATION,
        store: target.config,
        admin: { token: TOKEN },
      });
      const first = await spawnRelay(configFile);
      children.push(first.child);
      const ledger = new Ledger(batchPoster(first.url, WRITE_KEY), prefix);
      const load = ledger.run(3, 20, 0, 4000);
      await waitFor('load under way', () => underWay(ledger, emulator, outage), 30_000);
      const stopping = load.stop();
      first.child.kill('SIGKILL');
      await Promise.all([stopping, exited(first.child)]);
      expect(emulator.stats().operations.accepted).toBeLessThan(ledger.acked.size); // work left to recover

      const second = await spawnRelay(configFile);
      children.push(second.child);
      if (outage) emulator.setFaults({});
      const restartedAt = Date.now();
      const admin = adminClient(second.url, TOKEN);
      // The client sends the batches the dead relay never answered again (they may have been stored).
      ledger.retarget(batchPoster(second.url, WRITE_KEY));
      await ledger.resendUnanswered();
      expect(ledger.refused.size).toBe(0);
      const recoveryMs = await settle(emulator, admin, ledger, restartedAt);
      return {
        counts: await observe(emulator, admin, ledger),
        recoveryMs,
        maxDuplicates: outage ? 0 : CONCURRENCY * MAX_OPERATIONS,
      };
    },
  };
}

/** Deliveries under way; during the outage, failed attempts (jobs waiting for their retries). */
function underWay(ledger: Ledger, emulator: Emulator, outage: boolean): boolean {
  if (ledger.acked.size < 600) return false;
  const stats = emulator.stats();
  return outage ? stats.faults.errors >= 5 : stats.operations.accepted >= 100;
}

export const processKill = killScenario({
  name: 'relay kill -9 under load, restart',
  prefix: 'kill',
  outage: false,
});

export const processKillDuringOutage = killScenario({
  name: 'relay kill -9 while Customer.io is down (503)',
  prefix: 'killdown',
  outage: true,
});
