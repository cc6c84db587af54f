/**
 * The JSON helpers behind the size limits and the state's copies: they must answer exactly as
 * `Buffer.byteLength(JSON.stringify(v))` and `JSON.parse(JSON.stringify(v))` would.
 */
import { describe, expect, it } from 'vitest';
import { cloneJson } from '../../../src/emulator/workspace/clone.js';
import { fitsBytes, fitsJson, fitsValue, jsonBytes } from '../../../src/emulator/workspace/json-size.js';

const exact = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '');
const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
const inherited = Object.create({ hidden: 'x'.repeat(50) }) as Record<string, unknown>;
inherited['own'] = 1;
const nullPrototype = Object.assign(Object.create(null) as Record<string, unknown>, { a: 'b' });
let deep: unknown = 'bottom';
for (let i = 0; i < 100; i += 1) deep = { d: [deep] };

/** Values JSON treats specially: escapes, surrogates, number forms, left-out values, toJSON. */
const corpus: [string, unknown][] = [
  ['ascii', 'hello'],
  ['escapes', 'quote " backslash \\ newline \n tab \t nul \u0000 unit \u001f'],
  ['multi-byte', 'é ü 中文 €'],
  ['astral', '😀🎉'],
  ['lone surrogates', '\ud800 and \udfff'],
  ['line separators', '\u2028\u2029'],
  ['long escapes', '\u0001'.repeat(300)],
  ['numbers', [0, -0, 1, -1.5, 1e21, 1e-7, -0.0000012345678901234567, 2 ** 53, 5e-324, Number.MAX_VALUE]],
  ['non-finite', [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]],
  ['literals', [true, false, null]],
  ['left out', { a: undefined, b: () => 1, c: Symbol('s'), d: 1 }],
  ['left out in arrays', [undefined, () => 1, Symbol('s')]],
  ['sparse array', Object.assign(new Array<number>(3), { 0: 1, 2: 3 })],
  ['date', { at: new Date(0) }],
  ['toJSON', { v: { toJSON: () => 'x'.repeat(40) } }],
  ['class instance', { p: new Point(1, 2) }],
  ['boxed', [new Number(123456), new String('abc'), new Boolean(false)]],
  ['map', { m: new Map([['a', 1]]) }],
  ['inherited keys', inherited],
  ['null prototype', nullPrototype],
  ['__proto__ key', JSON.parse('{"__proto__":{"polluted":true},"x":1}')],
  ['deep', deep],
  ['event', { order_id: 'o-1', total: 12.5, currency: 'USD', items: [{ sku: 'a', qty: 2 }] }],
];

/** A small seeded generator of JSON-like values with awkward strings and numbers. */
function generator(seed: number): () => unknown {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chars = ['a', 'Z', '0', ' ', '"', '\\', '\n', '\u0007', 'é', '€', '\ud83d\ude00', '\ud800', '\u2028'];
  const text = () => Array.from({ length: Math.floor(next() * 12) }, () => pick(chars)).join('');
  const number = () =>
    pick([
      () => Math.floor(next() * 1e6),
      () => (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20),
      () => -(next() * 1e-6),
      () => next() * 1e300,
    ])();
  const value = (depth: number): unknown => {
    const kind = Math.floor(next() * (depth > 3 ? 4 : 6));
    if (kind === 0) return text();
    if (kind === 1) return number();
    if (kind === 2) return pick([true, false, null, undefined]);
    if (kind === 3) return text().length;
    if (kind === 4) return Array.from({ length: Math.floor(next() * 5) }, () => value(depth + 1));
    return Object.fromEntries(
      Array.from({ length: Math.floor(next() * 5) }, () => [text(), value(depth + 1)]),
    );
  };
  return () => value(0);
}

describe('fitsJson', () => {
  it('answers like the exact measure, one byte either side of every size', () => {
    const random = generator(7);
    const values = [...corpus.map(([, value]) => value), ...Array.from({ length: 2000 }, random)];
    for (const value of values) {
      const size = exact(value);
      expect(jsonBytes(value)).toBe(size);
      for (const max of [size - 1, size, size + 1]) expect(fitsJson(value, max)).toBe(size <= max);
    }
  });

  it('throws where JSON.stringify throws', () => {
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    expect(() => fitsJson(cycle, 32_768)).toThrow(TypeError);
    expect(() => fitsJson({ n: 1n }, 32_768)).toThrow(TypeError);
  });
});

describe('fitsBytes and fitsValue', () => {
  it('count UTF-8 bytes as TextEncoder does, lone surrogates included', () => {
    const encoder = new TextEncoder();
    for (const text of [
      '',
      'abc',
      'é'.repeat(400),
      '€'.repeat(334),
      '😀'.repeat(250),
      '\ud800'.repeat(334),
    ]) {
      const size = encoder.encode(text).length;
      for (const max of [size - 1, size, size + 1]) expect(fitsBytes(text, max)).toBe(size <= max);
    }
  });

  it('measure a string by its bytes and anything else by its JSON', () => {
    expect(fitsValue('x'.repeat(1000), 1000)).toBe(true);
    expect(fitsValue(['x'.repeat(996)], 1000)).toBe(true);
    expect(fitsValue(['x'.repeat(997)], 1000)).toBe(false);
  });
});

describe('cloneJson', () => {
  it('gives what the JSON round trip gives, key order and prototype included', () => {
    const random = generator(11);
    const values = [...corpus.map(([, value]) => value), ...Array.from({ length: 2000 }, random)];
    for (const value of values) {
      if (value === undefined) continue;
      const copy = cloneJson(value);
      const expected = roundTrip(value);
      expect(copy).toStrictEqual(expected);
      expect(JSON.stringify(copy)).toBe(JSON.stringify(expected));
    }
  });

  it('turns -0 into 0 and non-finite numbers into null, like JSON', () => {
    expect(Object.is(cloneJson(-0), 0)).toBe(true);
    expect(Object.is(cloneJson([-0])[0], 0)).toBe(true);
    expect(cloneJson(Number.NaN)).toBeNull();
    expect(cloneJson({ a: Number.POSITIVE_INFINITY })).toEqual({ a: null });
    expect(cloneJson(undefined)).toBeUndefined();
  });

  it('keeps __proto__ an ordinary key and shares nothing with its input', () => {
    const input = JSON.parse('{"__proto__":{"polluted":true},"list":[{"a":1}]}') as Record<string, unknown>;
    const copy = cloneJson(input);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'list']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(copy['list']).not.toBe(input['list']);
    expect((copy['list'] as unknown[])[0]).not.toBe((input['list'] as unknown[])[0]);
  });

  it('throws where the round trip throws', () => {
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    expect(() => cloneJson(cycle)).toThrow(TypeError);
    expect(() => cloneJson({ n: 1n })).toThrow(TypeError);
  });
});
