/**
 * The crash test: `kill -9` the relay process in the middle of a bounded load, start it again on
 * the same store, and check that every event it answered 200 reaches the emulator. Duplicates are
 * allowed only for what was in flight at the crash (at most concurrency × maxOperations).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { waitFor } from './stack.js';

const BIN = join(import.meta.dirname, '../../bin/cio-relay.js');
const WRITE_KEY = 'crash-write-key';
const CONCURRENCY = 4;
const MAX_OPERATIONS = 100;

let emulator: Emulator | undefined;
let relay: ChildProcess | undefined;
let dir: string | undefined;

afterEach(async () => {
  relay?.kill('SIGKILL');
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Start `cio-relay serve` and resolve with its URL once it listens. */
function startRelay(configFile: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--config', configFile], {
    env: { ...process.env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.on('exit', (code) => reject(new Error(`relay exited with ${code} before listening: ${out}`)));
  });
}

describe('crash recovery', () => {
  it('delivers every event answered 200 after kill -9 and a restart', async () => {
    emulator = await createEmulator({
      siteId: 'crash-site',
      apiKey: 'crash-key',
      port: 0,
      host: '127.0.0.1',
    });
    // A little latency keeps batches in flight when the process dies.
    emulator.setFaults({ latencyMs: 20 });
    dir = mkdtempSync(join(tmpdir(), 'cio-relay-crash-'));
    const configFile = join(dir, 'relay.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        server: { port: 0, host: '127.0.0.1' },
        store: { sqlite: join(dir, 'relay.db') },
        sources: [{ name: 'load', writeKey: WRITE_KEY }],
        destinations: [
          {
            name: 'cio',
            siteId: 'crash-site',
            apiKey: 'crash-key',
            endpoint: emulator.url,
            profile: 'actions',
            concurrency: CONCURRENCY,
            batch: { maxOperations: MAX_OPERATIONS, lingerMs: 5 },
            retry: { minBackoffMs: 20, maxBackoffMs: 200 },
          },
        ],
      }),
    );

    const first = await startRelay(configFile);
    relay = first.child;
    const acked = new Set<string>();
    let sent = 0;
    let crashed = false;
    const sender = async (worker: number) => {
      for (let round = 0; !crashed && round < 200; round++) {
        const batch = Array.from({ length: 50 }, (_, i) => ({
          type: 'track',
          userId: `user-${(round * 50 + i) % 300}`,
          event: 'Load',
          messageId: `w${worker}-r${round}-${i}`,
        }));
        sent += batch.length;
        try {
          const response = await fetch(`${first.url}/v1/batch`, {
            method: 'POST',
            headers: {
              authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({ batch }),
          });
          if (response.status === 200) for (const event of batch) acked.add(event.messageId);
        } catch {
          return; // the relay is gone: whatever was not answered 200 may be lost, by contract
        }
      }
    };
    const senders = Promise.all([0, 1, 2, 3].map(sender));
    await waitFor(
      'load under way',
      () => acked.size >= 3000 && emulator!.stats().operations.accepted > 500,
      20_000,
    );
    crashed = true;
    relay.kill('SIGKILL');
    await senders;
    const deliveredAtCrash = emulator.stats().operations.accepted;
    expect(deliveredAtCrash).toBeLessThan(acked.size); // the crash left work to recover

    const second = await startRelay(configFile);
    relay = second.child;
    const delivered = () => {
      const ids = new Set<string>();
      for (const person of emulator!.workspace.people())
        for (const a of person.activity) if (a.id) ids.add(a.id);
      return ids;
    };
    await waitFor(
      'every acknowledged event in the emulator',
      () => [...acked].every((id) => delivered().has(id)),
      30_000,
    );
    const operations = emulator.stats().operations.accepted;
    expect(operations - delivered().size).toBeLessThanOrEqual(CONCURRENCY * MAX_OPERATIONS);
    expect(sent).toBeGreaterThanOrEqual(acked.size);
  }, 150_000);
});
