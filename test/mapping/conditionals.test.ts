import { describe, expect, it } from 'vitest';
import { compileError, run } from './helpers.js';

const traits = {
  email: 'Ada@Example.com',
  zero: 0,
  no: false,
  empty: '',
  nil: null,
  none: [],
  nulls: [null],
  obj: {},
  createdAt: 1700000000,
};
const event = { userId: 'u1', traits };

const ifExists = (path: string, extra: Record<string, unknown> = { then: 'T', else: 'E' }) => ({
  '@if': { exists: { '@path': path }, ...extra },
});
const ifBlank = (path: string) => ({ '@if': { blank: { '@path': path }, then: 'T', else: 'E' } });

describe('@if exists', () => {
  it('is true for any value but undefined and null', () => {
    for (const key of ['email', 'zero', 'no', 'empty', 'none', 'obj']) {
      expect(run(ifExists(`$.traits.${key}`), event), key).toBe('T');
    }
    expect(run(ifExists('$.traits.nil'), event)).toBe('E');
    expect(run(ifExists('$.traits.missing'), event)).toBe('E');
  });

  it('picks a fallback field, the typical use', () => {
    const mapping = {
      created_at: {
        '@if': {
          exists: { '@path': '$.traits.created_at' },
          then: { '@path': '$.traits.created_at' },
          else: { '@path': '$.traits.createdAt' },
        },
      },
    };
    expect(run(mapping, event)).toEqual({ created_at: 1700000000 });
    expect(run(mapping, { traits: { created_at: 5, createdAt: 6 } })).toEqual({ created_at: 5 });
    expect(run(mapping, { traits: {} })).toEqual({});
  });

  it('gives undefined when the chosen branch is missing', () => {
    expect(run(ifExists('$.traits.email', { else: 'E' }), event)).toBeUndefined();
    expect(run(ifExists('$.traits.missing', { then: 'T' }), event)).toBeUndefined();
    expect(run(ifExists('$.traits.missing', {}), event)).toBeUndefined();
  });

  it('returns falsy "then" values but ignores a falsy literal "else", as Segment does', () => {
    expect(run(ifExists('$.traits.email', { then: null }), event)).toBeNull();
    expect(run(ifExists('$.traits.email', { then: false }), event)).toBe(false);
    for (const falsy of [false, 0, '', null]) {
      expect(run(ifExists('$.traits.missing', { then: 'T', else: falsy }), event)).toBeUndefined();
    }
    // A directive that resolves to a falsy value is not a literal: it is returned.
    expect(run(ifExists('$.traits.missing', { else: { '@path': '$.traits.zero' } }), event)).toBe(0);
  });
});

describe('@if blank', () => {
  it('takes "then" when the value is NOT blank', () => {
    expect(run(ifBlank('$.traits.email'), event)).toBe('T');
    expect(run(ifBlank('$.traits.obj'), event)).toBe('T');
  });

  it('treats what loosely equals "" as blank: "", 0, false, [] and arrays that join to ""', () => {
    for (const key of ['empty', 'zero', 'no', 'nil', 'missing', 'none', 'nulls']) {
      expect(run(ifBlank(`$.traits.${key}`), event), key).toBe('E');
    }
    expect(run(ifBlank('$.list'), { list: [0] })).toBe('T');
    expect(run(ifBlank('$.list'), { list: [[[null]]] })).toBe('E');
    expect(run(ifBlank('$.list'), { list: [null, null] })).toBe('T'); // joins to ","
  });

  it('does not throw on objects whose toString or valueOf are data', () => {
    expect(run(ifBlank('$.x'), { x: { toString: 'a', valueOf: 'b' } })).toBe('T');
    expect(run(ifBlank('$.x'), { x: [{ toString: 'a' }] })).toBe('T');
  });
});

describe('@case', () => {
  it('lower- and upper-cases text', () => {
    expect(run({ '@case': { operator: 'lower', value: { '@path': '$.traits.email' } } }, event)).toBe(
      'ada@example.com',
    );
    expect(run({ '@case': { operator: 'upper', value: { '@path': '$.traits.email' } } }, event)).toBe(
      'ADA@EXAMPLE.COM',
    );
    expect(run({ '@case': { operator: 'upper', value: 'fixed' } }, event)).toBe('FIXED');
  });

  it('returns other values unchanged, missing as undefined', () => {
    expect(run({ '@case': { operator: 'lower', value: { '@path': '$.traits.zero' } } }, event)).toBe(0);
    expect(run({ '@case': { operator: 'lower', value: { '@path': '$.traits.nil' } } }, event)).toBeNull();
    expect(run({ '@case': { operator: 'lower', value: { '@path': '$.traits.obj' } } }, event)).toBe(
      traits.obj,
    );
    expect(
      run({ '@case': { operator: 'lower', value: { '@path': '$.traits.missing' } } }, event),
    ).toBeUndefined();
  });

  it('gives undefined for a literal "" value, as Segment does', () => {
    expect(run({ '@case': { operator: 'lower', value: '' } }, event)).toBeUndefined();
  });
});

describe('@if and @case compile errors', () => {
  const example =
    '{"exists": {"@path": "$.traits.email"}, "then": {"@path": "$.traits.email"}, "else": "none"}';
  const cases: [string, unknown, string, string][] = [
    ['if not an object', 'x', 'f.@if', `@if needs an object of options such as ${example} (got "x")`],
    [
      'if a directive',
      { '@path': '$.a' },
      'f.@if',
      `@if needs an object of options such as ${example} (got {"@path":"$.a"})`,
    ],
    ['if no condition', {}, 'f.@if', `@if needs a condition, "exists" or "blank", such as ${example}`],
    [
      'if both conditions',
      { exists: { '@path': '$.a' }, blank: { '@path': '$.a' } },
      'f.@if',
      '@if takes one condition, "exists" or "blank", not both; split it into two nested @if',
    ],
    [
      'if literal condition',
      { exists: '$.traits.email', then: 1 },
      'f.@if.exists',
      '@if "exists" must be a directive such as {"@path": "$.traits.email"} (got "$.traits.email")',
    ],
    [
      'if literal blank',
      { blank: false },
      'f.@if.blank',
      '@if "blank" must be a directive such as {"@path": "$.traits.email"} (got false)',
    ],
    [
      'if unknown option',
      { exists: { '@path': '$.a' }, Then: 1 },
      'f.@if.Then',
      '@if has no option "Then"; its options are "exists", "blank", "then" and "else"',
    ],
    [
      'if bad then',
      { exists: { '@path': '$.a' }, then: { '@nope': 1 } },
      'f.@if.then',
      'Unknown directive "@nope".',
    ],
    ['if bad condition', { exists: { '@path': 'a' } }, 'f.@if.exists.@path', '@path must be a string'],
  ];
  it.each(cases)('%s', (_name, argument, path, message) => {
    const error = compileError({ f: { '@if': argument } });
    expect(error.path).toBe(path);
    expect(error.message.startsWith(message)).toBe(true);
  });

  const caseCases: [unknown, string, string][] = [
    [{ value: 'a' }, 'f.@case', '@case needs "operator" set to "lower" or "upper" (got nothing)'],
    [
      { operator: 'title', value: 'a' },
      'f.@case.operator',
      '@case needs "operator" set to "lower" or "upper" (got "title")',
    ],
    [
      { operator: 'LOWER', value: 'a' },
      'f.@case.operator',
      '@case needs "operator" set to "lower" or "upper" (got "LOWER")',
    ],
    [
      { operator: 'lower' },
      'f.@case',
      '@case needs "value": text or a directive such as {"@path": "$.traits.email"} (got nothing)',
    ],
    [
      { operator: 'lower', value: 3 },
      'f.@case.value',
      '@case needs "value": text or a directive such as {"@path": "$.traits.email"} (got 3)',
    ],
    [
      { operator: 'lower', value: 'a', mode: 1 },
      'f.@case.mode',
      '@case has no option "mode"; its options are "operator" and "value"',
    ],
    [
      'lower',
      'f.@case',
      '@case needs an object of options such as {"operator": "lower", "value": {"@path": "$.traits.email"}} (got "lower")',
    ],
  ];
  it.each(caseCases)('@case %j', (argument, path, message) => {
    const error = compileError({ f: { '@case': argument } });
    expect([error.code, error.path, error.message]).toEqual(['invalid_mapping', path, message]);
  });
});
