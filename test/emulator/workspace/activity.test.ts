import { describe, expect, it } from 'vitest';
import { event, failure, identify, kinds, mustFind, ok, workspace } from './helpers.js';

describe('events, page views, screens and content events', () => {
  it('records an event on a new person, creating them (segment-actions.md §5.2)', () => {
    const { ws } = workspace();
    ok(
      ws.applyV2({
        type: 'person',
        action: 'event',
        name: 'Order Completed',
        id: 'msg-track-1',
        attributes: { order_id: 'o-1', total: 99.5, currency: 'USD' },
        timestamp: 1709290800,
        identifiers: { id: 'user_123' },
      }),
    );
    expect(mustFind(ws, 'user_123').activity).toEqual([
      {
        kind: 'event',
        name: 'Order Completed',
        id: 'msg-track-1',
        data: { order_id: 'o-1', total: 99.5, currency: 'USD' },
        timestamp: 1709290800,
      },
    ]);
  });

  it('records page views and screens (segment-actions.md §5.3, §5.4)', () => {
    const { ws } = workspace();
    ok(
      ws.applyV2({
        type: 'person',
        action: 'page',
        name: 'https://example.com/pricing',
        attributes: { url: 'https://example.com/pricing', path: '/pricing', title: 'Pricing' },
        id: 'msg-page-1',
        timestamp: 1709301600,
        identifiers: { id: 'user_123' },
      }),
    );
    ok(
      ws.applyV2({
        type: 'person',
        action: 'screen',
        name: 'Checkout',
        attributes: { step: 2, opened_at: 1709305140 },
        id: 'msg-screen-1',
        timestamp: 1709305200,
        identifiers: { id: 'user_123' },
      }),
    );
    const person = mustFind(ws, 'user_123');
    expect(person.activity.map((a) => [a.kind, a.name])).toEqual([
      ['page', 'https://example.com/pricing'],
      ['screen', 'Checkout'],
    ]);
  });

  it('records content actions with action = name (segment-actions.md §5.13)', () => {
    const { ws } = workspace();
    ok(
      ws.applyV2({
        type: 'person',
        action: 'viewed_content',
        name: 'viewed_content',
        attributes: { contentId: 'card-7', seen_at: 1709299499 },
        timestamp: 1709299500,
        identifiers: { id: 'u1' },
      }),
    );
    ok(ws.applyV2({ type: 'person', action: 'clicked_content', identifiers: { id: 'u1' } }));
    expect(mustFind(ws, 'u1').activity.map((a) => [a.kind, a.name])).toEqual([
      ['viewed_content', 'viewed_content'],
      ['clicked_content', 'clicked_content'],
    ]);
    failure(
      ws.applyV2({ type: 'person', action: 'viewed_content', name: 'other', identifiers: { id: 'u1' } }),
      'invalid',
      'name',
    );
  });

  it('accepts a numeric-string timestamp (Segment passes it through, §5.2 #3) and uses now when absent', () => {
    const { ws, clock } = workspace();
    ok(ws.applyV2(event({ email: 'jane@example.com' }, 'Email Userid Event', { timestamp: '1709291000' })));
    ok(ws.applyV2(event({ email: 'jane@example.com' }, 'No Time')));
    expect(mustFind(ws, 'jane@example.com').activity.map((a) => a.timestamp)).toEqual([
      1709291000,
      clock.seconds,
    ]);
  });

  it('trims leading and trailing spaces of event names', () => {
    const { ws } = workspace();
    ok(ws.applyV2(event({ id: 'u1' }, '  Signed Up ')));
    expect(mustFind(ws, 'u1').activity[0]?.name).toBe('Signed Up');
  });

  it('drops a repeated event id for the same person, and still answers ok', () => {
    const { ws } = workspace();
    ok(ws.applyV2(event({ id: 'u1' }, 'Order Completed', { id: '01HQ', attributes: { n: 1 } })));
    ok(ws.applyV2(event({ id: 'u1' }, 'Order Completed', { id: '01HQ', attributes: { n: 2 } })));
    ok(ws.applyV2({ type: 'person', action: 'page', name: '/x', id: '01HQ', identifiers: { id: 'u1' } }));
    ok(ws.applyV2(event({ id: 'u2' }, 'Order Completed', { id: '01HQ' })));
    ok(ws.applyV2(event({ id: 'u1' }, 'Order Completed')));
    ok(ws.applyV2(event({ id: 'u1' }, 'Order Completed')));
    expect(mustFind(ws, 'u1').activity.map((a) => a.data)).toEqual([{ n: 1 }, {}, {}]);
    expect(kinds(mustFind(ws, 'u2'))).toEqual(['event']);
  });

  it('de-duplicates without rescanning a long log', () => {
    const { ws } = workspace();
    const started = performance.now();
    for (let i = 0; i < 20_000; i += 1) ok(ws.applyV2(event({ id: 'u1' }, 'Tick', { id: `e${i % 10_000}` })));
    expect(mustFind(ws, 'u1').activity).toHaveLength(10_000);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('an event by email creates a lead that a later identify by id converts', () => {
    const { ws } = workspace();
    ok(ws.applyV2(event({ email: 'lead@example.com' }, 'Downloaded Whitepaper')));
    ok(ws.applyV2(identify({ id: 'u1' }, { email: 'lead@example.com' })));
    expect(kinds(mustFind(ws, 'u1'))).toEqual(['event', 'identified']);
  });

  it('an event for an unknown cio_id is refused', () => {
    const { ws } = workspace();
    failure(ws.applyV2(event({ cio_id: 'a3000001' }, 'X')), 'not_found', 'identifiers.cio_id');
  });
});

describe('devices', () => {
  const addDevice = (identifiers: Record<string, unknown>, device: Record<string, unknown>) => ({
    type: 'person',
    action: 'add_device',
    device,
    identifiers,
  });

  it('adds a device to a person (segment-actions.md §5.5), creating the person', () => {
    const { ws, clock } = workspace();
    ok(
      ws.applyV2(
        addDevice(
          { id: 'user_123' },
          {
            token: 'device_token_abc',
            platform: 'ios',
            last_used: 1709294400,
            attributes: { version: '3.2.1', build: '321', app_version: '3.2.1' },
          },
        ),
      ),
    );
    const person = mustFind(ws, 'user_123');
    expect(person.devices).toEqual([
      {
        token: 'device_token_abc',
        platform: 'ios',
        last_used: 1709294400,
        attributes: { version: '3.2.1', build: '321', app_version: '3.2.1' },
      },
    ]);
    expect(person.activity).toEqual([
      {
        kind: 'device_added',
        data: { token: 'device_token_abc', platform: 'ios' },
        timestamp: clock.seconds,
      },
    ]);
  });

  it('re-adding a token updates it; last_used defaults to now; null removes a device attribute', () => {
    const { ws, clock } = workspace();
    ok(ws.applyV2(addDevice({ id: 'u1' }, { token: 't1', platform: 'ios', attributes: { a: '1', b: '2' } })));
    clock.advance(60);
    ok(
      ws.applyV2(
        addDevice({ id: 'u1' }, { token: 't1', platform: 'android', attributes: { b: null, c: '3' } }),
      ),
    );
    const person = mustFind(ws, 'u1');
    expect(person.devices).toEqual([
      { token: 't1', platform: 'android', last_used: clock.seconds, attributes: { a: '1', c: '3' } },
    ]);
    expect(kinds(person)).toEqual(['device_added', 'device_updated']);
  });

  it('a token moves when another person adds it', () => {
    const { ws } = workspace();
    ok(ws.applyV2(addDevice({ id: 'u1' }, { token: 't1', platform: 'ios' })));
    ok(ws.applyV2(addDevice({ id: 'u2' }, { token: 't1', platform: 'ios' })));
    expect(mustFind(ws, 'u1').devices).toEqual([]);
    expect(kinds(mustFind(ws, 'u1'))).toEqual(['device_added', 'device_deleted']);
    expect(mustFind(ws, 'u2').devices.map((d) => d.token)).toEqual(['t1']);
  });

  it('deletes a device (segment-actions.md §5.6); deleting an unknown device changes nothing', () => {
    const { ws } = workspace();
    ok(ws.applyV2(addDevice({ id: 'user_123' }, { token: 'device_token_abc', platform: 'ios' })));
    ok(
      ws.applyV2({
        type: 'person',
        action: 'delete_device',
        device: { token: 'device_token_abc' },
        identifiers: { id: 'user_123' },
      }),
    );
    ok(
      ws.applyV2({
        type: 'person',
        action: 'delete_device',
        device: { token: 'nope' },
        identifiers: { id: 'user_123' },
      }),
    );
    ok(
      ws.applyV2({
        type: 'person',
        action: 'delete_device',
        device: { token: 'nope' },
        identifiers: { id: 'nobody' },
      }),
    );
    expect(ws.people()).toHaveLength(1);
    const person = mustFind(ws, 'user_123');
    expect(person.devices).toEqual([]);
    expect(kinds(person)).toEqual(['device_added', 'device_deleted']);
    // Re-sending the device adds it again.
    ok(ws.applyV2(addDevice({ id: 'user_123' }, { token: 'device_token_abc', platform: 'ios' })));
    expect(mustFind(ws, 'user_123').devices).toHaveLength(1);
  });
});
