import { describe, expect, it } from 'vitest';
import { event, failure, identify, kinds, mustFind, ok, workspace } from './helpers.js';

const person = (action: string, identifiers: Record<string, unknown>) => ({
  type: 'person',
  action,
  identifiers,
});

describe('delete', () => {
  it('removes the person (segment-actions.md §5.7); a later call re-creates them with a new cio_id', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'user_to_delete' }, { email: 'd@example.com', plan: 'pro' })));
    ok(ws.applyV2(person('delete', { id: 'user_to_delete' })));
    expect(ws.people()).toEqual([]);
    expect(ws.person('d@example.com')).toBeUndefined();
    ok(ws.applyV2(person('delete', { id: 'user_to_delete' })));
    ok(ws.applyV2(event({ id: 'user_to_delete' }, 'Came Back')));
    expect(mustFind(ws, 'user_to_delete')).toMatchObject({ cio_id: 'a3000002', attributes: {} });
    expect(ws.person('d@example.com')).toBeUndefined();
  });

  it('a deleted cio_id can no longer be addressed', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'u1' })));
    ok(ws.applyV2(person('delete', { cio_id: 'a3000001' })));
    failure(ws.applyV2(identify({ cio_id: 'a3000001' }, { id: 'u1' })), 'not_found', 'identifiers.cio_id');
  });
});

describe('suppress and unsuppress', () => {
  it('suppress deletes the profile and blocks its id and email (§3.3)', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'user_123' }, { email: 'jane@example.com' })));
    ok(ws.applyV2(person('suppress', { id: 'user_123' })));
    expect(ws.people()).toEqual([]);
    const byId = failure(ws.applyV2(event({ id: 'user_123' }, 'X')), 'suppressed', 'identifiers.id');
    expect(byId).toContain('unsuppress');
    failure(ws.applyV2(identify({ email: 'JANE@example.com' })), 'suppressed', 'identifiers.email');
    failure(
      ws.applyV2(identify({ id: 'other' }, { email: 'jane@example.com' })),
      'suppressed',
      'attributes.email',
    );
    failure(ws.applyV2(person('delete', { id: 'user_123' })), 'suppressed', 'identifiers.id');
    failure(
      ws.applyV2({
        type: 'person',
        action: 'add_device',
        device: { token: 't', platform: 'ios' },
        identifiers: { id: 'user_123' },
      }),
      'suppressed',
      'identifiers.id',
    );
    failure(ws.applyV2(identify({ cio_id: 'a3000001' })), 'suppressed', 'identifiers.cio_id');
    expect(ws.people()).toEqual([]);
    // Suppressing again is harmless.
    ok(ws.applyV2(person('suppress', { email: 'jane@example.com' })));
  });

  it('an identifier nobody has can be suppressed', () => {
    const { ws } = workspace();
    ok(ws.applyV2(person('suppress', { email: 'never@example.com' })));
    failure(ws.applyV2(event({ email: 'never@example.com' }, 'X')), 'suppressed', 'identifiers.email');
    failure(ws.applyV2(person('suppress', { cio_id: 'a3000009' })), 'not_found', 'identifiers.cio_id');
  });

  it('unsuppress frees both identifiers without restoring the profile', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'user_123' }, { email: 'jane@example.com', plan: 'pro' })));
    ok(ws.applyV2(person('suppress', { id: 'user_123' })));
    ok(ws.applyV2(person('unsuppress', { email: 'jane@example.com' })));
    expect(ws.people()).toEqual([]);
    ok(ws.applyV2(identify({ id: 'user_123' }, { email: 'jane@example.com' })));
    expect(mustFind(ws, 'user_123')).toMatchObject({ cio_id: 'a3000002', attributes: {} });
    ok(ws.applyV2(person('unsuppress', { id: 'not-suppressed' })));
  });

  it('suppression blocks merges and relationships naming the identifier', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'keep' })));
    ok(ws.applyV2(person('suppress', { id: 'gone' })));
    failure(
      ws.applyV2({ type: 'person', action: 'merge', primary: { id: 'keep' }, secondary: { id: 'gone' } }),
      'suppressed',
      'secondary.id',
    );
    failure(
      ws.applyV2({
        type: 'object',
        action: 'add_relationships',
        identifiers: { object_type_id: '1', object_id: 'acme' },
        cio_relationships: [{ identifiers: { id: 'gone' } }],
      }),
      'suppressed',
      'cio_relationships.0.identifiers.id',
    );
  });
});

describe('merge', () => {
  const merge = (primary: Record<string, unknown>, secondary: Record<string, unknown>) => ({
    type: 'person',
    action: 'merge',
    primary,
    secondary,
  });

  it('primary keeps its attributes, gains the others, the devices and the activity; the secondary is deleted', () => {
    const { ws, clock } = workspace();
    ok(ws.applyV2(identify({ id: 'user_123' }, { plan: 'pro', city: 'Paris' }, { timestamp: 1709000000 })));
    ok(ws.applyV2(identify({ id: 'anon_123' }, { plan: 'free', color: 'blue' }, { timestamp: 1709000010 })));
    ok(ws.applyV2(event({ id: 'anon_123' }, 'Viewed Pricing', { timestamp: 1709000005 })));
    ok(
      ws.applyV2({
        type: 'person',
        action: 'add_device',
        device: { token: 't1', platform: 'android' },
        identifiers: { id: 'anon_123' },
      }),
    );
    ok(ws.applyV2(merge({ id: 'user_123' }, { id: 'anon_123' })));
    expect(ws.people()).toHaveLength(1);
    expect(ws.person('anon_123')).toBeUndefined();
    const primary = mustFind(ws, 'user_123');
    expect(primary.attributes).toEqual({ plan: 'pro', city: 'Paris', color: 'blue' });
    expect(primary.devices.map((d) => d.token)).toEqual(['t1']);
    expect(primary.activity.map((a) => [a.kind, a.timestamp])).toEqual([
      ['identified', 1709000000],
      ['event', 1709000005],
      ['identified', 1709000010],
      ['device_added', clock.seconds],
      ['merged', clock.seconds],
    ]);
    expect(primary.activity.at(-1)?.data).toEqual({ secondary: { cio_id: 'a3000002', id: 'anon_123' } });
    // The device token now belongs to the primary: adding it there is an update.
    ok(
      ws.applyV2({
        type: 'person',
        action: 'add_device',
        device: { token: 't1', platform: 'android' },
        identifiers: { id: 'user_123' },
      }),
    );
    expect(kinds(mustFind(ws, 'user_123')).at(-1)).toBe('device_updated');
  });

  it('the primary gains the email it lacks; the email then addresses the primary', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'u1' })));
    ok(ws.applyV2(identify({ email: 'new@example.com' })));
    ok(ws.applyV2(merge({ id: 'u1' }, { email: 'new@example.com' })));
    expect(mustFind(ws, 'new@example.com').id).toBe('u1');
  });

  it('works with email and cio_id sides (segment-actions.md §5.11 #2)', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'old' })));
    ok(ws.applyV2(identify({ email: 'new@example.com' })));
    ok(ws.applyV2(merge({ email: 'new@example.com' }, { cio_id: 'a3000001' })));
    expect(ws.people().map((p) => p.cio_id)).toEqual(['a3000002']);
  });

  it('refuses a missing primary or secondary, and a person merged with themselves', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'a' }, { email: 'a@example.com' })));
    expect(failure(ws.applyV2(merge({ id: 'nobody' }, { id: 'a' })), 'not_found', 'primary.id')).toContain(
      'must exist',
    );
    failure(ws.applyV2(merge({ id: 'a' }, { email: 'nobody@example.com' })), 'not_found', 'secondary.email');
    failure(ws.applyV2(merge({ id: 'a' }, { email: 'a@example.com' })), 'invalid', 'secondary');
    expect(ws.people()).toHaveLength(1);
  });
});
