import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server/index.js';
import { openSqliteStore } from '../../src/store/index.js';
import type { NewEvent } from '../../src/store/types.js';
import type { Harness } from './helpers.js';
import {
  ADMIN_TOKEN,
  API_KEY,
  basic,
  bearer,
  NOW,
  post,
  recordingDelivery,
  SECRETS,
  SERVER_KEY,
  spyStore,
  startServer,
  testConfig,
  track,
  WEB_KEY,
} from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('no secret in any response or log', () => {
  it('ingest answers, refusals included, never contain a write key', async () => {
    h = await startServer();
    const auth = { authorization: basic(WEB_KEY) };
    const responses = await Promise.all([
      post(h.app, '/v1/track', track({ writeKey: SERVER_KEY }), {}),
      post(h.app, '/v1/track', track(), auth),
      post(h.app, '/v1/track', { writeKey: WEB_KEY }, {}),
      post(h.app, '/v1/batch', { writeKey: WEB_KEY, batch: [{ writeKey: WEB_KEY }] }, {}),
      post(h.app, '/v1/track', `{"writeKey": "${WEB_KEY}", `, auth),
      post(h.app, '/v1/identify', track({ writeKey: WEB_KEY }), auth),
      post(h.app, '/v1/track', track(), { authorization: basic(`${WEB_KEY}x`) }),
      post(h.app, `/v1/nope?writeKey=${WEB_KEY}`, track(), auth),
    ]);
    for (const response of responses) expectNoSecret(response.body);
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 400, 400, 400, 400, 401, 404]);
    for (const event of h.store.stored()) expectNoSecret(event.body);
  });

  it('admin answers mask a secret that another component let into stored text', async () => {
    h = await startServer();
    const event: NewEvent = {
      source: 'web',
      messageId: 'm',
      personKey: 'u',
      body: '{}',
      receivedAt: NOW,
      destinations: ['production'],
    };
    await h.store.append([event], { dedupeWindowMs: 0 });
    const [job] = await h.store.claim('production', { limit: 1, now: NOW, ordered: false });
    await h.store.complete({
      destination: 'production',
      now: NOW,
      results: [
        {
          jobId: job!.id,
          outcome: 'dead',
          error: { code: 'rejected', message: `bad request with key ${API_KEY}` },
          exchange: {
            method: 'POST',
            url: 'https://track.customer.io/api/v2/batch',
            requestBody: `{"k":"${WEB_KEY}"}`,
          },
        },
      ],
    });
    const listed = await h.app.inject({
      method: 'GET',
      url: '/admin/dead-letters',
      headers: { authorization: bearer(ADMIN_TOKEN) },
    });
    expectNoSecret(listed.body);
    const [letter] = listed.json().deadLetters;
    expect(letter.error.message).toBe('bad request with key [redacted]');
    expect(letter.exchange.requestBody).toBe('{"k":"[redacted]"}');
  });

  it('logs no request line and no secret, even for store failures and crashes', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const sqlite = openSqliteStore({ file: ':memory:' });
    const store = spyStore(sqlite);
    store.searchLog = async () => {
      throw new Error('disk I/O error');
    };
    const config = testConfig();
    const app = await createServer({
      config,
      store,
      delivery: recordingDelivery(['production', 'staging']),
      logger: pino({ level: 'trace' }, sink),
    });
    const auth = { authorization: basic(WEB_KEY) };
    expect((await post(app, '/v1/track', track({ writeKey: WEB_KEY }), auth)).statusCode).toBe(200);
    store.failNextAppend(new Error('database is locked'));
    expect((await post(app, '/v1/track', track(), auth)).statusCode).toBe(503);
    const crash = await app.inject({
      method: 'GET',
      url: '/admin/deliveries',
      headers: { authorization: bearer(ADMIN_TOKEN) },
    });
    expect(crash.statusCode).toBe(500);
    expect(crash.json()).toEqual({
      success: false,
      code: 'internal_error',
      message: 'the relay failed to handle this request; its log has the details',
    });
    await app.close();
    await sqlite.close();
    const log = lines.join('');
    expectNoSecret(log);
    expect(log).toContain('database is locked');
    expect(log).toContain('disk I/O error');
    expect(log).not.toContain('incoming request');
    expect(log).not.toContain('request completed');
  });
});
