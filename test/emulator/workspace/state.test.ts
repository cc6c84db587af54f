/** Views, snapshots, reset, metrics, and safety against prototype pollution. */
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../../src/emulator/workspace/index.js';
import { event, failure, identify, mustFind, ok, workspace } from './helpers.js';

function populate(ws: Workspace): void {
  ok(
    ws.applyV2(
      identify(
        { id: 'user_123' },
        { email: 'jane@example.com', plan: 'pro', anonymous_id: 'anon_1', _timestamp: 1709000000 },
      ),
    ),
  );
  ok(ws.applyV2(event({ id: 'user_123' }, 'Order Completed', { id: 'm1', attributes: { total: 9 } })));
  ok(
    ws.applyV2({
      type: 'person',
      action: 'add_device',
      device: { token: 't1', platform: 'ios', attributes: { v: '1' } },
      identifiers: { id: 'user_123' },
    }),
  );
  ok(ws.applyV2(event({ anonymous_id: 'anon_2' }, 'Browsing')));
  ok(ws.applyV2(identify({ anonymous_id: 'anon_2' }, { color: 'red' })));
  ok(
    ws.applyV2({
      type: 'object',
      action: 'identify_anonymous',
      attributes: { name: 'Beta' },
      cio_relationships: [{ identifiers: { anonymous_id: 'anon_2' } }],
      identifiers: { object_type_id: '1', object_id: 'beta' },
    }),
  );
  ok(
    ws.applyV2({
      type: 'object',
      action: 'identify',
      attributes: { name: 'Acme' },
      cio_relationships: [{ identifiers: { id: 'user_123' }, relationship_attributes: { role: 'owner' } }],
      identifiers: { object_type_id: '2', object_id: 'acme' },
    }),
  );
  ok(ws.applyV2({ type: 'person', action: 'suppress', identifiers: { email: 'gone@example.com' } }));
  expect(
    ws.applyV1('POST', '/metrics', {
      delivery_id: 'dlv_abc123',
      metric: 'clicked',
      timestamp: 1709299200,
      href: 'https://example.com',
    }).status,
  ).toBe(200);
}

function everything(ws: Workspace) {
  return { people: ws.people(), objects: ws.objects(), anonymous: ws.anonymous(), metrics: ws.metrics() };
}

describe('snapshot and restore', () => {
  it('round-trips the whole state through JSON', () => {
    const { ws, clock } = workspace();
    populate(ws);
    const json = JSON.stringify(ws.snapshot());
    const copy = new Workspace({ now: () => clock.seconds * 1000 });
    copy.restore(JSON.parse(json));
    expect(everything(copy)).toEqual(everything(ws));
    expect(JSON.stringify(copy.snapshot())).toBe(json);
  });

  it('restored state keeps working: indexes, counters, suppressions, _timestamp order and pending merges', () => {
    const { ws, clock } = workspace();
    populate(ws);
    const copy = new Workspace({ now: () => clock.seconds * 1000 });
    copy.restore(JSON.parse(JSON.stringify(ws.snapshot())));
    expect(copy.person('JANE@example.com')?.id).toBe('user_123');
    failure(copy.applyV2(identify({ email: 'gone@example.com' })), 'suppressed', 'identifiers.email');
    ok(copy.applyV2(identify({ id: 'user_123' }, { plan: 'old', _timestamp: 1 })));
    expect(mustFind(copy, 'user_123').attributes['plan']).toBe('pro');
    ok(copy.applyV2(event({ id: 'user_123' }, 'Order Completed', { id: 'm1' })));
    expect(mustFind(copy, 'user_123').activity.filter((a) => a.id === 'm1')).toHaveLength(1);
    ok(copy.applyV2(identify({ id: 'u2' }, { anonymous_id: 'anon_2' })));
    expect(mustFind(copy, 'u2')).toMatchObject({ cio_id: 'a3000002', attributes: { color: 'red' } });
    expect(mustFind(copy, 'u2').relationships).toEqual([
      { object_type_id: '1', object_id: 'beta', attributes: {} },
    ]);
    expect(copy.objects().map((o) => o.cio_object_id)).toEqual(['b0000001', 'b0000002']);
    ok(
      copy.applyV2({
        type: 'person',
        action: 'add_device',
        device: { token: 't1', platform: 'ios' },
        identifiers: { id: 'u2' },
      }),
    );
    expect(mustFind(copy, 'user_123').devices).toEqual([]);
  });

  it('refuses something that is not a snapshot and keeps the current state', () => {
    const { ws } = workspace();
    populate(ws);
    expect(() => ws.restore({ version: 99 })).toThrow(/snapshot/);
    expect(() => ws.restore('nope')).toThrow(/snapshot/);
    expect(ws.people()).toHaveLength(1);
  });

  it('the snapshot is a copy', () => {
    const { ws } = workspace();
    populate(ws);
    const snapshot = ws.snapshot() as { people: { attributes: [string, unknown][] }[] };
    snapshot.people[0]?.attributes.push(['hacked', true]);
    expect(mustFind(ws, 'user_123').attributes).not.toHaveProperty('hacked');
  });
});

describe('reset and views', () => {
  it('reset empties everything and restarts the counters', () => {
    const { ws } = workspace();
    populate(ws);
    ws.reset();
    expect(everything(ws)).toEqual({ people: [], objects: [], anonymous: {}, metrics: [] });
    ok(ws.applyV2(identify({ email: 'gone@example.com' })));
    expect(mustFind(ws, 'gone@example.com').cio_id).toBe('a3000001');
  });

  it('views are copies: changing one changes nothing, and later operations do not change it', () => {
    const { ws } = workspace();
    populate(ws);
    const view = mustFind(ws, 'user_123');
    view.attributes['plan'] = 'hacked';
    view.devices[0]!.attributes['v'] = 'hacked';
    view.activity[0]!.data!['plan'] = 'hacked';
    view.anonymous_ids.push('x');
    ws.metrics()[0]!.metric = 'hacked';
    ws.objects()[0]!.attributes['name'] = 'hacked';
    (ws.anonymous()['anon_2'] ?? []).push({ kind: 'x', timestamp: 0 });
    const fresh = mustFind(ws, 'user_123');
    expect(fresh.attributes['plan']).toBe('pro');
    expect(fresh.devices[0]?.attributes).toEqual({ v: '1' });
    expect(fresh.activity[0]?.data?.['plan']).toBe('pro');
    expect(fresh.anonymous_ids).toEqual(['anon_1']);
    expect(ws.metrics()[0]?.metric).toBe('clicked');
    expect(ws.objects()[0]?.attributes['name']).toBe('Acme');
    expect(ws.anonymous()['anon_2']).toHaveLength(3);
    ok(ws.applyV2(identify({ id: 'user_123' }, { plan: 'team' })));
    expect(fresh.attributes['plan']).toBe('pro');
  });

  it('people() lists in creation order; person() looks up by id, email or cio_<cio_id>', () => {
    const { ws } = workspace();
    populate(ws);
    ok(ws.applyV2(identify({ email: 'second@example.com' })));
    expect(ws.people().map((p) => p.cio_id)).toEqual(['a3000001', 'a3000002']);
    expect(ws.person('cio_a3000002')?.email).toBe('second@example.com');
    expect(ws.person('nobody')).toBeUndefined();
  });
});

describe('metrics', () => {
  it('records v1 /metrics bodies (segment-actions.md §5.12) and v2 delivery events', () => {
    const { ws, clock } = workspace();
    const body = {
      delivery_id: 'dlv_abc123',
      metric: 'clicked',
      timestamp: 1709299200,
      recipient: 'jane@example.com',
      href: 'https://example.com/promo',
      metadata: { action_name: 'cta', action_value: 'buy' },
    };
    expect(ws.applyV1('POST', '/metrics', body)).toEqual({ status: 200, body: {} });
    expect(
      ws.applyV1('POST', '/metrics', { delivery_id: 'd2', metric: 'bounced', reason: 'mailbox full' }).status,
    ).toBe(200);
    ok(
      ws.applyV2({
        type: 'delivery',
        action: 'event',
        name: 'delivered',
        identifiers: { id: 'd3' },
        attributes: { device_token: 't1' },
        timestamp: 1709299300,
      }),
    );
    expect(ws.metrics()).toEqual([
      body,
      { delivery_id: 'd2', metric: 'bounced', reason: 'mailbox full', timestamp: clock.seconds },
      { delivery_id: 'd3', metric: 'delivered', timestamp: 1709299300, metadata: { device_token: 't1' } },
    ]);
    expect(ws.people()).toEqual([]);
    // The state kept copies: changing the inputs afterwards changes nothing.
    body.metadata.action_name = 'changed';
    expect(ws.metrics()[0]?.metadata).toEqual({ action_name: 'cta', action_value: 'buy' });
  });

  it('answers 400 for a bad metric body', () => {
    const { ws } = workspace();
    const error = (message: unknown) => ({ status: 400, body: { meta: { error: message } } });
    expect(ws.applyV1('POST', '/metrics', { metric: 'opened' })).toEqual(error('delivery_id is required.'));
    expect(ws.applyV1('POST', '/metrics', { delivery_id: 'd', metric: 'read' })).toEqual(
      error(expect.stringContaining('metric must be one of')),
    );
    expect(ws.applyV1('POST', '/metrics', { delivery_id: 'd' })).toEqual(error('metric is required.'));
    expect(
      ws.applyV1('POST', '/metrics', { delivery_id: 'd', metric: 'opened', timestamp: 'yesterday' }),
    ).toEqual(error(expect.stringContaining('unix seconds')));
    expect(ws.applyV1('POST', '/metrics', { delivery_id: 'd', metric: 'opened', href: 3 })).toEqual(
      error('href must be a string.'),
    );
    expect(ws.applyV1('POST', '/metrics', { delivery_id: 'd', metric: 'opened', metadata: [1] })).toEqual(
      error('metadata must be a JSON object.'),
    );
    expect(ws.applyV1('POST', '/metrics', 'x')).toEqual(error('The body must be a JSON object.'));
    expect(ws.metrics()).toEqual([]);
  });
});

describe('prototype pollution', () => {
  const evil = JSON.parse(
    '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"toString":"x","plan":"pro"}',
  ) as Record<string, unknown>;

  it('keeps __proto__ and constructor as ordinary attribute names everywhere', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'u1' }, evil)));
    ok(ws.applyV2(event({ id: 'u1' }, 'E', { attributes: evil })));
    ok(
      ws.applyV2({
        type: 'person',
        action: 'add_device',
        device: { token: 't', platform: 'ios', attributes: evil },
        identifiers: { id: 'u1' },
      }),
    );
    ok(
      ws.applyV2({
        type: 'object',
        action: 'identify',
        attributes: evil,
        identifiers: { object_type_id: '1', object_id: '__proto__' },
      }),
    );
    ok(ws.applyV2(identify({ anonymous_id: '__proto__' }, evil)));
    expect(ws.applyV1('PUT', '/customers/constructor', evil).status).toBe(200);
    expect(
      ws.applyV1('PUT', '/customers/u1/devices', { device: { id: 't2', platform: 'ios', ...evil } }).status,
    ).toBe(200);
    ok(
      ws.applyV2({
        type: 'person',
        action: 'merge',
        primary: { id: 'u1' },
        secondary: { id: 'constructor' },
      }),
    );

    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    const person = mustFind(ws, 'u1');
    expect(Object.getPrototypeOf(person.attributes)).toBe(Object.prototype);
    expect(Object.keys(person.attributes).sort()).toEqual(['__proto__', 'constructor', 'plan', 'toString']);
    expect(Object.getOwnPropertyDescriptor(person.attributes, '__proto__')?.value).toEqual({
      polluted: true,
    });
    expect(Object.keys(person.devices[1]?.attributes ?? {})).toContain('__proto__');
    expect(Object.keys(ws.objects()[0]?.attributes ?? {})).toContain('__proto__');
    expect(Object.keys(ws.anonymous())).toEqual(['__proto__']);

    const copy = new Workspace();
    copy.restore(JSON.parse(JSON.stringify(ws.snapshot())));
    expect(Object.keys(mustFind(copy, 'u1').attributes)).toContain('__proto__');
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
