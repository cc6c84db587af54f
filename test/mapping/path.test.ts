import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { compilePath } from '../../src/mapping/index.js';
import { compileError, run, thrown } from './helpers.js';

const event = {
  type: 'track',
  userId: 'u1',
  properties: {
    plan: 'pro',
    'a b': 1,
    'first name': 'Ada',
    products: [{ sku: 's1' }, { sku: 's2' }],
    zero: 0,
    empty: '',
    nothing: null,
  },
  context: { device: { token: 'tok' } },
};

describe('@path', () => {
  it('reads nested keys, array indexes and quoted keys', () => {
    expect(run({ '@path': '$.properties.plan' }, event)).toBe('pro');
    expect(run({ '@path': '$.context.device.token' }, event)).toBe('tok');
    expect(run({ '@path': '$.properties.products[1].sku' }, event)).toBe('s2');
    expect(run({ '@path': '$.properties.products.0.sku' }, event)).toBe('s1');
    expect(run({ '@path': '$.properties["a b"]' }, event)).toBe(1);
    expect(run({ '@path': "$.properties['first name']" }, event)).toBe('Ada');
    expect(run({ '@path': '$.properties.first name' }, event)).toBe('Ada');
    expect(run({ '@path': '$.properties.products.length' }, event)).toBe(2);
  });

  it('reads the whole event with "$" or "$."', () => {
    expect(run({ '@path': '$' }, event)).toBe(event);
    expect(run({ '@path': '$.' }, event)).toBe(event);
  });

  it('returns falsy values as they are', () => {
    expect(run({ '@path': '$.properties.zero' }, event)).toBe(0);
    expect(run({ '@path': '$.properties.empty' }, event)).toBe('');
    expect(run({ '@path': '$.properties.nothing' }, event)).toBeNull();
  });

  it('gives undefined for a missing key, and through anything that is not an object or array', () => {
    expect(run({ '@path': '$.properties.missing' }, event)).toBeUndefined();
    expect(run({ '@path': '$.nope.deeper.still.more' }, event)).toBeUndefined();
    // Segment would return 0, null, '' and 2 here (falsy values on the way, string properties).
    expect(run({ '@path': '$.properties.zero.x' }, event)).toBeUndefined();
    expect(run({ '@path': '$.properties.nothing.x' }, event)).toBeUndefined();
    expect(run({ '@path': '$.properties.empty.x' }, event)).toBeUndefined();
    expect(run({ '@path': '$.userId.length' }, event)).toBeUndefined();
    expect(run({ '@path': '$.userId[0]' }, event)).toBeUndefined();
  });

  it('reads own properties only', () => {
    expect(run({ '@path': '$.constructor' }, event)).toBeUndefined();
    expect(run({ '@path': '$.properties.toString' }, event)).toBeUndefined();
    expect(run({ '@path': '$.__proto__' }, event)).toBeUndefined();
    expect(run({ '@path': '$.properties.constructor.prototype' }, event)).toBeUndefined();
    const own = JSON.parse('{"__proto__": {"x": 1}, "constructor": "c"}') as Record<string, unknown>;
    expect(run({ '@path': '$.__proto__.x' }, own)).toBe(1);
    expect(run({ '@path': '$.constructor' }, own)).toBe('c');
  });

  it('returns a reference into the event, not a copy', () => {
    expect(run({ '@path': '$.properties.products' }, event)).toBe(event.properties.products);
  });
});

describe('compilePath', () => {
  it('compiles a reader for any root', () => {
    const read = compilePath('$.a[0].b');
    expect(read({ a: [{ b: 2 }] })).toBe(2);
    expect(read(null)).toBeUndefined();
    expect(read('text')).toBeUndefined();
    expect(read({ a: 'xy' })).toBeUndefined();
    expect(compilePath('$')(7)).toBe(7);
  });

  it('handles deep paths past the unrolled cases', () => {
    const read = compilePath('$.a.b.c.d.e');
    expect(read({ a: { b: { c: { d: { e: 'deep' } } } } })).toBe('deep');
    expect(read({ a: { b: { c: null } } })).toBeUndefined();
  });

  it('throws ConfigError invalid_mapping at the given path', () => {
    expect(() => compilePath('properties.x', { path: 'destinations[0].key' })).toThrow(ConfigError);
    expect(thrown(() => compilePath('$.a..b', { path: 'destinations[0].key' }))).toMatchObject({
      code: 'invalid_mapping',
      path: 'destinations[0].key',
      message: expect.stringContaining(
        'The path "$.a..b" is not a valid path: it has an empty key at character 5',
      ),
    });
    expect(() => compilePath(42 as unknown as string)).toThrow(
      'The path must be a string starting with "$." such as "$.properties.plan" (got 42)',
    );
  });
});

describe('@path syntax errors', () => {
  const tail =
    '; write paths like "$.properties.plan", "$.products[0].sku" or "$.properties[\\"first name\\"]"';
  const cases: [string, string][] = [
    ['$.a..b', 'it has an empty key at character 5'],
    ['$..a', 'it has an empty key at character 3'],
    ['$.a.', 'it ends with "."'],
    ['$.a[b]', 'the brackets at character 4 must hold an index like [0] or a quoted key like ["first name"]'],
    [
      '$.a["b.c"]',
      'the quoted key at character 4 contains ".", which Segment splits into two keys (write nested keys as .a.b)',
    ],
    [
      '$.a[""]',
      'the quoted key at character 4 must be non-empty text without . [ ] or quotes, closed as ["key"]',
    ],
    [
      '$.a["b\']',
      'the quoted key at character 4 must be non-empty text without . [ ] or quotes, closed as ["key"]',
    ],
    [
      '$.a["b"',
      'the quoted key at character 4 must be non-empty text without . [ ] or quotes, closed as ["key"]',
    ],
    ["$.it's", 'the quote at character 5 is not allowed outside brackets (quote a key as ["first name"])'],
    ['$.a]', '"]" at character 4 has no matching "["'],
    ['$.a[0]b', '"b" at character 7 must be preceded by "."'],
    ['$.a.[0]', '"[" at character 5 cannot follow "." (write a[0], not a.[0])'],
    ['$.a[1x]', 'the index in brackets at character 4 must be digits only, like [0]'],
  ];
  it.each(cases)('%s', (path, problem) => {
    const error = compileError({ x: { '@path': path } }, 'subscriptions[2].mapping');
    expect(error.code).toBe('invalid_mapping');
    expect(error.path).toBe('subscriptions[2].mapping.x.@path');
    expect(error.message).toBe(`@path ${JSON.stringify(path)} is not a valid path: ${problem}${tail}`);
  });

  it('rejects a path without "$." and a path that is not a string', () => {
    for (const [value, got] of [
      [42, '42'],
      ['properties.plan', '"properties.plan"'],
      ['$properties', '"$properties"'],
      [{ '@template': '$.a' }, '{"@template":"$.a"}'],
    ] as const) {
      expect(compileError({ '@path': value }).message).toBe(
        `@path must be a string starting with "$." such as "$.properties.plan" (got ${got})`,
      );
    }
  });
});
