/**
 * No secret in any log line or answer: the relay's real logger (JSON lines, trace level) is
 * captured while it is fed wrong write keys, bad admin tokens, a configuration file with problems
 * on SIGHUP, and a Customer.io that refuses its API key (401, the destination pauses).
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { reloadOnHup } from '../../src/cli/reload-on-hup.js';
import { loadConfig, validateConfig } from '../../src/config/index.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { createLogger } from '../../src/relay/logger.js';
import { type Relay, startRelay } from '../../src/relay/relay.js';
import { tempDir, tempFile } from '../temp-files.js';
import { waitFor } from './stack.js';

const WRITE_KEY = 'wk-secret-live-5c1d9e7a';
const API_KEY = 'cio-api-secret-8f3b2a6c';
const SITE_ID = 'site-secret-2d4e6f80';
const ADMIN_TOKEN = 'admin-secret-token-0a1b2c3d';
const SECRETS = [WRITE_KEY, API_KEY, SITE_ID, ADMIN_TOKEN];

let emulator: Emulator | undefined;
let relay: Relay | undefined;
let stopReloading: (() => void) | undefined;
afterEach(async () => {
  stopReloading?.();
  await relay?.close();
  await emulator?.close();
  relay = undefined;
  emulator = undefined;
});

describe('no secret in logs or answers', () => {
  it('wrong keys, bad tokens, a broken file on SIGHUP and a 401 from Customer.io log no key', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'trace', destination: sink });
    // Customer.io knows another API key: every request is a 401.
    emulator = await createEmulator({ siteId: SITE_ID, apiKey: 'another-key', port: 0, host: '127.0.0.1' });
    const raw = {
      server: { port: 0, host: '127.0.0.1' },
      store: { sqlite: `${tempDir()}/relay.db` },
      admin: { token: ADMIN_TOKEN },
      sources: [{ name: 'web', writeKey: WRITE_KEY }],
      destinations: [
        {
          name: 'cio',
          siteId: SITE_ID,
          apiKey: API_KEY,
          endpoint: emulator.url,
          allowInsecureEndpoint: true,
        },
      ],
    };
    relay = await startRelay({ config: validateConfig(raw), logger, idlePollMs: 50 });
    const url = relay.url;
    const answers: string[] = [];
    const call = async (path: string, init: RequestInit) => {
      const response = await fetch(url + path, init);
      const text = await response.text();
      answers.push(text);
      return response.status;
    };
    const json = { 'content-type': 'application/json' };
    const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
    const event = JSON.stringify({ userId: 'u1', event: 'Order' });

    expect(
      await call('/v1/track', {
        method: 'POST',
        headers: { ...json, authorization: basic(`${WRITE_KEY}x`) },
        body: event,
      }),
    ).toBe(401);
    expect(
      await call('/v1/track', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ writeKey: WRITE_KEY.slice(1), userId: 'u1', event: 'Order' }),
      }),
    ).toBe(401);
    expect(await call(`/v1/nope?writeKey=${WRITE_KEY}`, { method: 'POST', headers: json, body: event })).toBe(
      404,
    );
    expect(await call('/admin/destinations', { headers: { authorization: `Bearer ${ADMIN_TOKEN}x` } })).toBe(
      401,
    );
    expect(await call('/admin/destinations', { headers: { authorization: basic(WRITE_KEY) } })).toBe(401);
    // Accepted, then refused by Customer.io (401): the destination pauses.
    expect(
      await call('/v1/track', {
        method: 'POST',
        headers: { ...json, authorization: basic(WRITE_KEY) },
        body: event,
      }),
    ).toBe(200);
    await waitFor('the destination paused', async () => {
      const status = await fetch(`${url}/admin/destinations`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      const text = await status.text();
      answers.push(text);
      return (
        (JSON.parse(text) as { destinations: Array<{ state: string }> }).destinations[0]?.state === 'paused'
      );
    });

    // A configuration file with problems around its secrets, read again on SIGHUP.
    const broken = tempFile(
      'relay.json',
      JSON.stringify({
        ...raw,
        admin: { token: ADMIN_TOKEN.slice(0, 10) },
        sources: [{ name: 'web', writeKey: [WRITE_KEY] }],
        destinations: [{ ...raw.destinations[0], apikey: API_KEY, siteId: 12 }],
      }),
    );
    stopReloading = reloadOnHup(
      relay,
      { file: broken, load: (f) => loadConfig(f, {}), adjust: (c) => c },
      logger,
    );
    process.emit('SIGHUP', 'SIGHUP');
    await waitFor('the broken file logged', () =>
      lines.some((l) => l.includes('the configuration file has problems')),
    );

    const log = lines.join('');
    expect(log).toContain('Customer.io refused the credentials');
    expect(log).toContain('admin.token');
    for (const secret of SECRETS) {
      expect(log).not.toContain(secret);
      for (const answer of answers) expect(answer).not.toContain(secret);
    }
  });
});
