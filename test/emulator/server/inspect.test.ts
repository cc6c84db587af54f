/** The `/_emulator/` inspection API: state views, recent requests (redacted), stats, reset. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator, RecordedRequest } from '../../../src/emulator/index.js';
import { API_KEY, AUTH, call, event, identify, startEmulator } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ maxRecentRequests: 5 });
});
afterAll(() => emulator.close());
beforeEach(() => call(emulator, 'POST', '/_emulator/reset'));

describe('state views', () => {
  it('lists people and looks one up by id or cio_<id>, with activity', async () => {
    await call(emulator, 'POST', '/api/v2/batch', {
      json: { batch: [identify('u1', { a: 1 }), event('u1', 'x')] },
    });
    const list = await call(emulator, 'GET', '/_emulator/people', { auth: null });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ count: 1, people: [{ id: 'u1', attributes: { a: 1 } }] });
    const one = await call(emulator, 'GET', '/_emulator/people/u1', { auth: null });
    expect(one.body).toMatchObject({
      id: 'u1',
      activity: expect.arrayContaining([expect.objectContaining({ kind: 'event', name: 'x' })]),
    });
    const cio = (one.body as { cio_id: string }).cio_id;
    expect((await call(emulator, 'GET', `/_emulator/people/cio_${cio}`)).body).toMatchObject({ id: 'u1' });
  });

  it('answers 404 JSON for an unknown person', async () => {
    const res = await call(emulator, 'GET', '/_emulator/people/nobody%40example.com');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: { code: 'not_found', message: 'no person with id, email or cio_id "nobody@example.com"' },
    });
  });

  it('serves objects, anonymous activity and metrics', async () => {
    await call(emulator, 'POST', '/api/v1/metrics', { json: { delivery_id: 'd1', metric: 'opened' } });
    expect((await call(emulator, 'GET', '/_emulator/objects')).body).toEqual({ count: 0, objects: [] });
    expect((await call(emulator, 'GET', '/_emulator/anonymous')).body).toEqual({ anonymous: {} });
    expect((await call(emulator, 'GET', '/_emulator/metrics')).body).toMatchObject({ count: 1 });
  });

  it('answers 404 JSON for an unknown inspection route', async () => {
    const res = await call(emulator, 'GET', '/_emulator/nothing');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('GET /_emulator/requests', () => {
  it('shows the last N API requests newest first, with the Authorization header redacted', async () => {
    await call(emulator, 'POST', '/api/v2/entity', { json: identify('u1') });
    await call(emulator, 'GET', '/auth', {
      auth: `Basic ${Buffer.from(`site-test:${API_KEY}x`).toString('base64')}`,
    });
    const res = await call(emulator, 'GET', '/_emulator/requests');
    const { requests, count, capacity } = res.body as {
      requests: RecordedRequest[];
      count: number;
      capacity: number;
    };
    expect(capacity).toBe(5);
    expect(count).toBe(2);
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/auth', status: 401 });
    expect(requests[1]).toMatchObject({
      method: 'POST',
      path: '/api/v2/entity',
      status: 200,
      body: JSON.stringify(identify('u1')),
      response: {},
      headers: { authorization: 'Basic [REDACTED]', 'content-type': 'application/json' },
    });
    expect(typeof requests[1]?.time).toBe('string');
    expect(res.text).not.toContain(API_KEY);
    expect(res.text).not.toContain(AUTH.slice('Basic '.length));
  });

  it('keeps only maxRecentRequests, honours ?limit and refuses a bad limit', async () => {
    for (let i = 0; i < 8; i += 1) await call(emulator, 'GET', `/auth?i=${i}`);
    const all = (await call(emulator, 'GET', '/_emulator/requests')).body as { requests: RecordedRequest[] };
    expect(all.requests.map((r) => r.path)).toEqual([
      '/auth?i=7',
      '/auth?i=6',
      '/auth?i=5',
      '/auth?i=4',
      '/auth?i=3',
    ]);
    const two = (await call(emulator, 'GET', '/_emulator/requests?limit=2')).body as { count: number };
    expect(two.count).toBe(2);
    expect((await call(emulator, 'GET', '/_emulator/requests?limit=x')).status).toBe(400);
  });

  it('does not record inspection requests themselves', async () => {
    await call(emulator, 'GET', '/_emulator/people');
    expect(emulator.requests()).toEqual([]);
  });
});

describe('stats and reset', () => {
  it('counts requests by status and operations accepted/rejected', async () => {
    await call(emulator, 'POST', '/api/v2/batch', {
      json: { batch: [identify('a'), identify(''), identify('b')] },
    });
    await call(emulator, 'POST', '/api/v2/entity', { json: identify('c') });
    await call(emulator, 'GET', '/auth', { auth: null });
    const res = await call(emulator, 'GET', '/_emulator/stats');
    expect(res.body).toMatchObject({
      mode: 'stateful',
      requests: { total: 3, byStatus: { '207': 1, '200': 1, '401': 1 }, unauthorized: 1 },
      operations: { accepted: 3, rejected: 1 },
      faults: { dropped: 0, hung: 0, rateLimited: 0, throttled: 0, errors: 0 },
    });
    const bodies =
      JSON.stringify({ batch: [identify('a'), identify(''), identify('b')] }) + JSON.stringify(identify('c'));
    expect((res.body as { requests: { bodyBytes: number } }).requests.bodyBytes).toBe(bodies.length);
  });

  it('POST /_emulator/reset empties state, the request log and the stats, but keeps faults', async () => {
    emulator.setFaults({ latencyMs: 1 });
    await call(emulator, 'POST', '/api/v2/entity', { json: identify('c') });
    expect((await call(emulator, 'POST', '/_emulator/reset')).body).toEqual({ reset: true });
    expect(emulator.workspace.people()).toEqual([]);
    expect(emulator.requests()).toEqual([]);
    expect(emulator.stats().requests.total).toBe(0);
    expect(emulator.faults()).toMatchObject({ latencyMs: 1 });
    emulator.setFaults({});
  });

  it('answers 409 to POST /_emulator/snapshot without a snapshot file', async () => {
    const res = await call(emulator, 'POST', '/_emulator/snapshot');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'no_snapshot_file' } });
  });
});
