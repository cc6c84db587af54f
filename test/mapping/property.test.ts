import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { compileMapping, type Mapper } from '../../src/mapping/index.js';
import { DIRECTIVES, OPTION_VALUES, OPTIONS } from '../fuzz/mappings.js';

const KEYS = [
  'a',
  'b',
  '0',
  'name',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '@path',
  '_metadata',
];
const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 4 }));

/** Paths, valid or not, that tend to hit the keys events have. */
const path = fc.oneof(
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...KEYS).map((k) => `.${k}`),
        fc.constantFrom('[0]', '["a"]', "['name']"),
      ),
      {
        maxLength: 4,
      },
    )
    .map((steps) => `$${steps.join('')}`),
  fc.string({ maxLength: 8 }),
  fc.constantFrom('$', '$.', '$..a', '$.a[', 'a.b', '$.[0]'),
);

const scalar = fc.oneof(
  fc.constantFrom(0, -0, 1, '', 'x', 'a-b', '{"a":1}', '[[[', true, false, null, undefined),
  fc.string({ maxLength: 6 }),
  fc.double(),
);

/** Every directive, plus names that are not directives. */
const DIRECTIVE_NAMES = [...DIRECTIVES, '@liquid', '@nope'];
const optionName = fc.constantFrom(...OPTIONS, 'x');
const optionValue = fc.constantFrom(...OPTION_VALUES);

/** Random mappings: mostly well-formed directives with random arguments, plus plain garbage. */
const { mapping } = fc.letrec<{ mapping: unknown }>((tie) => ({
  mapping: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    path.map((p) => ({ '@path': p })),
    fc.string({ maxLength: 12 }).map((t) => ({ '@template': t })),
    path.map((p) => ({ '@template': `x{{${p.replace(/^\$\.?/, '')}}}y` })),
    fc
      .tuple(
        fc.constantFrom(...DIRECTIVE_NAMES),
        fc.dictionary(optionName, fc.oneof(optionValue, tie('mapping')), { maxKeys: 4 }),
      )
      .map(([name, options]) => ({ [name]: options })),
    fc
      .tuple(fc.constantFrom(...DIRECTIVE_NAMES), tie('mapping'))
      .map(([name, argument]) => ({ [name]: argument })),
    fc
      .tuple(path, fc.option(tie('mapping')))
      .map(([p, shape]) => ({ '@arrayPath': shape === null ? [p] : [p, shape] })),
    fc.array(tie('mapping'), { maxLength: 3 }),
    fc.dictionary(key, tie('mapping'), { maxKeys: 4 }),
  ),
}));

/** Random events: JSON values (with hostile keys) and a few values JSON cannot hold. */
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.constantFrom('{"__proto__":{"polluted":1}}', '[1,2]', '{{a}}'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
}));
const event = fc.dictionary(key, value, { maxKeys: 6 });

function tryCompile(candidate: unknown): Mapper | undefined {
  try {
    return compileMapping(candidate, { path: 'm' });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('invalid_mapping');
    expect((error as ConfigError).path?.startsWith('m')).toBe(true);
    expect((error as ConfigError).message.length).toBeGreaterThan(20);
    return undefined;
  }
}

describe('random mappings and events', () => {
  it('compile or throw ConfigError invalid_mapping; compiled mappers never throw', () => {
    let compiled = 0;
    fc.assert(
      fc.property(mapping, fc.array(event, { minLength: 1, maxLength: 3 }), (candidate, events) => {
        const mapper = tryCompile(candidate);
        if (mapper === undefined) return;
        compiled++;
        for (const e of events) {
          const first = JSON.stringify(mapper(e) ?? null);
          // Deterministic: the same event maps to the same result.
          expect(JSON.stringify(mapper(e) ?? null)).toBe(first);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
    // The generator must exercise the run-time paths, not just compile errors.
    expect(compiled).toBeGreaterThan(500);
  });

  it('mappers never mutate the event', () => {
    fc.assert(
      fc.property(mapping, event, (candidate, e) => {
        const mapper = tryCompile(candidate);
        if (mapper === undefined) return;
        const before = structuredClone(e);
        mapper(e);
        expect(e).toEqual(before);
      }),
      { numRuns: 1000 },
    );
  });
});
