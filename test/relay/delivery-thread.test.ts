/**
 * Delivery runs on its own thread beside ingest: its log lines reach the relay's log, and should
 * the thread die, it starts again, what was queued or in flight is still delivered, and its counts
 * for the metrics are kept.
 */
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/index.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { type Relay, startRelay } from '../../src/relay/relay.js';
import { ThreadedDelivery } from '../../src/relay/threaded-delivery.js';
import { tempDir } from '../temp-files.js';
import { basicAuth } from './process.js';
import { waitFor } from './stack.js';

let emulator: Emulator | undefined;
let relay: Relay | undefined;
afterEach(async () => {
  await relay?.close();
  await emulator?.close();
});

async function start(lines: string[]): Promise<Relay> {
  emulator = await createEmulator({ siteId: 'site', apiKey: 'key', port: 0, host: '127.0.0.1' });
  const config = validateConfig({
    server: { port: 0, host: '127.0.0.1' },
    store: { sqlite: join(tempDir(), 'relay.db') },
    sources: [{ name: 'web', writeKey: 'web-key' }],
    destinations: [
      {
        name: 'cio',
        siteId: 'site',
        apiKey: 'key',
        endpoint: emulator.url,
        allowInsecureEndpoint: true,
        batch: { lingerMs: 5 },
      },
    ],
  });
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).trim().split('\n'));
      done();
    },
  });
  return startRelay({ config, logger: pino({ level: 'info' }, sink), idlePollMs: 50 });
}

const track = (url: string, userId: string, messageId: string) =>
  fetch(`${url}/v1/track`, {
    method: 'POST',
    headers: { authorization: basicAuth('web-key'), 'content-type': 'application/json' },
    body: JSON.stringify({ userId, event: 'Signed Up', messageId }),
  });

describe('the delivery thread', () => {
  it("sends its log lines to the relay's logger", async () => {
    const lines: string[] = [];
    relay = await start(lines);
    expect(relay.delivery).toBeInstanceOf(ThreadedDelivery);
    emulator!.setFaults({ errorRate: 1, errorStatuses: [401] });
    expect((await track(relay.url, 'u1', 'm-1')).status).toBe(200);
    const paused = await waitFor('the pause in the log', () =>
      lines.map((line) => JSON.parse(line)).find((entry) => /paused until resumed/.test(entry.msg)),
    );
    expect(paused).toMatchObject({ level: 50, destination: 'cio', status: 401 });
  });

  it('starts again after dying, and delivers what was queued meanwhile', async () => {
    const lines: string[] = [];
    relay = await start(lines);
    const delivery = relay.delivery as ThreadedDelivery;
    const first = delivery.thread!;
    await first.terminate();
    expect((await track(relay.url, 'u2', 'm-2')).status).toBe(200);
    await waitFor('the event delivered by a new thread', () => emulator!.workspace.person('u2'), 15_000);
    expect(delivery.thread).not.toBe(first);
    expect(lines.some((line) => /delivery thread stopped unexpectedly/.test(line))).toBe(true);
  });

  it('keeps what a dead thread counted for the metrics, and adds what the new one counts', async () => {
    relay = await start([]);
    const delivery = relay.delivery as ThreadedDelivery;
    const delivered = async () => (await delivery.counters()).cio?.outcomes['web']?.delivered;
    expect((await track(relay.url, 'u3', 'm-3')).status).toBe(200);
    await waitFor('the first delivery counted', async () => (await delivered()) === 1, 15_000);
    await delivery.thread!.terminate();
    expect((await track(relay.url, 'u4', 'm-4')).status).toBe(200);
    await waitFor('both deliveries counted', async () => (await delivered()) === 2, 15_000);
  });
});
