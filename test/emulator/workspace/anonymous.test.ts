import { describe, expect, it } from 'vitest';
import { event, identify, kinds, mustFind, ok, workspace } from './helpers.js';

const DAY = 24 * 3600;

describe('anonymous activity and its merge', () => {
  it('keeps anonymous events, pages, screens and identify by anonymous_id (segment-actions.md §5.1 #3, §5.2 #1)', () => {
    const { ws, clock } = workspace();
    ok(
      ws.applyV2(
        identify({ anonymous_id: 'anon_only_789' }, { favorite_color: 'blue' }, { timestamp: 1709287620 }),
      ),
    );
    ok(
      ws.applyV2(
        event({ anonymous_id: 'anon_only_789' }, 'Viewed Pricing', { attributes: { tier: 'enterprise' } }),
      ),
    );
    ok(
      ws.applyV2({
        type: 'person',
        action: 'screen',
        name: 'Home',
        identifiers: { anonymous_id: 'anon_only_789' },
      }),
    );
    expect(ws.people()).toEqual([]);
    expect(ws.anonymous()).toEqual({
      anon_only_789: [
        { kind: 'identified', data: { favorite_color: 'blue' }, timestamp: 1709287620 },
        { kind: 'event', name: 'Viewed Pricing', data: { tier: 'enterprise' }, timestamp: clock.seconds },
        { kind: 'screen', name: 'Home', data: {}, timestamp: clock.seconds },
      ],
    });
  });

  it('merges into the person identified with attributes.anonymous_id: activity and missing attributes', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ anonymous_id: 'anon_123' }, { favorite_color: 'blue', plan: 'free' })));
    ok(ws.applyV2(event({ anonymous_id: 'anon_123' }, 'Viewed Pricing', { id: 'm1' })));
    ok(ws.applyV2(identify({ id: 'user_123' }, { anonymous_id: 'anon_123', plan: 'pro' })));
    expect(ws.anonymous()).toEqual({});
    const person = mustFind(ws, 'user_123');
    expect(person.anonymous_ids).toEqual(['anon_123']);
    expect(person.attributes).toEqual({ plan: 'pro', favorite_color: 'blue' });
    expect(kinds(person)).toEqual(['identified', 'event', 'identified', 'anonymous_merged']);
    expect(person.activity.at(-1)?.data).toEqual({
      anonymous_id: 'anon_123',
      merged: 2,
      dropped: 0,
      relationships: 0,
    });
  });

  it('drops anonymous activity older than 30 days at the merge', () => {
    const { ws, clock } = workspace();
    ok(ws.applyV2(event({ anonymous_id: 'a1' }, 'Old')));
    clock.advance(20 * DAY);
    ok(ws.applyV2(event({ anonymous_id: 'a1' }, 'Recent')));
    clock.advance(11 * DAY);
    ok(ws.applyV2(identify({ id: 'u1' }, { anonymous_id: 'a1' })));
    const person = mustFind(ws, 'u1');
    expect(person.activity.filter((a) => a.kind === 'event').map((a) => a.name)).toEqual(['Recent']);
    expect(person.activity.at(-1)?.data).toMatchObject({ merged: 1, dropped: 1 });
    expect(ws.anonymous()).toEqual({});
  });

  it('the window counts from the event timestamp, not from when it arrived', () => {
    const { ws, clock } = workspace();
    ok(ws.applyV2(event({ anonymous_id: 'a1' }, 'Backfilled', { timestamp: clock.seconds - 31 * DAY })));
    ok(ws.applyV2(event({ anonymous_id: 'a1' }, 'Edge', { timestamp: clock.seconds - 30 * DAY })));
    ok(ws.applyV2(identify({ id: 'u1' }, { anonymous_id: 'a1' })));
    expect(
      mustFind(ws, 'u1')
        .activity.filter((a) => a.kind === 'event')
        .map((a) => a.name),
    ).toEqual(['Edge']);
  });

  it('after the merge, activity for that anonymous_id goes to the person', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'u1' }, { anonymous_id: 'a1' })));
    ok(ws.applyV2(event({ anonymous_id: 'a1' }, 'Later')));
    ok(ws.applyV2(identify({ anonymous_id: 'a1' }, { color: 'red' })));
    expect(ws.anonymous()).toEqual({});
    expect(mustFind(ws, 'u1').attributes).toEqual({ color: 'red' });
    expect(kinds(mustFind(ws, 'u1'))).toEqual(['identified', 'event', 'identified']);
  });

  it('an anonymous_id claimed by a second person moves to them for later activity', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'u1' }, { anonymous_id: 'shared' })));
    ok(ws.applyV2(identify({ id: 'u2' }, { anonymous_id: 'shared' })));
    ok(ws.applyV2(event({ anonymous_id: 'shared' }, 'Who')));
    expect(mustFind(ws, 'u1').anonymous_ids).toEqual([]);
    expect(mustFind(ws, 'u2').anonymous_ids).toEqual(['shared']);
    expect(kinds(mustFind(ws, 'u2'))).toEqual(['identified', 'event']);
  });

  it('de-duplicates event ids across anonymous and known activity', () => {
    const { ws } = workspace();
    ok(ws.applyV2(event({ id: 'u1' }, 'Order Completed', { id: 'm1', timestamp: 1709000000 })));
    ok(ws.applyV2(event({ anonymous_id: 'a1' }, 'Order Completed', { id: 'm1', timestamp: 1709000000 })));
    ok(ws.applyV2(identify({ id: 'u1' }, { anonymous_id: 'a1' })));
    expect(mustFind(ws, 'u1').activity.filter((a) => a.kind === 'event')).toHaveLength(1);
  });

  it('_update on an anonymous identify only updates an existing anonymous profile', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ anonymous_id: 'a1' }, { plan: 'x', _update: true })));
    expect(ws.anonymous()).toEqual({});
    ok(ws.applyV2(event({ anonymous_id: 'a1' }, 'Seen')));
    ok(ws.applyV2(identify({ anonymous_id: 'a1' }, { plan: 'x', _update: true })));
    ok(ws.applyV2(identify({ id: 'u1' }, { anonymous_id: 'a1' })));
    expect(mustFind(ws, 'u1').attributes).toEqual({ plan: 'x' });
  });

  it('deleting a person releases their anonymous_ids', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'u1' }, { anonymous_id: 'a1' })));
    ok(ws.applyV2({ type: 'person', action: 'delete', identifiers: { id: 'u1' } }));
    ok(ws.applyV2(event({ anonymous_id: 'a1' }, 'Again')));
    expect(Object.keys(ws.anonymous())).toEqual(['a1']);
  });
});

describe('identify_anonymous: relationships that wait for the person (seed 001)', () => {
  const anonymousGroup = {
    type: 'object',
    action: 'identify_anonymous',
    attributes: { name: 'Beta Co' },
    cio_relationships: [
      { identifiers: { anonymous_id: 'anon_777' }, relationship_attributes: { role: 'viewer' } },
    ],
    identifiers: { object_id: 'beta-co', object_type_id: '1' },
  };

  it('creates nothing until the anonymous_id is identified, then relates the person and the object', () => {
    const { ws, clock } = workspace();
    ok(ws.applyV2(anonymousGroup));
    expect(ws.objects()).toEqual([]);
    expect(ws.anonymous()).toEqual({
      anon_777: [
        {
          kind: 'relationship_pending',
          data: {
            object_type_id: '1',
            object_id: 'beta-co',
            object_attributes: { name: 'Beta Co' },
            relationship_attributes: { role: 'viewer' },
          },
          timestamp: clock.seconds,
        },
      ],
    });
    clock.advance(40 * DAY);
    ok(ws.applyV2(identify({ id: 'u7' }, { anonymous_id: 'anon_777' })));
    expect(ws.objects()).toEqual([
      {
        object_type_id: '1',
        object_id: 'beta-co',
        cio_object_id: 'b0000001',
        attributes: { name: 'Beta Co' },
        relationships: [{ cio_id: 'a3000001', attributes: { role: 'viewer' } }],
      },
    ]);
    expect(mustFind(ws, 'u7').relationships).toEqual([
      { object_type_id: '1', object_id: 'beta-co', attributes: { role: 'viewer' } },
    ]);
    expect(ws.anonymous()).toEqual({});
  });

  it('applies at once when the anonymous_id already belongs to a person', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'u7' }, { anonymous_id: 'anon_777' })));
    ok(ws.applyV2(anonymousGroup));
    expect(mustFind(ws, 'u7').relationships).toHaveLength(1);
    expect(ws.objects()[0]?.attributes).toEqual({ name: 'Beta Co' });
  });
});
