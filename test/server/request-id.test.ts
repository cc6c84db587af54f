/**
 * Request ids and readiness: every answer says its request's id, the request's log lines carry it
 * (JSON, `reqId`), a sane incoming X-Request-Id is kept, anything else replaced; `/ready` turns 503
 * when the store cannot commit.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server/index.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/index.js';
import {
  ADMIN_TOKEN,
  basic,
  bearer,
  post,
  recordingDelivery,
  type SpyStore,
  spyStore,
  testConfig,
  track,
  WEB_KEY,
} from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let app: FastifyInstance;
let sqlite: SqliteStore;
let store: SpyStore;
let lines: Array<Record<string, unknown>>;

async function start(level: string): Promise<void> {
  lines = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  sqlite = openSqliteStore({ file: ':memory:' });
  store = spyStore(sqlite);
  app = await createServer({
    config: testConfig(),
    store,
    delivery: recordingDelivery(['production', 'staging']),
    logger: pino({ level }, sink),
  });
}

afterEach(async () => {
  await app.close();
  await sqlite.close();
});

describe('request ids', () => {
  it('answers each request with a fresh id and logs it, at debug level, with the request', async () => {
    await start('debug');
    const first = await post(app, '/v1/track', track());
    const second = await post(app, '/v1/track', track({ messageId: 'other' }));
    const ids = [first.headers['x-request-id'], second.headers['x-request-id']];
    for (const id of ids) expect(id).toMatch(UUID);
    expect(ids[0]).not.toBe(ids[1]);
    const requestLines = lines.filter((l) => l['msg'] === 'request');
    expect(requestLines.map((l) => l['reqId'])).toEqual(ids);
    expect(requestLines[0]).toMatchObject({ method: 'POST', path: '/v1/track', status: 200 });
  });

  it('keeps a sane incoming X-Request-Id, replaces anything else', async () => {
    await start('info');
    const kept = await post(app, '/v1/track', track(), {
      authorization: basic(WEB_KEY),
      'x-request-id': 'lb-7f3a.42',
    });
    expect(kept.headers['x-request-id']).toBe('lb-7f3a.42');
    for (const bad of ['has spaces', 'x'.repeat(200), 'forged"}\\n{"level":60']) {
      const replaced = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': bad } });
      expect(replaced.headers['x-request-id']).toMatch(UUID);
    }
  });

  it('puts the id on the error lines of a failed request, and nothing per request at info', async () => {
    await start('info');
    store.failNextAppend(new Error('disk full'));
    const failed = await post(app, '/v1/track', track(), {
      authorization: basic(WEB_KEY),
      'x-request-id': 'trace-503',
    });
    expect(failed.statusCode).toBe(503);
    const admin = await app.inject({
      method: 'GET',
      url: '/admin/destinations',
      headers: { authorization: bearer(ADMIN_TOKEN) },
    });
    expect(admin.statusCode).toBe(200);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 50,
      reqId: 'trace-503',
      msg: 'ingest: the store could not commit events; answering 503',
    });
  });
});

describe('GET /ready and the store', () => {
  it('answers 503 store_unavailable while the store cannot commit, 200 again once it can', async () => {
    await start('info');
    store.failNextAppend(new Error('attempt to write a readonly database'));
    const response = await app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ success: false, code: 'store_unavailable' });
    expect(response.body).not.toContain('readonly'); // the reason goes to the log
    expect(lines.some((l) => JSON.stringify(l).includes('attempt to write a readonly database'))).toBe(true);
    // The failed probe's answer is kept for a second, then the store is asked again.
    const deadline = Date.now() + 10_000;
    while ((await app.inject({ method: 'GET', url: '/ready' })).statusCode !== 200) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});
