/** Sink mode: validates and counts, keeps no state and no request log. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator/index.js';
import { call, event, identify, startEmulator } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ sink: true });
});
afterAll(() => emulator.close());

describe('sink mode', () => {
  it('validates v2 operations with the workspace rules and counts them without keeping state', async () => {
    const batch = await call(emulator, 'POST', '/api/v2/batch', {
      json: {
        batch: [
          identify('a'),
          event('a', 'x'),
          { type: 'person', action: 'event', identifiers: { id: 'a' } },
        ],
      },
    });
    expect(batch.status).toBe(207);
    expect(batch.body).toMatchObject({ errors: [{ batch_index: 2, field: 'name' }] });
    expect((await call(emulator, 'POST', '/api/v2/entity', { json: identify('b') })).status).toBe(200);
    expect((await call(emulator, 'POST', '/api/v2/entity', { json: identify('') })).status).toBe(400);

    expect(emulator.workspace.people()).toEqual([]);
    expect((await call(emulator, 'GET', '/_emulator/people')).body).toEqual({ count: 0, people: [] });
    expect(emulator.requests()).toEqual([]);
    const stats = (await call(emulator, 'GET', '/_emulator/stats')).body;
    expect(stats).toMatchObject({
      mode: 'sink',
      requests: { total: 3, byStatus: { '200': 1, '207': 1, '400': 1 } },
      operations: { accepted: 3, rejected: 2 },
    });
  });

  it('accepts and counts operations that only state could refuse: a merge, a cio_id', async () => {
    const before = emulator.stats().operations;
    const merge = { type: 'person', action: 'merge', primary: { id: 'p' }, secondary: { email: 's@x.io' } };
    const byCioId = { type: 'person', action: 'event', identifiers: { cio_id: 'a3000001' }, name: 'x' };
    const object = {
      type: 'object',
      action: 'add_relationships',
      identifiers: { cio_object_id: 'o1' },
      cio_relationships: [{ identifiers: { cio_id: 'a3000002' } }],
    };
    const batch = await call(emulator, 'POST', '/api/v2/batch', {
      json: { batch: [merge, byCioId, object] },
    });
    expect(batch).toMatchObject({ status: 200, body: {} });
    expect((await call(emulator, 'POST', '/api/v2/entity', { json: merge })).status).toBe(200);
    // The stateless checks still apply: a cio_id with its prefix is refused.
    const prefixed = { ...byCioId, identifiers: { cio_id: 'cio_a3000001' } };
    expect((await call(emulator, 'POST', '/api/v2/entity', { json: prefixed })).status).toBe(400);

    expect(emulator.stats().operations).toEqual({
      accepted: before.accepted + 4,
      rejected: before.rejected + 1,
    });
    expect(emulator.workspace.people()).toEqual([]);
  });

  it('validates v2 delivery events like the stateful mode (correction 10) and checks v1 metrics', async () => {
    const opened = {
      type: 'delivery',
      action: 'event',
      name: 'opened',
      attributes: {},
      identifiers: { id: 'd1' },
    };
    const batch = await call(emulator, 'POST', '/api/v2/batch', {
      json: {
        batch: [
          opened,
          { ...opened, name: 'bounced' },
          { ...opened, identifiers: {} },
          { ...opened, attributes: undefined },
        ],
      },
    });
    expect(batch.status).toBe(207);
    expect(batch.body).toMatchObject({
      errors: [
        { batch_index: 1, reason: 'invalid', field: 'name' },
        { batch_index: 2, reason: 'required', field: 'identifiers.id' },
        { batch_index: 3, reason: 'required', field: 'attributes' },
      ],
    });
    const metric = (json: unknown) => call(emulator, 'POST', '/api/v1/metrics', { json });
    expect((await metric({ delivery_id: 'd1', metric: 'bounced', reason: 'full' })).status).toBe(200);
    expect((await metric({ metric: 'opened' })).status).toBe(400);
    expect((await metric({ delivery_id: 'd1', metric: '' })).status).toBe(400);
    expect(emulator.workspace.metrics()).toEqual([]);
  });

  it('checks the basic shape of v1 requests without applying them', async () => {
    expect((await call(emulator, 'PUT', '/api/v1/customers/u1', { json: { plan: 'x' } })).status).toBe(200);
    expect(
      (await call(emulator, 'POST', '/api/v1/customers/u1/events', { json: { name: 'x' } })).status,
    ).toBe(200);
    expect((await call(emulator, 'POST', '/api/v1/customers/u1/events', { json: {} })).status).toBe(400);
    expect(
      (await call(emulator, 'POST', '/api/v1/events', { json: { name: 'x', anonymous_id: 'a' } })).status,
    ).toBe(200);
    expect((await call(emulator, 'DELETE', '/api/v1/customers/u1/devices/tok')).status).toBe(200);
    expect((await call(emulator, 'POST', '/api/v1/merge_customers', { json: { primary: {} } })).status).toBe(
      400,
    );
    expect((await call(emulator, 'POST', '/api/v1/nothing', { json: {} })).status).toBe(404);
    expect(emulator.workspace.people()).toEqual([]);
  });

  it('refuses a snapshot file', async () => {
    await expect(startEmulator({ sink: true, snapshotFile: '/tmp/never.json' })).rejects.toThrow(/sink mode/);
  });
});
