import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { compileMapping, MAX_MAPPING_DEPTH } from '../../src/mapping/index.js';
import { compileError } from './helpers.js';

const DIRECTIVES =
  '@path, @template, @if, @case, @replace, @literal, @arrayPath, @merge, @json, @flatten, @excludeWhenNull, @transform';
const NOT_JSON =
  'A mapping value must be JSON: text, a number, true/false, null, an array, an object or a directive';

describe('compile errors common to all directives', () => {
  const cases: [string, unknown, string | undefined, string][] = [
    [
      'unknown directive',
      { x: { '@foo': 1 } },
      'subscriptions[2].mapping.x',
      `Unknown directive "@foo". The directives are ${DIRECTIVES}`,
    ],
    [
      'unknown directive, near a known one',
      { x: { '@Path': '$.a' } },
      'subscriptions[2].mapping.x',
      `Unknown directive "@Path". Did you mean "@path"? The directives are ${DIRECTIVES}`,
    ],
    [
      'unsupported directive',
      { x: { '@liquid': '{{a}}' } },
      'subscriptions[2].mapping.x',
      'The directive "@liquid" (Liquid templates) is not supported; use "@template" such as {"@template": "{{traits.first_name}}"}, or @if/@case/@replace',
    ],
    [
      'two directives in one object',
      { x: { '@path': '$.a', '@template': 'b' } },
      'subscriptions[2].mapping.x',
      'An object can hold only one directive but this one has "@path" and "@template"; give each its own field',
    ],
    [
      'a directive plus other keys',
      { attributes: { plan: { '@path': '$.traits.plan', default: 'free', x: 1 } } },
      'subscriptions[2].mapping.attributes.plan',
      'An object with the directive "@path" cannot have other keys (found "default" and "x"); move them out, or put the directive under a key of its own',
    ],
    ['a function', { x: () => 1 }, 'subscriptions[2].mapping.x', `${NOT_JSON} (got a function)`],
    ['NaN', { x: Number.NaN }, 'subscriptions[2].mapping.x', `${NOT_JSON} (got NaN)`],
    [
      'Infinity',
      { x: [Number.POSITIVE_INFINITY] },
      'subscriptions[2].mapping.x[0]',
      `${NOT_JSON} (got Infinity)`,
    ],
    ['a Date', { x: new Date(0) }, 'subscriptions[2].mapping.x', `${NOT_JSON} (got a Date object)`],
    ['a symbol', { x: Symbol('s') }, 'subscriptions[2].mapping.x', `${NOT_JSON} (got a symbol)`],
    ['a bigint', { x: 1n }, 'subscriptions[2].mapping.x', `${NOT_JSON} (got the bigint 1)`],
    ['a Map', { x: new Map() }, 'subscriptions[2].mapping.x', `${NOT_JSON} (got a Map object)`],
  ];
  it.each(cases)('%s', (_name, mapping, path, message) => {
    const error = compileError(mapping, 'subscriptions[2].mapping');
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('invalid_mapping');
    expect(error.path).toBe(path);
    expect(error.message).toBe(message);
  });

  it('locates errors deep inside, quoting keys that are not simple names', () => {
    const mapping = {
      'first name': [
        { ok: 1 },
        { '@if': { exists: { '@path': '$.a' }, then: { 'a.b': { '@merge': { objects: [1] } } } } },
      ],
    };
    const error = compileError(mapping, 'destinations[0].subscriptions[1].mapping');
    expect(error.path).toBe(
      'destinations[0].subscriptions[1].mapping["first name"][1].@if.then["a.b"].@merge',
    );
  });

  it('gives the inner location alone without a base path, and no path for a top-level error', () => {
    expect(compileError({ a: { '@nope': 1 } }).path).toBe('a');
    expect(compileError({ '@nope': 1 }).path).toBeUndefined();
    expect(compileError({ '@nope': 1 }, 'm').path).toBe('m');
  });

  it('truncates long values shown in messages', () => {
    const error = compileError({ '@path': 'x'.repeat(200) });
    expect(error.message).toBe(
      `@path must be a string starting with "$." such as "$.properties.plan" (got "${'x'.repeat(56)}...)`,
    );
  });

  it('rejects mappings nested too deeply, including cycles', () => {
    let deep: unknown = 1;
    for (let i = 0; i < MAX_MAPPING_DEPTH + 5; i++) deep = { a: deep };
    expect(compileError(deep).message).toBe(
      `The mapping is nested more than ${MAX_MAPPING_DEPTH} levels deep here; simplify it`,
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(compileError(cyclic).code).toBe('invalid_mapping');
    let ok: unknown = 1;
    for (let i = 0; i < MAX_MAPPING_DEPTH; i++) ok = { a: ok };
    expect(() => compileMapping(ok)).not.toThrow();
  });
});
