import { describe, expect, it } from 'vitest';
import { compileMapping, isDirective } from '../../src/mapping/index.js';
import { compileError, run } from './helpers.js';

const event = {
  userId: 'u1',
  traits: {
    email: 'a@b.co',
    plan: 'pro',
    address: { city: 'Paris', geo: { lat: 1 } },
    tags: ['x', 'y'],
    gone: null,
  },
  properties: {
    products: [{ sku: 's1', price: 5 }, { sku: 's2' }, 3, null],
    single: { sku: 'only' },
    cart: '{"items":[1,2],"__proto__":{"polluted":true}}',
    notJson: '{oops',
  },
};

describe('objects and arrays of mappings', () => {
  it('maps nested objects, drops undefined keys, keeps literals', () => {
    const mapping = {
      person_id: { '@path': '$.userId' },
      attributes: {
        plan: { '@path': '$.traits.plan' },
        source: 'web',
        n: 1,
        on: true,
        none: null,
        missing: { '@path': '$.nope' },
      },
      list: [{ '@path': '$.traits.email' }, 'fixed', { '@path': '$.nope' }],
    };
    const result = run(mapping, event);
    expect(result).toEqual({
      person_id: 'u1',
      attributes: { plan: 'pro', source: 'web', n: 1, on: true, none: null },
      list: ['a@b.co', 'fixed', undefined],
    });
    expect(Object.keys((result as { attributes: object }).attributes)).not.toContain('missing');
    // Arrays keep their positions, as in Segment: JSON shows the missing item as null.
    expect(JSON.stringify((result as { list: unknown }).list)).toBe('["a@b.co","fixed",null]');
  });

  it('builds fresh objects and arrays on every call', () => {
    const mapper = compileMapping({ a: { b: 'literal' }, c: [1] });
    const first = mapper(event) as { a: object; c: unknown[] };
    const second = mapper(event) as { a: object; c: unknown[] };
    expect(first).toEqual(second);
    expect(first.a).not.toBe(second.a);
    expect(first.c).not.toBe(second.c);
  });

  it('compiles any JSON value at the top, and undefined as undefined', () => {
    expect(run('text', event)).toBe('text');
    expect(run(null, event)).toBeNull();
    expect(run(undefined, event)).toBeUndefined();
    expect(run({ '@path': '$.userId' }, event)).toBe('u1');
  });

  it('ignores _metadata next to a directive, as Segment does', () => {
    expect(run({ '@path': '$.userId', _metadata: { label: 'User' } }, event)).toBe('u1');
    expect(run({ _metadata: 1, a: 2 }, event)).toEqual({ _metadata: 1, a: 2 });
  });
});

describe('@literal', () => {
  it('returns the value, resolving directives inside it as Segment does', () => {
    expect(run({ '@literal': 'x' }, event)).toBe('x');
    expect(run({ '@literal': { a: [1, { b: null }] } }, event)).toEqual({ a: [1, { b: null }] });
    expect(run({ '@literal': { '@path': '$.userId' } }, event)).toBe('u1');
  });
});

describe('@arrayPath', () => {
  it('maps each item with the shape, "$" being the item', () => {
    const mapping = {
      '@arrayPath': ['$.properties.products', { id: { '@path': '$.sku' }, price: { '@path': '$.price' } }],
    };
    expect(run(mapping, event)).toEqual([{ id: 's1', price: 5 }, { id: 's2' }, {}, {}]);
  });

  it('accepts a directive shape and a directive source', () => {
    expect(run({ '@arrayPath': ['$.properties.products', { '@path': '$.sku' }] }, event)).toEqual([
      's1',
      's2',
      undefined,
      undefined,
    ]);
    expect(run({ '@arrayPath': [{ '@path': '$.traits.tags' }] }, event)).toBe(event.traits.tags);
  });

  it('treats an object as a one-item array', () => {
    expect(run({ '@arrayPath': ['$.properties.single', { id: { '@path': '$.sku' } }] }, event)).toEqual([
      { id: 'only' },
    ]);
  });

  it('returns the source unchanged without a shape, with an empty shape, or when it is not a list', () => {
    expect(run({ '@arrayPath': ['$.properties.products'] }, event)).toBe(event.properties.products);
    expect(run({ '@arrayPath': ['$.properties.products', {}] }, event)).toBe(event.properties.products);
    expect(run({ '@arrayPath': ['$.userId', { a: 1 }] }, event)).toBe('u1');
    expect(run({ '@arrayPath': ['$.nope', { a: 1 }] }, event)).toBeUndefined();
    expect(run({ '@arrayPath': ['$.traits.gone', { a: 1 }] }, event)).toBeNull();
  });
});

describe('@merge', () => {
  const objects = [{ '@path': '$.traits.address' }, { city: 'Lyon', zip: '69000' }];
  it('lets a later object win with "right", an earlier one with "left"', () => {
    expect(run({ '@merge': { objects, direction: 'right' } }, event)).toEqual({
      city: 'Lyon',
      geo: { lat: 1 },
      zip: '69000',
    });
    expect(run({ '@merge': { objects, direction: 'left' } }, event)).toEqual({
      city: 'Paris',
      geo: { lat: 1 },
      zip: '69000',
    });
  });

  it('skips values that are not objects, and missing values never erase', () => {
    const mapping = {
      '@merge': {
        objects: [
          { a: 1 },
          { '@path': '$.userId' },
          { '@path': '$.traits.tags' },
          { '@path': '$.nope' },
          { a: { '@path': '$.nope' } },
        ],
        direction: 'right',
      },
    };
    expect(run(mapping, event)).toEqual({ a: 1 });
    expect(run({ '@merge': { objects: [], direction: 'right' } }, event)).toEqual({});
  });

  it('returns a new object', () => {
    const merged = run({ '@merge': { objects: [{ '@path': '$.traits' }], direction: 'right' } }, event);
    expect(merged).toEqual(event.traits);
    expect(merged).not.toBe(event.traits);
  });
});

describe('@json', () => {
  it('encodes values, leaving undefined undefined', () => {
    expect(run({ '@json': { mode: 'encode', value: { '@path': '$.traits.tags' } } }, event)).toBe(
      '["x","y"]',
    );
    expect(run({ '@json': { mode: 'encode', value: { '@path': '$.userId' } } }, event)).toBe('"u1"');
    expect(run({ '@json': { mode: 'encode', value: { '@path': '$.nope' } } }, event)).toBeUndefined();
    expect(run({ '@json': { mode: 'encode', value: { a: { '@path': '$.userId' } } } }, event)).toBe(
      '{"a":"u1"}',
    );
  });

  it('gives undefined instead of throwing when a value cannot be encoded', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(run({ '@json': { mode: 'encode', value: { '@path': '$.c' } } }, { c: cyclic })).toBeUndefined();
    expect(run({ '@json': { mode: 'encode', value: { '@path': '$.b' } } }, { b: 10n })).toBeUndefined();
  });

  it('decodes JSON text, returns other text and non-text unchanged', () => {
    const decoded = run({ '@json': { mode: 'decode', value: { '@path': '$.properties.cart' } } }, event);
    expect(decoded).toEqual(JSON.parse(event.properties.cart));
    expect(run({ '@json': { mode: 'decode', value: { '@path': '$.properties.notJson' } } }, event)).toBe(
      '{oops',
    );
    expect(run({ '@json': { mode: 'decode', value: { '@path': '$.traits.tags' } } }, event)).toBe(
      event.traits.tags,
    );
    expect(run({ '@json': { mode: 'decode', value: { '@path': '$.nope' } } }, event)).toBeUndefined();
    expect(run({ '@json': { mode: 'decode', value: '[1,"]"]' } }, event)).toEqual([1, ']']);
  });
});

describe('@flatten', () => {
  it('joins nested keys with the separator, arrays included unless omitArrays', () => {
    expect(run({ '@flatten': { separator: '.', value: { '@path': '$.traits' } } }, event)).toEqual({
      email: 'a@b.co',
      plan: 'pro',
      'address.city': 'Paris',
      'address.geo.lat': 1,
      'tags.0': 'x',
      'tags.1': 'y',
      gone: null,
    });
    expect(
      run({ '@flatten': { separator: '_', value: { '@path': '$.traits' }, omitArrays: true } }, event),
    ).toMatchObject({
      address_geo_lat: 1,
      tags: ['x', 'y'],
    });
  });

  it('drops empty containers, lets later keys win, joins nothing after a "" key (as Segment)', () => {
    const value = { a: {}, b: [], c: { d: 1 }, 'c.d': 2, '': { e: 3 } };
    expect(run({ '@flatten': { separator: '.', value: { '@path': '$.v' } } }, { v: value })).toEqual({
      'c.d': 2,
      e: 3,
    });
  });

  it('gives {} for a value that is not an object or array (Segment: {"": value})', () => {
    for (const v of ['text', 5, null, undefined]) {
      expect(run({ '@flatten': { separator: '.', value: { '@path': '$.v' } } }, { v })).toEqual({});
    }
    expect(
      run({ '@flatten': { separator: '.', value: { '@path': '$.v' }, omitArrays: true } }, { v: [1] }),
    ).toEqual({});
  });
});

describe('@excludeWhenNull', () => {
  it('gives undefined for null and drops null keys from objects, recursively', () => {
    expect(run({ a: { '@excludeWhenNull': { '@path': '$.traits.gone' } } }, event)).toEqual({});
    const value = { a: null, b: { c: null, d: 1 }, e: [null, { f: null }], g: 0 };
    expect(run({ '@excludeWhenNull': { '@path': '$.v' } }, { v: value })).toEqual({
      b: { d: 1 },
      e: [null, { f: null }],
      g: 0,
    });
    expect(run({ '@excludeWhenNull': { '@path': '$.userId' } }, event)).toBe('u1');
    expect(run({ '@excludeWhenNull': { x: null, y: 'k' } }, event)).toEqual({ y: 'k' });
  });

  it('does not change the event', () => {
    const v = { a: null, b: { c: null } };
    run({ '@excludeWhenNull': { '@path': '$.v' } }, { v });
    expect(v).toEqual({ a: null, b: { c: null } });
  });
});

describe('@transform', () => {
  it('maps the result of "apply" with "mapping"', () => {
    const mapping = {
      '@transform': {
        apply: { city: { '@path': '$.traits.address.city' } },
        mapping: { where: { '@path': '$.city' } },
      },
    };
    expect(run(mapping, event)).toEqual({ where: 'Paris' });
  });
});

describe('isDirective', () => {
  it('follows Segment: an @ key and no other key but _metadata', () => {
    expect(isDirective({ '@path': '$.a' })).toBe(true);
    expect(isDirective({ '@path': '$.a', _metadata: {} })).toBe(true);
    expect(isDirective({ '@foo': 1 })).toBe(true);
    expect(isDirective({ '@path': '$.a', x: 1 })).toBe(false);
    expect(isDirective({ a: 1 })).toBe(false);
    expect(isDirective([{ '@path': '$.a' }])).toBe(false);
    expect(isDirective('@path')).toBe(false);
    expect(isDirective(null)).toBe(false);
  });
});

describe('structural compile errors', () => {
  const arrayExample = '["$.properties.products", {"sku": {"@path": "$.product_id"}}]';
  const mergeExample =
    '{"objects": [{"@path": "$.traits"}, {"@path": "$.properties"}], "direction": "right"}';
  const jsonExample = '{"mode": "encode", "value": {"@path": "$.properties.cart"}}';
  const flattenExample = '{"separator": ".", "value": {"@path": "$.traits.address"}}';
  const transformExample = '{"apply": {"name": {"@path": "$.traits.name"}}, "mapping": {"@path": "$.name"}}';
  const cases: [unknown, string, string][] = [
    [
      { '@arrayPath': '$.a' },
      'f.@arrayPath',
      `@arrayPath needs an array of a path and an optional item shape such as ${arrayExample} (got "$.a")`,
    ],
    [
      { '@arrayPath': [] },
      'f.@arrayPath',
      `@arrayPath needs an array of a path and an optional item shape such as ${arrayExample} (got [])`,
    ],
    [
      { '@arrayPath': ['$.a', {}, 1] },
      'f.@arrayPath',
      `@arrayPath needs an array of a path and an optional item shape such as ${arrayExample} (got ["$.a",{},1])`,
    ],
    [
      { '@arrayPath': ['a.b'] },
      'f.@arrayPath[0]',
      '@arrayPath source must be a string starting with "$." such as "$.properties.plan" (got "a.b")',
    ],
    [
      { '@arrayPath': [5] },
      'f.@arrayPath[0]',
      '@arrayPath source must be a path such as "$.properties.products" or a directive (got 5)',
    ],
    [
      { '@arrayPath': ['$.a', 'x'] },
      'f.@arrayPath[1]',
      '@arrayPath item shape must be an object such as {"sku": {"@path": "$.product_id"}} (got "x")',
    ],
    [
      { '@arrayPath': ['$.a', { s: { '@bad': 1 } }] },
      'f.@arrayPath[1].s',
      expect.stringMatching(/^Unknown directive "@bad"/),
    ],
    [
      { '@merge': { objects: [] } },
      'f.@merge',
      '@merge needs "direction" set to "left" or "right" (got nothing)',
    ],
    [
      { '@merge': { objects: [], direction: 'LEFT' } },
      'f.@merge.direction',
      '@merge needs "direction" set to "left" or "right" (got "LEFT")',
    ],
    [
      { '@merge': { direction: 'right' } },
      'f.@merge',
      `@merge needs "objects": an array of objects or directives such as ${mergeExample} (got nothing)`,
    ],
    [
      { '@merge': { objects: {}, direction: 'right' } },
      'f.@merge.objects',
      `@merge needs "objects": an array of objects or directives such as ${mergeExample} (got {})`,
    ],
    [
      { '@merge': { objects: ['x'], direction: 'right' } },
      'f.@merge.objects[0]',
      '@merge objects must be objects or directives such as {"@path": "$.traits"} (got "x")',
    ],
    [{ '@merge': [] }, 'f.@merge', `@merge needs an object of options such as ${mergeExample} (got [])`],
    [
      { '@json': { mode: 'encode' } },
      'f.@json',
      `@json needs "value": a directive or a non-empty value such as ${jsonExample} (got nothing)`,
    ],
    [
      { '@json': { mode: 'decode', value: '' } },
      'f.@json.value',
      `@json needs "value": a directive or a non-empty value such as ${jsonExample} (got "")`,
    ],
    [
      { '@json': { mode: 'encode', value: null } },
      'f.@json.value',
      `@json needs "value": a directive or a non-empty value such as ${jsonExample} (got null)`,
    ],
    [
      { '@json': { mode: 'ENCODE', value: 'x' } },
      'f.@json.mode',
      '@json needs "mode" set to "encode" or "decode" (got "ENCODE")',
    ],
    [{ '@json': { value: 'x' } }, 'f.@json', '@json needs "mode" set to "encode" or "decode" (got nothing)'],
    [
      { '@flatten': { value: 'x' } },
      'f.@flatten',
      '@flatten needs "separator": non-empty text such as "." or "_" (got nothing)',
    ],
    [
      { '@flatten': { separator: '', value: 'x' } },
      'f.@flatten.separator',
      '@flatten needs "separator": non-empty text such as "." or "_" (got "")',
    ],
    [{ '@flatten': { separator: '.' } }, 'f.@flatten', `@flatten needs "value", such as ${flattenExample}`],
    [
      { '@flatten': { separator: '.', value: 1, omitArrays: 1 } },
      'f.@flatten.omitArrays',
      '@flatten option "omitArrays" must be true or false (got 1)',
    ],
    [
      { '@transform': { apply: 1, mapping: {} } },
      'f.@transform.apply',
      `@transform needs "apply": an object or a directive, such as ${transformExample} (got 1)`,
    ],
    [
      { '@transform': { apply: {} } },
      'f.@transform',
      `@transform needs "mapping": an object or a directive, such as ${transformExample} (got nothing)`,
    ],
  ];
  it.each(cases)('%j', (directive, path, message) => {
    const error = compileError({ f: directive });
    expect(error.code).toBe('invalid_mapping');
    expect(error.path).toBe(path);
    expect(error.message).toEqual(message);
  });
});
