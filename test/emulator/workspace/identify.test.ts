import { describe, expect, it } from 'vitest';
import { failure, identify, kinds, mustFind, ok, workspace } from './helpers.js';

describe('identify: people by id or email', () => {
  it('creates a person with a deterministic cio_id, id, email and attributes (segment-actions.md §5.1 #0)', () => {
    const { ws, clock } = workspace();
    ok(
      ws.applyV2({
        type: 'person',
        action: 'identify',
        attributes: {
          email: 'jane@example.com',
          name: 'Jane Doe',
          plan: 'pro',
          age: 42,
          created_at: 1673771400,
        },
        timestamp: 1709287200,
        identifiers: { id: 'user_123' },
      }),
    );
    const jane = mustFind(ws, 'user_123');
    expect(jane).toMatchObject({
      cio_id: 'a3000001',
      id: 'user_123',
      email: 'jane@example.com',
      attributes: { name: 'Jane Doe', plan: 'pro', age: 42, created_at: 1673771400 },
      created_at: clock.seconds,
      updated_at: clock.seconds,
    });
    // id and email are identifiers, not custom attributes.
    expect(jane.attributes).not.toHaveProperty('email');
    expect(jane.activity).toEqual([
      {
        kind: 'identified',
        data: { email: 'jane@example.com', name: 'Jane Doe', plan: 'pro', age: 42, created_at: 1673771400 },
        timestamp: 1709287200,
      },
    ]);
    ok(ws.applyV2(identify({ id: 'user_456' })));
    expect(mustFind(ws, 'user_456').cio_id).toBe('a3000002');
  });

  it('finds a person by id, by email in any case, and by cio_<cio_id>', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'u1' }, { email: 'Jane@Example.com' })));
    expect(ws.person('u1')?.cio_id).toBe('a3000001');
    expect(ws.person('jane@example.COM')?.cio_id).toBe('a3000001');
    expect(ws.person('cio_a3000001')?.id).toBe('u1');
    expect(ws.person('a3000001')).toBeUndefined();
    ok(ws.applyV2(identify({ email: 'JANE@example.com' }, { plan: 'pro' })));
    expect(ws.people()).toHaveLength(1);
    expect(mustFind(ws, 'u1').email).toBe('Jane@Example.com');
  });

  it('updates an existing person; null or "" removes an attribute', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'u1' }, { plan: 'pro', color: 'blue', size: 3 })));
    ok(ws.applyV2(identify({ id: 'u1' }, { plan: 'team', color: null, size: '' })));
    expect(mustFind(ws, 'u1').attributes).toEqual({ plan: 'team' });
    expect(kinds(mustFind(ws, 'u1'))).toEqual(['identified', 'identified']);
  });

  it('lead by email gains the id when later identified by that id with that email (seed 001)', () => {
    const { ws } = workspace();
    ok(
      ws.applyV2(
        identify({ email: 'person@example.com' }, { first_name: 'person', interested_in: 'baseball' }),
      ),
    );
    const lead = mustFind(ws, 'person@example.com');
    expect(lead.id).toBeUndefined();
    ok(
      ws.applyV2(identify({ id: 'userId123' }, { email: 'person@example.com', account_created: 1629224941 })),
    );
    expect(ws.people()).toHaveLength(1);
    expect(mustFind(ws, 'userId123')).toMatchObject({
      cio_id: lead.cio_id,
      id: 'userId123',
      email: 'person@example.com',
      attributes: { first_name: 'person', interested_in: 'baseball', account_created: 1629224941 },
    });
  });

  it('a lead is not given an id that already exists: the id and email of two people conflict', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'userId123' })));
    ok(ws.applyV2(identify({ email: 'person@example.com' })));
    failure(
      ws.applyV2(identify({ id: 'userId123' }, { email: 'person@example.com' })),
      'conflict',
      'attributes.email',
    );
    expect(mustFind(ws, 'person@example.com').id).toBeUndefined();
  });

  it('an email whose person already has another id conflicts with a new id', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'a' }, { email: 'a@example.com' })));
    const message = failure(
      ws.applyV2(identify({ id: 'b' }, { email: 'a@example.com' })),
      'conflict',
      'attributes.email',
    );
    expect(message).toContain('cio_id');
    expect(ws.people()).toHaveLength(1);
  });

  it('by email with an id attribute: a lead gains the id; a person with another id conflicts', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ email: 'lead@example.com' })));
    ok(ws.applyV2(identify({ email: 'lead@example.com' }, { id: 'u9' })));
    expect(mustFind(ws, 'u9').email).toBe('lead@example.com');
    failure(ws.applyV2(identify({ email: 'lead@example.com' }, { id: 'u10' })), 'conflict', 'attributes.id');
    ok(ws.applyV2(identify({ id: 'u11' })));
    failure(ws.applyV2(identify({ email: 'lead@example.com' }, { id: 'u11' })), 'conflict', 'attributes.id');
  });

  it('by a new email with the id of a known person: that person gets the email (§3.2)', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'u1' })));
    ok(ws.applyV2(identify({ email: 'new@example.com' }, { id: 'u1' })));
    expect(ws.people()).toHaveLength(1);
    expect(mustFind(ws, 'u1').email).toBe('new@example.com');
  });

  it('addressed by id, the email attribute may change the email unless someone else has it', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'u1' }, { email: 'old@example.com' })));
    ok(ws.applyV2(identify({ id: 'u1' }, { email: 'new@example.com' })));
    expect(mustFind(ws, 'u1').email).toBe('new@example.com');
    expect(ws.person('old@example.com')).toBeUndefined();
    ok(ws.applyV2(identify({ id: 'u2' }, { email: 'taken@example.com' })));
    failure(
      ws.applyV2(identify({ id: 'u1' }, { email: 'taken@example.com' })),
      'conflict',
      'attributes.email',
    );
  });

  it('an id cannot change through id or email, only through cio_id', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'u1' }, { email: 'a@example.com' })));
    expect(failure(ws.applyV2(identify({ id: 'u1' }, { id: 'u2' })), 'conflict', 'attributes.id')).toContain(
      'cio_id',
    );
    failure(
      ws.applyV2(identify({ email: 'a@example.com' }, { email: 'b@example.com' })),
      'conflict',
      'attributes.email',
    );
  });

  it('changes id and email through cio_id (seed 001 "Update email and ID values")', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'old-id' }, { email: 'old@example.com', plan: 'pro' })));
    ok(ws.applyV2(identify({ cio_id: 'a3000001' }, { email: 'new.email@example.com', id: 'new-id-value' })));
    expect(ws.person('old-id')).toBeUndefined();
    expect(ws.person('old@example.com')).toBeUndefined();
    expect(mustFind(ws, 'new-id-value')).toMatchObject({
      cio_id: 'a3000001',
      email: 'new.email@example.com',
      attributes: { plan: 'pro' },
    });
  });

  it('cio_id changes refuse identifiers of someone else, and an unknown cio_id', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'u1' })));
    ok(ws.applyV2(identify({ id: 'u2' }, { email: 'two@example.com' })));
    failure(ws.applyV2(identify({ cio_id: 'a3000001' }, { id: 'u2' })), 'conflict', 'attributes.id');
    failure(
      ws.applyV2(identify({ cio_id: 'a3000001' }, { email: 'TWO@example.com' })),
      'conflict',
      'attributes.email',
    );
    failure(ws.applyV2(identify({ cio_id: 'ffffffff' }, { id: 'x' })), 'not_found', 'identifiers.cio_id');
  });

  it('an empty id or email attribute does not remove the identifier', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'u1' }, { email: 'a@example.com' })));
    ok(ws.applyV2(identify({ id: 'u1' }, { email: '', id: null })));
    expect(mustFind(ws, 'u1').email).toBe('a@example.com');
  });

  it('accepts numeric ids and stores them as strings', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 12345 }, { plan: 'pro' })));
    expect(mustFind(ws, '12345').id).toBe('12345');
  });
});

describe('identify: reserved attributes', () => {
  it('_update only updates and never creates', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'ghost' }, { _update: true, plan: 'pro' })));
    expect(ws.people()).toEqual([]);
    ok(ws.applyV2(identify({ id: 'u1' })));
    ok(ws.applyV2(identify({ id: 'u1' }, { _update: true, plan: 'pro' })));
    expect(mustFind(ws, 'u1').attributes).toEqual({ plan: 'pro' });
    expect(mustFind(ws, 'u1').activity[1]?.data).toEqual({ plan: 'pro' });
  });

  it('_timestamp orders rapid updates: an older timestamped write does not overwrite a newer one', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'u1' }, { plan: 'team', _timestamp: 1709000200 })));
    ok(ws.applyV2(identify({ id: 'u1' }, { plan: 'free', color: 'red', _timestamp: 1709000100 })));
    expect(mustFind(ws, 'u1').attributes).toEqual({ plan: 'team', color: 'red' });
    // The v2 top-level timestamp orders writes the same way.
    ok(ws.applyV2(identify({ id: 'u1' }, { plan: 'older' }, { timestamp: 1709000150 })));
    expect(mustFind(ws, 'u1').attributes['plan']).toBe('team');
    // A write without a timestamp always applies.
    ok(ws.applyV2(identify({ id: 'u1' }, { plan: 'now' })));
    ok(ws.applyV2(identify({ id: 'u1' }, { plan: 'old again' }, { timestamp: 1 })));
    expect(mustFind(ws, 'u1').attributes['plan']).toBe('old again');
  });

  it('the activity entry takes the _timestamp, else the operation timestamp, else now', () => {
    const { ws, clock } = workspace();
    ok(ws.applyV2(identify({ id: 'u1' }, { _timestamp: 1709000000 }, { timestamp: 1709000001 })));
    ok(ws.applyV2(identify({ id: 'u1' }, {}, { timestamp: 1709000001 })));
    ok(ws.applyV2(identify({ id: 'u1' })));
    expect(mustFind(ws, 'u1').activity.map((a) => a.timestamp)).toEqual([
      1709000000,
      1709000001,
      clock.seconds,
    ]);
  });

  it('created_at and unsubscribed are stored normalised; a numeric-string created_at becomes a number', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'u1' }, { created_at: '1679407797', unsubscribed: 'true' })));
    expect(mustFind(ws, 'u1').attributes).toEqual({ created_at: 1679407797, unsubscribed: true });
    ok(ws.applyV2(identify({ id: 'u1' }, { unsubscribed: false })));
    expect(mustFind(ws, 'u1').attributes['unsubscribed']).toBe(false);
  });

  it('keeps nested attribute values and never shares them with the caller', () => {
    const { ws } = workspace();
    const profile = { birthdate: 642902400, verified: true };
    ok(ws.applyV2(identify({ id: 'u1' }, { profile })));
    profile.verified = false;
    expect(mustFind(ws, 'u1').attributes).toEqual({ profile: { birthdate: 642902400, verified: true } });
  });

  it('refuses an identify that would give a person more than 300 attributes, changing nothing', () => {
    const { ws } = workspace();
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`a${i}`, i]));
    ok(ws.applyV2(identify({ id: 'u1' }, many)));
    failure(ws.applyV2(identify({ id: 'u1' }, { one_more: 1 })), 'too_many', 'attributes');
    // Replacing one attribute by another keeps the count and is fine.
    ok(ws.applyV2(identify({ id: 'u1' }, { a0: null, one_more: 1 })));
    expect(Object.keys(mustFind(ws, 'u1').attributes)).toHaveLength(300);
    expect(mustFind(ws, 'u1').activity).toHaveLength(2);
  });

  it('validateV2 answers like applyV2 but changes nothing', () => {
    const { ws } = workspace();
    ok(ws.validateV2(identify({ id: 'u1' }, { plan: 'pro' })));
    expect(ws.people()).toEqual([]);
    ok(ws.applyV2(identify({ id: 'u1' })));
    ok(ws.applyV2(identify({ id: 'u2' }, { email: 'b@example.com' })));
    failure(
      ws.validateV2(identify({ id: 'u1' }, { email: 'b@example.com' })),
      'conflict',
      'attributes.email',
    );
  });
});
