import { afterEach, describe, expect, it } from 'vitest';
import { compileMapping, MAX_JSON_DECODE_LENGTH, MAX_VALUE_DEPTH } from '../../src/mapping/index.js';
import { run } from './helpers.js';

const probe = () => ({}) as Record<string, unknown>;

function nested(depth: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = { k: value };
  return value;
}

afterEach(() => {
  // A failed attempt would have left this on Object.prototype and broken every later test.
  expect(probe().polluted).toBeUndefined();
  expect(probe().isAdmin).toBeUndefined();
});

describe('prototype pollution', () => {
  const hostile = JSON.parse(
    '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "traits": {"__proto__": {"isAdmin": true}, "a": 1}, "nested": {"x": {"__proto__": {"polluted": 1}}}}',
  ) as Record<string, unknown>;

  it('keeps "__proto__" and friends as ordinary keys in built objects', () => {
    // JSON.parse makes "__proto__" an own key of the mapping, as a config file would.
    const config = JSON.parse(`{
      "__proto__": {"@path": "$.__proto__"},
      "merged": {"@merge": {"objects": [{"@path": "$.traits"}, {"@path": "$.__proto__"}], "direction": "right"}},
      "flat": {"@flatten": {"separator": ".", "value": {"@path": "$"}}},
      "decoded": {"@json": {"mode": "decode", "value": "{\\"__proto__\\": {\\"polluted\\": 1}}"}},
      "cleaned": {"@excludeWhenNull": {"@path": "$.nested"}},
      "shaped": {"@arrayPath": ["$.traits", {"__proto__": {"@path": "$.__proto__"}}]}
    }`) as unknown;
    const out = compileMapping(config)(hostile) as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toContain('__proto__');
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: 'yes' });
    expect(Object.getPrototypeOf(out.merged)).toBe(Object.prototype);
    expect(out.merged).toEqual(JSON.parse('{"__proto__": {"isAdmin": true}, "a": 1, "polluted": "yes"}'));
    expect(Object.getPrototypeOf(out.flat)).toBe(Object.prototype);
    expect(out.flat!['__proto__.polluted']).toBe('yes');
    expect(out.flat!['constructor.prototype.polluted']).toBe('yes');
    expect(Object.getPrototypeOf(out.decoded)).toBe(Object.prototype);
    expect(Object.keys(out.decoded!)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(out.cleaned!.x)).toBe(Object.prototype);
    expect(Object.getPrototypeOf((out.shaped as unknown as object[])[0])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('flattens a "__proto__" leaf as an own key', () => {
    const event = JSON.parse('{"v": {"__proto__": 5}}') as Record<string, unknown>;
    const out = run({ '@flatten': { separator: '.', value: { '@path': '$.v' } } }, event) as object;
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('never reads inherited properties through paths or templates', () => {
    const event = { a: {} };
    expect(run({ '@path': '$.a.constructor.prototype' }, event)).toBeUndefined();
    expect(run({ '@path': '$.a.__proto__' }, event)).toBeUndefined();
    expect(run({ '@template': '{{a.constructor.name}}{{a.hasOwnProperty}}' }, event)).toBe('');
    expect(run({ '@arrayPath': ['$.a.constructor', { x: 1 }] }, event)).toBeUndefined();
  });
});

describe('bounded work on hostile events', () => {
  const deep = nested(100_000);

  it('@json decode gives undefined for text nested too deeply or too long', () => {
    const decode = { '@json': { mode: 'decode', value: { '@path': '$.s' } } };
    expect(run(decode, { s: `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}` })).toBeUndefined();
    expect(
      run(decode, { s: `${'['.repeat(MAX_VALUE_DEPTH + 1)}${']'.repeat(MAX_VALUE_DEPTH + 1)}` }),
    ).toBeUndefined();
    expect(run(decode, { s: `${'['.repeat(MAX_VALUE_DEPTH)}${']'.repeat(MAX_VALUE_DEPTH)}` })).toBeInstanceOf(
      Array,
    );
    // Brackets inside strings do not count.
    expect(run(decode, { s: JSON.stringify(['['.repeat(1000)]) })).toEqual(['['.repeat(1000)]);
    expect(run(decode, { s: `"${'x'.repeat(MAX_JSON_DECODE_LENGTH)}"` })).toBeUndefined();
  });

  it('@json encode gives undefined for a value too deep for JSON.stringify', () => {
    expect(run({ '@json': { mode: 'encode', value: { '@path': '$.d' } } }, { d: deep })).toBeUndefined();
  });

  it('@flatten and @excludeWhenNull give undefined beyond the depth limit', () => {
    expect(run({ '@flatten': { separator: '.', value: { '@path': '$.d' } } }, { d: deep })).toBeUndefined();
    expect(run({ '@excludeWhenNull': { '@path': '$.d' } }, { d: deep })).toBeUndefined();
    const ok = nested(MAX_VALUE_DEPTH - 1);
    expect(
      Object.values(run({ '@flatten': { separator: '.', value: { '@path': '$.d' } } }, { d: ok }) as object),
    ).toEqual([1]);
    expect(run({ '@excludeWhenNull': { '@path': '$.d' } }, { d: ok })).toEqual(ok);
  });

  it('@template renders deeply nested arrays without recursion trouble', () => {
    let list: unknown = ['x'];
    for (let i = 0; i < 100_000; i++) list = [list];
    expect(run({ '@template': '{{l}}' }, { l: list })).toBe('');
    expect(run({ '@template': '{{l}}' }, { l: [[['x']]] })).toBe('x');
  });

  it('@if blank handles deeply nested arrays', () => {
    let list: unknown = [];
    for (let i = 0; i < 100_000; i++) list = [list];
    expect(run({ '@if': { blank: { '@path': '$.l' }, then: 'T', else: 'E' } }, { l: list })).toBe('E');
  });
});
