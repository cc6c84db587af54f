import { describe, expect, it } from 'vitest';
import { failure, identify, mustFind, ok, workspace } from './helpers.js';

const acme = { object_id: 'acme', object_type_id: '2' };

describe('objects and relationships', () => {
  it('object identify creates the object and relates the person (segment-actions.md §5.9 #0)', () => {
    const { ws } = workspace();
    ok(
      ws.applyV2({
        type: 'object',
        action: 'identify',
        created_at: 1590969600,
        attributes: { name: 'Acme Inc', industry: 'Manufacturing', founded: 915148800 },
        cio_relationships: [
          { identifiers: { id: 'user_123' }, relationship_attributes: { role: 'owner', since: 1609459200 } },
        ],
        identifiers: acme,
      }),
    );
    expect(ws.objects()).toEqual([
      {
        object_type_id: '2',
        object_id: 'acme',
        cio_object_id: 'b0000001',
        attributes: {
          name: 'Acme Inc',
          industry: 'Manufacturing',
          founded: 915148800,
          created_at: 1590969600,
        },
        relationships: [{ cio_id: 'a3000001', attributes: { role: 'owner', since: 1609459200 } }],
      },
    ]);
    expect(mustFind(ws, 'user_123').relationships).toEqual([
      { object_type_id: '2', object_id: 'acme', attributes: { role: 'owner', since: 1609459200 } },
    ]);
  });

  it('updates attributes; null or "" removes one; the object keeps its cio_object_id', () => {
    const { ws } = workspace();
    ok(
      ws.applyV2({
        type: 'object',
        action: 'identify',
        attributes: { name: 'Acme', plan: 'pro', size: 5 },
        identifiers: acme,
      }),
    );
    ok(
      ws.applyV2({
        type: 'object',
        action: 'identify',
        attributes: { plan: null, size: '' },
        identifiers: { cio_object_id: 'b0000001' },
      }),
    );
    expect(ws.objects()).toMatchObject([{ cio_object_id: 'b0000001', attributes: { name: 'Acme' } }]);
  });

  it('object type ids are kept apart: the same object_id under two types is two objects', () => {
    const { ws } = workspace();
    ok(
      ws.applyV2({
        type: 'object',
        action: 'identify',
        identifiers: { object_type_id: '1', object_id: 'x' },
      }),
    );
    ok(
      ws.applyV2({ type: 'object', action: 'identify', identifiers: { object_type_id: 2, object_id: 'x' } }),
    );
    expect(ws.objects().map((o) => [o.object_type_id, o.cio_object_id])).toEqual([
      ['1', 'b0000001'],
      ['2', 'b0000002'],
    ]);
  });

  it('refuses "relationship" as an object attribute name', () => {
    const { ws } = workspace();
    failure(
      ws.applyV2({
        type: 'object',
        action: 'identify',
        attributes: { relationship: 'x' },
        identifiers: acme,
      }),
      'reserved',
      'attributes.relationship',
    );
    expect(ws.objects()).toEqual([]);
  });

  it('a person identify with cio_relationships relates the person, creating the object (§5.1 #2)', () => {
    const { ws } = workspace();
    ok(ws.applyV2(identify({ id: 'u1' })));
    ok(
      ws.applyV2({
        type: 'person',
        action: 'identify',
        attributes: { objectId: 'acme', title: 'CTO' },
        cio_relationships: [
          {
            identifiers: { object_type_id: '2', object_id: 'acme' },
            relationship_attributes: { role: 'admin', joined: '2024-02-01T00:00:00Z' },
          },
        ],
        timestamp: 1709287560,
        identifiers: { cio_id: 'a3000001' },
      }),
    );
    expect(mustFind(ws, 'u1').relationships).toEqual([
      {
        object_type_id: '2',
        object_id: 'acme',
        attributes: { role: 'admin', joined: '2024-02-01T00:00:00Z' },
      },
    ]);
    expect(ws.objects()[0]?.attributes).toEqual({});
  });

  it('adds and deletes relationships from the person side', () => {
    const { ws } = workspace();
    const rel = (action: string, attributes?: Record<string, unknown>) => ({
      type: 'person',
      action,
      identifiers: { id: 'u1' },
      cio_relationships: [{ identifiers: acme, ...(attributes && { relationship_attributes: attributes }) }],
    });
    ok(ws.applyV2(rel('add_relationships', { role: 'admin' })));
    ok(ws.applyV2(rel('add_relationships', { seats: 3 })));
    expect(mustFind(ws, 'u1').relationships).toEqual([
      { object_type_id: '2', object_id: 'acme', attributes: { role: 'admin', seats: 3 } },
    ]);
    ok(ws.applyV2(rel('delete_relationships')));
    expect(mustFind(ws, 'u1').relationships).toEqual([]);
    expect(ws.objects()).toHaveLength(1);
  });

  it('adds and deletes relationships from the object side (segment-actions.md §5.8)', () => {
    const { ws } = workspace();
    ok(
      ws.applyV2({
        type: 'object',
        action: 'add_relationships',
        identifiers: acme,
        cio_relationships: [{ identifiers: { id: 'user_123' } }, { identifiers: { email: 'b@example.com' } }],
      }),
    );
    expect(ws.people().map((p) => p.relationships.length)).toEqual([1, 1]);
    ok(
      ws.applyV2({
        type: 'object',
        action: 'delete_relationships',
        cio_relationships: [{ identifiers: { id: 'user_123' } }],
        attributes: { anonymous_id: 'anon_123' },
        identifiers: acme,
      }),
    );
    expect(mustFind(ws, 'user_123').relationships).toEqual([]);
    expect(mustFind(ws, 'b@example.com').relationships).toHaveLength(1);
  });

  it('deleting an object removes its relationships (segment-actions.md §5.10)', () => {
    const { ws } = workspace();
    ok(
      ws.applyV2({
        type: 'object',
        action: 'add_relationships',
        identifiers: acme,
        cio_relationships: [{ identifiers: { id: 'u1' } }],
      }),
    );
    ok(ws.applyV2({ type: 'object', action: 'delete', identifiers: acme }));
    expect(ws.objects()).toEqual([]);
    expect(mustFind(ws, 'u1').relationships).toEqual([]);
    ok(ws.applyV2({ type: 'object', action: 'delete', identifiers: acme }));
    // Re-created later, it is a new object.
    ok(ws.applyV2({ type: 'object', action: 'identify', identifiers: acme }));
    expect(ws.objects()[0]?.cio_object_id).toBe('b0000002');
  });

  it('deleting or merging people keeps relationships right', () => {
    const { ws } = workspace();
    const relate = (id: string, role: string) => ({
      type: 'person',
      action: 'add_relationships',
      identifiers: { id },
      cio_relationships: [{ identifiers: acme, relationship_attributes: { role } }],
    });
    ok(ws.applyV2(relate('a', 'owner')));
    ok(ws.applyV2(relate('b', 'member')));
    ok(
      ws.applyV2({
        type: 'person',
        action: 'add_relationships',
        identifiers: { id: 'b' },
        cio_relationships: [{ identifiers: { object_type_id: '1', object_id: 'other' } }],
      }),
    );
    ok(ws.applyV2({ type: 'person', action: 'merge', primary: { id: 'a' }, secondary: { id: 'b' } }));
    expect(mustFind(ws, 'a').relationships).toEqual([
      { object_type_id: '2', object_id: 'acme', attributes: { role: 'owner' } },
      { object_type_id: '1', object_id: 'other', attributes: {} },
    ]);
    ok(ws.applyV2({ type: 'person', action: 'delete', identifiers: { id: 'a' } }));
    expect(ws.objects().map((o) => o.relationships)).toEqual([[], []]);
  });

  it('refuses unknown cio_object_id and cio_id, except when deleting', () => {
    const { ws } = workspace();
    failure(
      ws.applyV2({ type: 'object', action: 'identify', identifiers: { cio_object_id: 'b0000009' } }),
      'not_found',
      'identifiers.cio_object_id',
    );
    failure(
      ws.applyV2({
        type: 'object',
        action: 'add_relationships',
        identifiers: acme,
        cio_relationships: [{ identifiers: { cio_id: 'a3000009' } }],
      }),
      'not_found',
      'cio_relationships.0.identifiers.cio_id',
    );
    failure(
      ws.applyV2({
        type: 'person',
        action: 'add_relationships',
        identifiers: { id: 'u1' },
        cio_relationships: [{ identifiers: { cio_object_id: 'nope' } }],
      }),
      'not_found',
      'cio_relationships.0.identifiers.cio_object_id',
    );
    expect(ws.people()).toEqual([]);
    expect(ws.objects()).toEqual([]);
    ok(ws.applyV2({ type: 'object', action: 'delete', identifiers: { cio_object_id: 'b0000009' } }));
  });

  it('refuses an object write that would exceed 300 attributes', () => {
    const { ws } = workspace();
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`a${i}`, i]));
    ok(ws.applyV2({ type: 'object', action: 'identify', attributes: many, identifiers: acme }));
    failure(
      ws.applyV2({ type: 'object', action: 'identify', attributes: { more: 1 }, identifiers: acme }),
      'too_many',
      'attributes',
    );
  });

  it('refuses an object write that would hold more than 100 KB of attributes in total (§3.5)', () => {
    const { ws } = workspace();
    const chunk = (n: number) =>
      Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${n}_${i}`, 'v'.repeat(990)]));
    for (const n of [1, 2, 3])
      ok(ws.applyV2({ type: 'object', action: 'identify', attributes: chunk(n), identifiers: acme }));
    failure(
      ws.applyV2({ type: 'object', action: 'identify', attributes: chunk(4), identifiers: acme }),
      'too_long',
      'attributes',
    );
    expect(Object.keys(ws.objects()[0]?.attributes ?? {})).toHaveLength(90);
  });
});
