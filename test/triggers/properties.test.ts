import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { compileTrigger, parseTrigger, printTrigger, type TriggerAst } from '../../src/triggers/index.js';

/**
 * Compiling must end quickly: real triggers take microseconds, so 50 ms only trips on a hang or a
 * super-linear path. A single slow run can be a GC pause or a busy CI machine, so a slow input
 * is timed again and only the fastest of three runs counts.
 */
const TIME_BOUND_MS = 50;

/** Either a Trigger, or a ConfigError `invalid_trigger`: any other exception fails the property. */
function compileOrReject(source: string): void {
  let fastest = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 3 && fastest >= TIME_BOUND_MS; attempt++) {
    const started = performance.now();
    try {
      compileTrigger(source);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      expect(error.code).toBe('invalid_trigger');
      expect(error.position).toBeGreaterThanOrEqual(0);
      expect(error.position).toBeLessThanOrEqual(source.length);
    }
    fastest = Math.min(fastest, performance.now() - started);
  }
  expect(fastest).toBeLessThan(TIME_BOUND_MS);
}

const TOKENS = [
  'type',
  'event',
  'properties.plan',
  'context.device.type',
  'traits.email',
  '__proto__',
  'properties.constructor',
  'a\\ b',
  'and',
  'or',
  'not',
  '!',
  'exists',
  'true',
  'false',
  'null',
  'contains',
  'match',
  'startswith',
  'AND',
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '&&',
  '(',
  ')',
  ',',
  '.',
  '"track"',
  '"a\\"b"',
  '"*x?"',
  '"',
  "'x'",
  '"\\u00e9"',
  '"\\q"',
  '0',
  '-1.5',
  '1e3',
  '1.2.3',
  '-',
  '\\',
  '#',
  '\u00a0',
  '😀',
];

const tokenSequence = fc
  .array(fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom('', ' ', '\n', '  ')), { maxLength: 40 })
  .map((parts) => parts.map(([token, space]) => token + space).join(''));

describe('robustness (fast-check)', () => {
  it('random strings compile or throw ConfigError invalid_trigger, quickly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (source) => compileOrReject(source)),
      { numRuns: 1000 },
    );
  });

  it('random ASCII soup of trigger characters compiles or throws ConfigError, quickly', () => {
    const unit = fc.constantFrom(...'abtypevn.=!<>()",\\ *?-019eE&|\'#'.split(''));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 120 }), (source) => compileOrReject(source)),
      { numRuns: 1000 },
    );
  });

  it('random token sequences compile or throw ConfigError, quickly', () => {
    fc.assert(
      fc.property(tokenSequence, (source) => compileOrReject(source)),
      { numRuns: 2000 },
    );
  });

  it('deep and long random inputs stay bounded', () => {
    const deep = fc
      .tuple(fc.constantFrom('(', 'not ', '!', '( not '), fc.integer({ min: 0, max: 3000 }), tokenSequence)
      .map(([open, depth, tail]) => open.repeat(depth) + tail);
    fc.assert(
      fc.property(deep, (source) => compileOrReject(source)),
      { numRuns: 200 },
    );
  });
});

// Well-formed triggers, generated as text, to check meaning rather than robustness.
const field = fc.constantFrom(
  'type',
  'event',
  'userId',
  'properties.plan',
  'properties.n',
  'properties.tags.0',
  'a.b',
);
const literal = fc.oneof(
  fc.constantFrom('"track"', '"A"', '""', '"pro"', '"a\\"b"', 'true', 'false', 'null'),
  fc.integer({ min: -3, max: 3 }).map(String),
);
const condition = fc.oneof(
  fc.tuple(field, fc.constantFrom('=', '!='), literal).map(([f, op, v]) => `${f} ${op} ${v}`),
  fc
    .tuple(field, fc.constantFrom('<', '<=', '>', '>='), fc.integer({ min: -3, max: 3 }))
    .map(([f, op, v]) => `${f} ${op} ${v}`),
  field.map((f) => `${f} exists`),
  fc.tuple(field, fc.constantFrom('"A"', '"r"', '""')).map(([f, v]) => `contains(${f}, ${v})`),
  fc
    .tuple(field, fc.constantFrom('"*"', '"t*"', '"*k"', '"?r*"', '"p?o"'))
    .map(([f, v]) => `match(${f}, ${v})`),
);
const { trigger } = fc.letrec<{ trigger: string }>((tie) => ({
  trigger: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    condition,
    fc.tuple(tie('trigger'), tie('trigger')).map(([a, b]) => `${a} and ${b}`),
    fc.tuple(tie('trigger'), tie('trigger')).map(([a, b]) => `${a} or ${b}`),
    tie('trigger').map((a) => `(${a})`),
    tie('trigger').map((a) => `not (${a})`),
  ),
}));

const value = fc.oneof(
  fc.constantFrom<unknown>('track', 'A', '', 'pro', 'a"b', 'true', '1', true, false, null, undefined, {}, [
    'A',
  ]),
  fc.integer({ min: -3, max: 3 }),
);
const event = fc.record(
  {
    type: value,
    event: value,
    userId: value,
    properties: fc.oneof(
      fc.record({ plan: value, n: value, tags: fc.oneof(value, fc.array(value, { maxLength: 2 })) }),
      value,
    ),
    a: fc.oneof(fc.record({ b: value }), value),
  },
  { requiredKeys: [] },
);

/** The tree without positions, to compare a trigger with its printed form. */
function shape(node: TriggerAst): unknown {
  return JSON.parse(JSON.stringify(node, (key, v: unknown) => (key === 'position' ? undefined : v)));
}

describe('meaning (fast-check)', () => {
  it('generated triggers always compile', () => {
    fc.assert(fc.property(trigger, (source) => void compileTrigger(source)));
  });

  it('explain agrees with the compiled predicate on every event', () => {
    fc.assert(
      fc.property(trigger, fc.array(event, { minLength: 1, maxLength: 5 }), (source, events) => {
        const compiled = compileTrigger(source);
        for (const e of events) {
          const clean = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
          expect(compiled.explain(clean).matched).toBe(compiled.test(clean));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('printing a tree and parsing it again gives the same tree', () => {
    fc.assert(
      fc.property(trigger, (source) => {
        const ast = parseTrigger(source);
        expect(shape(parseTrigger(printTrigger(ast)))).toEqual(shape(ast));
      }),
      { numRuns: 500 },
    );
  });

  it('not (t) is the complement of t, and t and t / t or t are t', () => {
    fc.assert(
      fc.property(trigger, event, (source, e) => {
        const clean = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
        const t = compileTrigger(source).test(clean);
        expect(compileTrigger(`not (${source})`).test(clean)).toBe(!t);
        expect(compileTrigger(`(${source}) and (${source})`).test(clean)).toBe(t);
        expect(compileTrigger(`(${source}) or (${source})`).test(clean)).toBe(t);
      }),
      { numRuns: 300 },
    );
  });
});
