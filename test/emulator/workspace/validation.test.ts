/** Every v2 validation failure: Customer.io's limits (rudderstack-classic-trackapi.md §3.4–§3.5). */
import { describe, expect, it } from 'vitest';
import { validateV2Shape } from '../../../src/emulator/workspace/index.js';
import { failure, ok, workspace } from './helpers.js';

const person = (action: string, extra: Record<string, unknown> = {}) => ({
  type: 'person',
  action,
  identifiers: { id: 'u1' },
  ...extra,
});
const object = (action: string, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  action,
  identifiers: { object_type_id: '1', object_id: 'acme' },
  ...extra,
});
const long = (bytes: number) => 'x'.repeat(bytes);
const many = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`a${i}`, i]));

type Case = [title: string, op: unknown, reason: string, field: string];

const cases: Case[] = [
  // the operation itself
  ['not an object', [1], 'invalid', ''],
  ['null', null, 'invalid', ''],
  [
    'over 32 KB',
    person('identify', { attributes: { a: long(500), pad: many(0), big: long(999) }, x: long(33_000) }),
    'too_large',
    '',
  ],
  ['type missing', { action: 'identify', identifiers: { id: 'u1' } }, 'required', 'type'],
  ['type unknown', { type: 'company', action: 'identify' }, 'invalid', 'type'],
  ['type __proto__', { type: '__proto__', action: 'identify' }, 'invalid', 'type'],
  ['action missing', { type: 'person', identifiers: { id: 'u1' } }, 'required', 'action'],
  ['action unknown', person('track'), 'invalid', 'action'],
  ['object action on a person', person('identify_anonymous'), 'invalid', 'action'],
  // identifiers
  ['identifiers missing', { type: 'person', action: 'identify' }, 'required', 'identifiers'],
  ['identifiers not an object', person('identify', { identifiers: 'u1' }), 'invalid', 'identifiers'],
  ['identifiers empty', person('identify', { identifiers: {} }), 'required', 'identifiers'],
  [
    'two identifiers',
    person('identify', { identifiers: { id: 'u1', email: 'a@example.com' } }),
    'invalid',
    'identifiers',
  ],
  [
    'unknown identifier',
    person('identify', { identifiers: { user_id: 'u1' } }),
    'invalid',
    'identifiers.user_id',
  ],
  [
    'phone identifier',
    person('identify', { identifiers: { phone: '+15555550100' } }),
    'invalid',
    'identifiers.phone',
  ],
  ['empty id', person('identify', { identifiers: { id: '' } }), 'required', 'identifiers.id'],
  [
    'id of the wrong type',
    person('identify', { identifiers: { id: { a: 1 } } }),
    'invalid',
    'identifiers.id',
  ],
  ['id over 150 bytes', person('identify', { identifiers: { id: long(151) } }), 'too_long', 'identifiers.id'],
  [
    'email over 150 bytes',
    person('identify', { identifiers: { email: `${long(140)}@example.com` } }),
    'too_long',
    'identifiers.email',
  ],
  [
    'cio_id with the cio_ prefix',
    person('identify', { identifiers: { cio_id: 'cio_a3000001' } }),
    'invalid',
    'identifiers.cio_id',
  ],
  [
    'anonymous_id over 150 bytes',
    person('event', { name: 'x', identifiers: { anonymous_id: long(151) } }),
    'too_long',
    'identifiers.anonymous_id',
  ],
  [
    'anonymous device',
    person('add_device', { identifiers: { anonymous_id: 'a' }, device: { token: 't', platform: 'ios' } }),
    'invalid',
    'identifiers.anonymous_id',
  ],
  [
    'anonymous delete',
    person('delete', { identifiers: { anonymous_id: 'a' } }),
    'invalid',
    'identifiers.anonymous_id',
  ],
  // attributes
  ['attributes not an object', person('identify', { attributes: ['a'] }), 'invalid', 'attributes'],
  [
    'attribute name over 150 bytes',
    person('identify', { attributes: { [long(151)]: 1 } }),
    'too_long',
    `attributes.${long(151)}`,
  ],
  ['empty attribute name', person('identify', { attributes: { '': 1 } }), 'invalid', 'attributes'],
  [
    'attribute value over 1000 bytes',
    person('identify', { attributes: { bio: long(1001) } }),
    'too_long',
    'attributes.bio',
  ],
  [
    'serialised value over 1000 bytes',
    person('identify', { attributes: { list: Array.from({ length: 300 }, () => 1234) } }),
    'too_long',
    'attributes.list',
  ],
  [
    'over 300 attributes in one call',
    person('identify', { attributes: many(301) }),
    'too_many',
    'attributes',
  ],
  [
    'email attribute over 150 bytes',
    person('identify', { attributes: { email: long(151) } }),
    'too_long',
    'attributes.email',
  ],
  [
    'id attribute of the wrong type',
    person('identify', { attributes: { id: true } }),
    'invalid',
    'attributes.id',
  ],
  [
    'created_at as a date string',
    person('identify', { attributes: { created_at: '2024-03-01' } }),
    'invalid',
    'attributes.created_at',
  ],
  [
    'unsubscribed not a boolean',
    person('identify', { attributes: { unsubscribed: 'yes' } }),
    'invalid',
    'attributes.unsubscribed',
  ],
  [
    '_update not a boolean',
    person('identify', { attributes: { _update: 1 } }),
    'invalid',
    'attributes._update',
  ],
  [
    '_timestamp in milliseconds',
    person('identify', { attributes: { _timestamp: 1709287200000 } }),
    'invalid',
    'attributes._timestamp',
  ],
  // timestamps
  ['timestamp with a fraction', person('identify', { timestamp: 1709287200.5 }), 'invalid', 'timestamp'],
  [
    'timestamp in milliseconds',
    person('event', { name: 'x', timestamp: 1709287200000 }),
    'invalid',
    'timestamp',
  ],
  [
    'timestamp as ISO-8601',
    person('event', { name: 'x', timestamp: '2024-03-01T10:00:00Z' }),
    'invalid',
    'timestamp',
  ],
  ['negative timestamp', person('event', { name: 'x', timestamp: -1 }), 'invalid', 'timestamp'],
  [
    'decimal string timestamp',
    person('event', { name: 'x', timestamp: '1709291000.5' }),
    'invalid',
    'timestamp',
  ],
  ['boolean timestamp', person('page', { name: 'x', timestamp: true }), 'invalid', 'timestamp'],
  // events
  ['event name missing', person('event'), 'required', 'name'],
  ['event name empty', person('event', { name: '' }), 'required', 'name'],
  ['event name blank', person('page', { name: '   ' }), 'required', 'name'],
  ['event name not a string', person('event', { name: 1704067200 }), 'invalid', 'name'],
  ['event name over 100 bytes', person('screen', { name: '€'.repeat(34) }), 'too_long', 'name'],
  ['event data not an object', person('event', { name: 'x', attributes: 'data' }), 'invalid', 'attributes'],
  ['event id of the wrong type', person('event', { name: 'x', id: { a: 1 } }), 'invalid', 'id'],
  ['content name not its action', person('clicked_content', { name: 'Clicked' }), 'invalid', 'name'],
  // devices
  ['device missing', person('add_device'), 'required', 'device'],
  ['device not an object', person('add_device', { device: 'tok' }), 'invalid', 'device'],
  ['device without token', person('add_device', { device: { platform: 'ios' } }), 'required', 'device.token'],
  [
    'device token not a string',
    person('add_device', { device: { token: 5, platform: 'ios' } }),
    'invalid',
    'device.token',
  ],
  [
    'device without platform',
    person('add_device', { device: { token: 't' } }),
    'required',
    'device.platform',
  ],
  [
    'device platform "mobile"',
    person('add_device', { device: { token: 't', platform: 'mobile' } }),
    'invalid',
    'device.platform',
  ],
  [
    'device platform in capitals',
    person('add_device', { device: { token: 't', platform: 'iOS' } }),
    'invalid',
    'device.platform',
  ],
  [
    'device last_used as ISO',
    person('add_device', { device: { token: 't', platform: 'ios', last_used: '2024-03-01T10:00:00Z' } }),
    'invalid',
    'device.last_used',
  ],
  [
    'device attributes not an object',
    person('add_device', { device: { token: 't', platform: 'ios', attributes: [] } }),
    'invalid',
    'device.attributes',
  ],
  ['delete_device without device', person('delete_device'), 'required', 'device'],
  ['delete_device without token', person('delete_device', { device: {} }), 'required', 'device.token'],
  // merge
  [
    'merge with identifiers',
    person('merge', { primary: { id: 'a' }, secondary: { id: 'b' } }),
    'invalid',
    'identifiers',
  ],
  [
    'merge without primary',
    { type: 'person', action: 'merge', secondary: { id: 'b' } },
    'required',
    'primary',
  ],
  [
    'merge primary with two identifiers',
    { type: 'person', action: 'merge', primary: { id: 'a', email: 'a@example.com' }, secondary: { id: 'b' } },
    'invalid',
    'primary',
  ],
  [
    'merge secondary anonymous',
    { type: 'person', action: 'merge', primary: { id: 'a' }, secondary: { anonymous_id: 'x' } },
    'invalid',
    'secondary.anonymous_id',
  ],
  // relationships
  ['person relationships missing', person('add_relationships'), 'required', 'cio_relationships'],
  [
    'person relationships not an array',
    person('add_relationships', { cio_relationships: {} }),
    'invalid',
    'cio_relationships',
  ],
  [
    'relationship not an object',
    person('add_relationships', { cio_relationships: ['acme'] }),
    'invalid',
    'cio_relationships.0',
  ],
  [
    'relationship without object_type_id',
    person('add_relationships', { cio_relationships: [{ identifiers: { object_id: 'acme' } }] }),
    'required',
    'cio_relationships.0.identifiers.object_type_id',
  ],
  [
    'object_type_id not an integer',
    person('add_relationships', {
      cio_relationships: [{ identifiers: { object_type_id: 'company', object_id: 'acme' } }],
    }),
    'invalid',
    'cio_relationships.0.identifiers.object_type_id',
  ],
  [
    'object_id over 150 bytes',
    person('identify', {
      cio_relationships: [{ identifiers: { object_type_id: '1', object_id: long(151) } }],
    }),
    'too_long',
    'cio_relationships.0.identifiers.object_id',
  ],
  [
    'relationship attributes not an object',
    person('add_relationships', {
      cio_relationships: [
        { identifiers: { object_type_id: '1', object_id: 'a' }, relationship_attributes: 3 },
      ],
    }),
    'invalid',
    'cio_relationships.0.relationship_attributes',
  ],
  [
    'relationship attribute value over 1000 bytes',
    person('add_relationships', {
      cio_relationships: [
        {
          identifiers: { object_type_id: '1', object_id: 'a' },
          relationship_attributes: { note: long(1001) },
        },
      ],
    }),
    'too_long',
    'cio_relationships.0.relationship_attributes.note',
  ],
  // objects
  ['object without identifiers', { type: 'object', action: 'identify' }, 'required', 'identifiers'],
  [
    'object without object_id',
    object('identify', { identifiers: { object_type_id: '1' } }),
    'required',
    'identifiers.object_id',
  ],
  [
    'object_id over 150 bytes',
    object('identify', { identifiers: { object_type_id: '1', object_id: long(151) } }),
    'too_long',
    'identifiers.object_id',
  ],
  [
    'cio_object_id and object_id together',
    object('identify', { identifiers: { cio_object_id: 'b0000001', object_id: 'a' } }),
    'invalid',
    'identifiers',
  ],
  [
    '"relationship" as object attribute',
    object('identify', { attributes: { relationship: 'x' } }),
    'reserved',
    'attributes.relationship',
  ],
  [
    'object attribute value over 1000 bytes',
    object('identify', { attributes: { notes: long(1001) } }),
    'too_long',
    'attributes.notes',
  ],
  [
    'object created_at as ISO',
    object('identify', { created_at: '2020-06-01T00:00:00Z' }),
    'invalid',
    'created_at',
  ],
  [
    'object relationship with anonymous_id',
    object('add_relationships', { cio_relationships: [{ identifiers: { anonymous_id: 'a' } }] }),
    'invalid',
    'cio_relationships.0.identifiers.anonymous_id',
  ],
  ['object relationships missing', object('delete_relationships'), 'required', 'cio_relationships'],
  ['identify_anonymous without relationships', object('identify_anonymous'), 'required', 'cio_relationships'],
  [
    'identify_anonymous with none',
    object('identify_anonymous', { cio_relationships: [] }),
    'required',
    'cio_relationships',
  ],
  [
    'identify_anonymous without anonymous_id',
    object('identify_anonymous', { cio_relationships: [{ identifiers: { id: 'u1' } }] }),
    'required',
    'cio_relationships.0.identifiers.anonymous_id',
  ],
  // delivery
  [
    'delivery without identifiers',
    { type: 'delivery', action: 'event', name: 'opened' },
    'required',
    'identifiers',
  ],
  [
    'delivery without id',
    { type: 'delivery', action: 'event', name: 'opened', identifiers: {} },
    'required',
    'identifiers.id',
  ],
  [
    'delivery without name',
    { type: 'delivery', action: 'event', identifiers: { id: 'd1' } },
    'required',
    'name',
  ],
  [
    'delivery with an unknown metric',
    { type: 'delivery', action: 'event', name: 'read', identifiers: { id: 'd1' } },
    'invalid',
    'name',
  ],
  [
    'delivery naming a metric v2 does not take (clicked: v1 /metrics only)',
    { type: 'delivery', action: 'event', name: 'clicked', identifiers: { id: 'd1' }, attributes: {} },
    'invalid',
    'name',
  ],
  [
    'delivery without attributes (required by Customer.io’s delivery schema)',
    { type: 'delivery', action: 'event', name: 'opened', identifiers: { id: 'd1' } },
    'required',
    'attributes',
  ],
  [
    'delivery attributes not an object',
    { type: 'delivery', action: 'event', name: 'opened', identifiers: { id: 'd1' }, attributes: [] },
    'invalid',
    'attributes',
  ],
  [
    'delivery device_token not a string',
    {
      type: 'delivery',
      action: 'event',
      name: 'opened',
      identifiers: { id: 'd1' },
      attributes: { device_token: 7 },
    },
    'invalid',
    'attributes.device_token',
  ],
  [
    'delivery action other than event',
    { type: 'delivery', action: 'identify', identifiers: { id: 'd1' } },
    'invalid',
    'action',
  ],
];

describe('v2 validation failures', () => {
  it.each(cases)('%s', (_title, op, reason, field) => {
    const { ws } = workspace();
    failure(ws.validateV2(op), reason, field);
    failure(ws.applyV2(op), reason, field);
    expect(ws.people()).toEqual([]);
    expect(ws.objects()).toEqual([]);
    expect(ws.anonymous()).toEqual({});
    expect(ws.metrics()).toEqual([]);
  });

  it('names the limits in its messages', () => {
    const { ws } = workspace();
    expect(
      failure(
        ws.applyV2(person('identify', { identifiers: { id: long(151) } })),
        'too_long',
        'identifiers.id',
      ),
    ).toBe('id must be at most 150 bytes.');
    expect(failure(ws.applyV2(person('event', { name: long(101) })), 'too_long', 'name')).toBe(
      'Event names must be at most 100 bytes.',
    );
    expect(
      failure(ws.applyV2(person('event', { name: 'x', timestamp: 1709287200000 })), 'invalid', 'timestamp'),
    ).toBe('timestamp must be unix seconds; 1709287200000 looks like milliseconds.');
  });

  it('accepts values right at the limits', () => {
    const { ws } = workspace();
    ok(
      ws.applyV2(
        person('identify', { identifiers: { id: long(150) }, attributes: { [long(150)]: long(1000) } }),
      ),
    );
    ok(ws.applyV2(person('event', { name: long(100) })));
    ok(ws.applyV2(person('identify', { attributes: many(300) })));
    ok(ws.applyV2(person('event', { name: 'x', timestamp: '1709291000' })));
    ok(ws.applyV2(person('event', { name: 'x', timestamp: 0 })));
  });

  it('event data over 100,000 bytes (only reachable through v1: a v2 operation stops at 32 KB)', () => {
    const { ws } = workspace();
    const answer = ws.applyV1('POST', '/customers/u1/events', { name: 'big', data: { blob: long(100_000) } });
    expect(answer).toEqual({
      status: 400,
      body: { meta: { error: 'Event data must be at most 100000 bytes.' } },
    });
    expect(
      ws.applyV1('POST', '/customers/u1/events', { name: 'big', data: { blob: long(60_000) } }).status,
    ).toBe(200);
  });

  it('an anonymous identify cannot carry cio_relationships', () => {
    const { ws } = workspace();
    failure(
      ws.applyV2({
        type: 'person',
        action: 'identify',
        identifiers: { anonymous_id: 'a1' },
        cio_relationships: [{ identifiers: { object_type_id: '1', object_id: 'acme' } }],
      }),
      'invalid',
      'cio_relationships',
    );
  });
});

describe('the 32 KB limit with a size from the caller', () => {
  it('checks the size given instead of measuring again, and measures when none is given', () => {
    const { ws } = workspace();
    const small = person('event', { name: 'x' });
    failure(ws.applyV2(small, { bytes: 32_769 }), 'too_large', '');
    ok(ws.applyV2(small, { bytes: 32_768 }));
    ok(ws.applyV2(small));
    const big = person('event', { name: 'x', attributes: { pad: long(33_000) } });
    failure(ws.applyV2(big), 'too_large', '');
    failure(ws.validateV2(big), 'too_large', '');
    expect(validateV2Shape(big)).toMatchObject({ ok: false, reason: 'too_large' });
  });
});

describe('validateV2Shape (no state)', () => {
  it('checks shape and limits but not the state', () => {
    expect(
      validateV2Shape({ type: 'person', action: 'merge', primary: { id: 'a' }, secondary: { id: 'b' } }),
    ).toEqual({ ok: true });
    expect(
      validateV2Shape({ type: 'person', action: 'event', identifiers: { cio_id: 'a3000001' }, name: 'x' }),
    ).toEqual({ ok: true });
    expect(validateV2Shape(person('event'))).toMatchObject({ ok: false, reason: 'required', field: 'name' });
  });
});
