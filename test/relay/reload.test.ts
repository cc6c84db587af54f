/**
 * SIGHUP: `cio-relay serve` (its own process) reads its configuration file again while events keep
 * arriving: nothing accepted is lost, events delivered after the reload use the new subscriptions,
 * and a broken file changes nothing.
 */
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { tempDir } from '../temp-files.js';
import { basicAuth, spawnRelay, writeRelayConfig } from './process.js';
import { waitFor } from './stack.js';

const SITE_ID = 'reload-site';
const API_KEY = 'reload-api-key-0123';
const WRITE_KEY = 'reload-write-key-0123';

let emulator: Emulator | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  await emulator?.close();
  emulator = undefined;
});

/** Orders named with a prefix, so each delivered event shows which subscription mapped it. */
const named = (prefix: string, extra: object = {}) => ({
  subscriptions: [
    {
      name: 'Orders',
      trigger: 'type = "track"',
      action: 'trackEvent',
      mapping: { name: { '@template': `${prefix}: {{event}}` } },
    },
  ],
  batch: { lingerMs: 5 },
  ...extra,
});

/** Event id → the name it was delivered under. */
function deliveredNames(emulator: Emulator): Map<string, string> {
  const names = new Map<string, string>();
  for (const person of emulator.workspace.people()) {
    for (const activity of person.activity) if (activity.id) names.set(activity.id, activity.name ?? '');
  }
  return names;
}

describe('SIGHUP reloads the configuration without dropping events', () => {
  it('applies new subscriptions to what is delivered next, logs what needs a restart, survives a broken file', async () => {
    emulator = await createEmulator({ siteId: SITE_ID, apiKey: API_KEY, port: 0, host: '127.0.0.1' });
    const dir = tempDir();
    const base = { endpoint: emulator.url, siteId: SITE_ID, apiKey: API_KEY, writeKey: WRITE_KEY };
    const file = writeRelayConfig(dir, { ...base, destination: named('v1') });
    const started = await spawnRelay(file, { LOG_LEVEL: 'info' });
    child = started.child;
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk;
    });
    const logLines = () =>
      log
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; [key: string]: unknown });

    // A steady stream of single events, each remembered once the relay accepted it.
    const accepted: string[] = [];
    let reloadedAt = Number.POSITIVE_INFINITY;
    let sending = true;
    let failed: unknown;
    const stream = (async () => {
      for (let i = 0; sending && child?.exitCode === null; i++) {
        const messageId = `e-${i}`;
        const response = await fetch(`${started.url}/v1/track`, {
          method: 'POST',
          headers: { authorization: basicAuth(WRITE_KEY), 'content-type': 'application/json' },
          body: JSON.stringify({ userId: `p${i % 7}`, event: 'Order', messageId }),
        });
        expect(response.status).toBe(200);
        accepted.push(messageId);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })().catch((error: unknown) => {
      failed = error;
    });

    await waitFor(
      'events delivered with the first subscriptions',
      () => deliveredNames(emulator!).size >= 40,
      30_000,
    );
    writeRelayConfig(dir, { ...base, destination: named('v2', { rateLimit: { requestsPerSecond: 50 } }) });
    child.kill('SIGHUP');
    const reloaded = await waitFor(
      'the reload logged',
      () => logLines().find((l) => l.msg === 'SIGHUP: configuration reloaded'),
      20_000,
    );
    reloadedAt = accepted.length;
    expect(reloaded['applied']).toEqual(['destinations.cio.subscriptions']);
    const restart = await waitFor('the restart warning', () =>
      logLines().find((l) => l.msg.startsWith('SIGHUP: these changes take effect only after a restart')),
    );
    expect(restart['needsRestart']).toEqual(['destinations.cio.rateLimit']);
    await waitFor('more events accepted after the reload', () => accepted.length >= reloadedAt + 40, 30_000);

    // A broken file: logged, nothing changes, events keep flowing with the v2 subscriptions.
    writeFileSync(file, '{"sources": [], "destinations": [{"name": "cio"}]}');
    child.kill('SIGHUP');
    const refused = await waitFor(
      'the broken file logged',
      () => logLines().find((l) => l.msg.startsWith('SIGHUP: the configuration file has problems')),
      20_000,
    );
    expect(String(refused['problems'])).toMatch(/sources: must list at least 1 item/);
    const afterBroken = accepted.length;
    await waitFor('events accepted after the broken file', () => accepted.length >= afterBroken + 20, 30_000);
    sending = false;
    await stream;
    expect(failed).toBeUndefined();

    await waitFor(
      'every accepted event delivered',
      () => {
        const delivered = deliveredNames(emulator!);
        return accepted.every((id) => delivered.has(id));
      },
      60_000,
    );
    const delivered = deliveredNames(emulator!);
    expect(delivered.size).toBe(accepted.length);
    const names = accepted.map((id) => delivered.get(id));
    // Accepted after the reload was logged: mapped by the new subscription, every one.
    expect(names.slice(reloadedAt).every((name) => name === 'v2: Order')).toBe(true);
    // Before: the old one, or the new one for those still queued at the reload (mapping happens at delivery).
    expect(names.slice(0, reloadedAt).every((name) => name === 'v1: Order' || name === 'v2: Order')).toBe(
      true,
    );
    expect(names.slice(0, 40)).toContain('v1: Order');
    expect(child.exitCode).toBeNull();
    // No secret in the log, whatever happened.
    for (const secret of [API_KEY, WRITE_KEY]) expect(log).not.toContain(secret);
  }, 180_000);
});
