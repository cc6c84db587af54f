/**
 * SIGTERM: the relay stops accepting, finishes the delivery in flight (it is not cut off and sent
 * again later), and exits 0.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { openSqliteStore } from '../../src/store/index.js';
import { tempDir } from '../temp-files.js';
import { basicAuth, spawnRelay, writeRelayConfig } from './process.js';
import { waitFor } from './stack.js';

const ADMIN_TOKEN = 'admin-token-0123456789';

let emulator: Emulator | undefined;
let relay: ChildProcess | undefined;

afterEach(async () => {
  relay?.kill('SIGKILL');
  await emulator?.close();
});

describe('graceful shutdown', () => {
  it('finishes the batch in flight on SIGTERM, then exits 0 and accepts nothing more', async () => {
    emulator = await createEmulator({ siteId: 's', apiKey: 'k', port: 0, host: '127.0.0.1' });
    emulator.setFaults({ latencyMs: 1500 }); // the batch is still in flight when SIGTERM arrives
    const dir = tempDir();
    const config = writeRelayConfig(dir, {
      endpoint: emulator.url,
      siteId: 's',
      apiKey: 'k',
      writeKey: 'wk',
      admin: { token: ADMIN_TOKEN },
    });
    const started = await spawnRelay(config);
    relay = started.child;
    const post = (body: unknown) =>
      fetch(`${started.url}/v1/track`, {
        method: 'POST',
        headers: { authorization: basicAuth('wk'), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ userId: 'g1', event: 'Before stop', messageId: 'g-1' })).status).toBe(200);
    // Claims are the delivery thread's, in memory: the relay's own metrics show them.
    const inFlight = async () => {
      const response = await fetch(`${started.url}/metrics`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      const match = /cio_relay_queue_jobs\{destination="cio",state="in_flight"\} (\d+)/.exec(
        await response.text(),
      );
      return Number(match?.[1]);
    };
    await waitFor('the batch in flight', async () => (await inFlight()) === 1);
    const exited = new Promise<number | null>((resolve) => relay!.on('exit', resolve));
    relay.kill('SIGTERM');
    // Until the signal is handled, events are still accepted (and kept queued for the next start).
    let acceptedAfter = 0;
    await waitFor('the listener to close', async () =>
      post({ userId: 'g1', event: 'After' }).then(
        (response) => {
          if (response.status === 200) acceptedAfter++;
          return false;
        },
        () => true,
      ),
    );
    expect(await exited).toBe(0);
    expect(emulator.workspace.person('g1')?.activity.map((a) => a.name)).toEqual(['Before stop']);

    const store = openSqliteStore({ file: join(dir, 'relay.db') });
    try {
      const stats = await store.stats('cio', Date.now());
      expect(stats).toMatchObject({ queued: acceptedAfter, inFlight: 0, delivered: 1 });
    } finally {
      await store.close();
    }

    // Started again: no warning of an unclean stop (a kill -9 gets one, crash.test.ts).
    const again = await spawnRelay(config, { LOG_LEVEL: 'warn' });
    relay = again.child;
    expect(again.output()).not.toContain('did not stop cleanly');
  }, 30_000);
});
