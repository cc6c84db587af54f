/** Track API routes over real HTTP: auth, v2 entity and batch (incl. 207), v1 delegation, /auth, region. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator, OperationResult } from '../../../src/emulator/index.js';
import { Workspace } from '../../../src/emulator/workspace/index.js';
import { API_KEY, call, event, identify, SITE_ID, startEmulator } from './helpers.js';

let emulator: Emulator;

/** What the workspace itself says about an operation: the server must pass it through unchanged. */
function verdict(op: unknown): { reason: string; field: string; message: string } {
  const result: OperationResult = new Workspace().validateV2(op);
  if (result.ok) throw new Error('expected an invalid operation');
  const { reason, field, message } = result;
  return { reason, field, message };
}
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => call(emulator, 'POST', '/_emulator/reset'));

describe('auth', () => {
  it.each([
    ['no header', null],
    ['a wrong key', `Basic ${Buffer.from(`${SITE_ID}:wrong`).toString('base64')}`],
    ['a wrong site id', `Basic ${Buffer.from(`other:${API_KEY}`).toString('base64')}`],
    ['a bearer token', `Bearer ${API_KEY}`],
    ['garbage', 'Basic !!!'],
  ])('answers 401 with a Customer.io-like body for %s', async (_name, auth) => {
    for (const [method, path] of [
      ['GET', '/auth'],
      ['POST', '/api/v2/entity'],
      ['POST', '/api/v2/batch'],
      ['PUT', '/api/v1/customers/u1'],
      ['GET', '/api/v1/accounts/region'],
    ] as const) {
      const res = await call(emulator, method, path, { auth, json: identify('u1') });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body).toEqual({ meta: { error: 'Unauthorized request' } });
      expect(res.text).not.toContain(API_KEY);
    }
    expect(emulator.workspace.people()).toEqual([]);
  });

  it('accepts good credentials on GET /auth, with the scheme in any case', async () => {
    expect((await call(emulator, 'GET', '/auth')).body).toEqual({});
    const lower = `basic ${Buffer.from(`${SITE_ID}:${API_KEY}`).toString('base64')}`;
    expect((await call(emulator, 'GET', '/auth', { auth: lower })).status).toBe(200);
  });

  it('checks auth before routing, so unknown /api paths are 401 without credentials and 404 with', async () => {
    expect((await call(emulator, 'POST', '/api/v2/nothing', { auth: null })).status).toBe(401);
    const res = await call(emulator, 'POST', '/api/v2/nothing', { json: {} });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ errors: [{ reason: 'not_found' }] });
  });
});

describe('GET /api/v1/accounts/region', () => {
  it('answers the us region and points back at the emulator', async () => {
    const res = await call(emulator, 'GET', '/api/v1/accounts/region');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ url: emulator.url, region: 'us', environment_id: 1 });
  });
});

describe('POST /api/v2/entity', () => {
  it('applies a valid operation and answers 200 {}', async () => {
    const res = await call(emulator, 'POST', '/api/v2/entity', { json: identify('u1', { plan: 'pro' }) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(emulator.workspace.person('u1')?.attributes).toEqual({ plan: 'pro' });
  });

  it('answers 400 with the workspace error for an invalid operation and applies nothing', async () => {
    const op = { type: 'person', action: 'identify', identifiers: {} };
    const res = await call(emulator, 'POST', '/api/v2/entity', { json: op });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [verdict(op)] });
    expect(emulator.workspace.people()).toEqual([]);
  });
});

describe('POST /api/v2/batch', () => {
  it('answers 200 {} when every item is good, applying them in order', async () => {
    const res = await call(emulator, 'POST', '/api/v2/batch', {
      json: { batch: [identify('u1', { a: 1 }), event('u1', 'signed_up'), identify('u1', { a: 2 })] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    const person = emulator.workspace.person('u1');
    expect(person?.attributes).toEqual({ a: 2 });
    expect(person?.activity.filter((a) => a.kind === 'event').map((a) => a.name)).toEqual(['signed_up']);
  });

  it('answers 207 listing only the bad items, while the good ones apply', async () => {
    const noName = { type: 'person', action: 'event', identifiers: { id: 'bad' } };
    const longId = identify('x'.repeat(151));
    const res = await call(emulator, 'POST', '/api/v2/batch', {
      json: { batch: [identify('good-1'), noName, identify('good-2'), longId] },
    });
    expect(res.status).toBe(207);
    expect(res.body).toEqual({
      errors: [
        { batch_index: 1, ...verdict(noName) },
        { batch_index: 3, ...verdict(longId) },
      ],
    });
    expect(verdict(longId).reason).toBe('too_long');
    const ids = emulator.workspace.people().map((p) => p.id);
    expect(ids.sort()).toEqual(['good-1', 'good-2']);
  });

  it('takes v2 delivery events (correction 10): recorded like /api/v1/metrics; a bad name or a missing id is that item’s 207 error', async () => {
    const delivery = (name: string, identifiers: Record<string, unknown>) => ({
      type: 'delivery',
      action: 'event',
      name,
      attributes: {},
      timestamp: 1709299200,
      identifiers,
    });
    const badName = delivery('clicked', { id: 'dlv_2' });
    const noId = delivery('opened', {});
    const res = await call(emulator, 'POST', '/api/v2/batch', {
      json: {
        batch: [delivery('opened', { id: 'dlv_1' }), badName, noId, delivery('delivered', { id: 'dlv_3' })],
      },
    });
    expect(res.status).toBe(207);
    expect(res.body).toEqual({
      errors: [
        { batch_index: 1, ...verdict(badName) },
        { batch_index: 2, ...verdict(noId) },
      ],
    });
    expect(verdict(badName)).toMatchObject({ reason: 'invalid', field: 'name' });
    expect(verdict(noId)).toMatchObject({ reason: 'required', field: 'identifiers.id' });
    const v1 = await call(emulator, 'POST', '/api/v1/metrics', {
      json: { delivery_id: 'dlv_1', metric: 'opened', timestamp: 1709299200 },
    });
    expect(v1.status).toBe(200);
    const [viaV2, other, viaV1] = emulator.workspace.metrics();
    expect(viaV2).toEqual({ delivery_id: 'dlv_1', metric: 'opened', timestamp: 1709299200 });
    expect(other).toMatchObject({ delivery_id: 'dlv_3', metric: 'delivered' });
    expect(viaV1).toEqual(viaV2);

    const entity = await call(emulator, 'POST', '/api/v2/entity', { json: badName });
    expect(entity).toMatchObject({ status: 400, body: { errors: [verdict(badName)] } });
    expect(emulator.workspace.metrics()).toHaveLength(3);
  });

  it.each([
    ['no batch key', { items: [] }, 'batch'],
    ['batch not an array', { batch: 'nope' }, 'batch'],
    ['a top-level array', [identify('u1')], 'batch'],
    ['an empty batch', { batch: [] }, 'batch'],
  ])('answers 400 for a malformed request: %s', async (_name, json, field) => {
    const res = await call(emulator, 'POST', '/api/v2/batch', { json });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errors: [{ field, reason: 'required' }] });
    expect((res.body as { errors: { message: string }[] }).errors[0]?.message).toMatch(/batch/);
  });
});

describe('v1 routes', () => {
  it('delegates to workspace.applyV1 with the path after /api/v1, still URL-encoded', async () => {
    const res = await call(emulator, 'PUT', '/api/v1/customers/jane%40example.com?x=1', {
      json: { plan: 'free' },
    });
    expect(res.status).toBe(200);
    expect(emulator.workspace.person('jane@example.com')?.attributes).toEqual({ plan: 'free' });
  });

  it('passes the status and body of the workspace through (404 for unknown v1 paths)', async () => {
    const res = await call(emulator, 'DELETE', '/api/v1/nowhere');
    expect(res.status).toBe(404);
    expect(res.body).toEqual(new Workspace().applyV1('DELETE', '/nowhere', undefined).body);
  });

  it('takes POST /api/v1/metrics', async () => {
    const res = await call(emulator, 'POST', '/api/v1/metrics', {
      json: { delivery_id: 'd1', metric: 'opened' },
    });
    expect(res.status).toBe(200);
    expect(emulator.workspace.metrics()).toHaveLength(1);
  });

  it('answers a v1 body error as {meta:{error}}', async () => {
    const res = await call(emulator, 'PUT', '/api/v1/customers/u1', {
      raw: '{oops',
      contentType: 'application/json',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ meta: { error: expect.stringMatching(/not valid JSON/) } });
  });
});
