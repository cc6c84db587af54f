/**
 * Source text for the compilers: tokens of the trigger grammar and of mapping JSON mixed with
 * garbage, well-formed sources with random edits, deep nesting and very long inputs.
 */
import fc from 'fast-check';
import { nastyString, toJson } from './adversarial.js';
import { DIRECTIVES, mappingDoc, OPTIONS, path } from './mappings.js';

const TRIGGER_TOKENS = [
  'type',
  'event',
  'name',
  'userId',
  'properties.plan',
  'properties.n',
  'properties.items.0.sku',
  'context.device.type',
  'traits.email',
  '__proto__',
  'properties.__proto__.polluted',
  'constructor.prototype',
  'a\\ b',
  'x\\',
  '$a',
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
  'AND',
  'Or',
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '===',
  '&&',
  '||',
  '(',
  ')',
  ',',
  '.',
  '"track"',
  '"Order Completed"',
  '""',
  '"a\\"b"',
  '"*"',
  '"*x?*"',
  '"\\\\*"',
  '"\\u00e9"',
  '"\\ud800"',
  '"\\u12"',
  '"\\q"',
  '"',
  "'x'",
  '0',
  '-1.5',
  '1e3',
  '1e400',
  '-',
  '1.2.3',
  '0x10',
  '\\',
  '#',
  '\u00a0',
  '\u0000',
  '😀',
];

const separator = fc.constantFrom('', ' ', '  ', '\n', '\t', '\r\n');

const triggerSoup = fc
  .array(
    fc.tuple(
      fc.oneof(
        { arbitrary: fc.constantFrom(...TRIGGER_TOKENS), weight: 8 },
        { arbitrary: nastyString, weight: 1 },
      ),
      separator,
    ),
    {
      maxLength: 60,
    },
  )
  .map((parts) => parts.map(([token, space]) => token + space).join(''));

const field = fc.constantFrom(
  'type',
  'event',
  'userId',
  'properties.plan',
  'properties.n',
  'properties.tags.0',
  'a.b',
);
const literal = fc.constantFrom('"track"', '"A"', '""', '"pro"', 'true', 'false', 'null', '0', '-2', '3.5');
const condition = fc.oneof(
  fc
    .tuple(field, fc.constantFrom('=', '!=', '<', '<=', '>', '>='), literal)
    .map(([f, op, v]) => `${f} ${op} ${v}`),
  field.map((f) => `${f} exists`),
  fc
    .tuple(
      fc.constantFrom('contains', 'match'),
      field,
      fc.constantFrom('"A"', '"*"', '"t*"', '"*a*b?*"', '"\\\\*"'),
    )
    .map(([fn, f, v]) => `${fn}(${f}, ${v})`),
);
const { trigger: wellFormedTrigger } = fc.letrec<{ trigger: string }>((tie) => ({
  trigger: fc.oneof(
    { depthSize: 'small' },
    condition,
    fc
      .tuple(tie('trigger'), fc.constantFrom(' and ', ' or '), tie('trigger'))
      .map(([a, op, b]) => a + op + b),
    tie('trigger').map((a) => `(${a})`),
    tie('trigger').map((a) => `not ${a}`),
  ),
}));

/** Random edits: insert a token, delete a stretch, or duplicate a stretch. */
function mutate(text: fc.Arbitrary<string>, insertions: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(
      text,
      fc.array(
        fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.constantFrom('insert', 'delete', 'repeat'), insertions),
        { minLength: 1, maxLength: 3 },
      ),
    )
    .map(([source, edits]) => {
      let out = source;
      for (const [at, length, edit, token] of edits) {
        const i = out.length === 0 ? 0 : at % (out.length + 1);
        if (edit === 'insert') out = out.slice(0, i) + token + out.slice(i);
        else if (edit === 'delete') out = out.slice(0, i) + out.slice(i + length);
        else out = out.slice(0, i + length) + out.slice(i, i + length) + out.slice(i + length);
      }
      return out;
    });
}

/** Deep nesting and long inputs: the shapes that make parsers recurse or backtrack. */
const extremeTrigger = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('(', 'not ', '!', '( not ', '!('),
      fc.integer({ min: 50, max: 5000 }),
      wellFormedTrigger,
      fc.boolean(),
    )
    .map(([open, depth, inner, close]) => open.repeat(depth) + inner + (close ? ')'.repeat(depth) : '')),
  fc
    .tuple(condition, fc.constantFrom(' and ', ' or '), fc.integer({ min: 100, max: 5000 }))
    .map(([c, op, count]) => Array(count).fill(c).join(op)),
  fc.integer({ min: 60_000, max: 70_000 }).map((n) => `event = "${'x'.repeat(n)}"`),
  fc.integer({ min: 10, max: 3000 }).map((n) => `match(event, "${'*a'.repeat(n)}*b")`),
  fc.integer({ min: 10, max: 3000 }).map((n) => `match(event, "${'?'.repeat(n)}")`),
  fc.integer({ min: 1, max: 5000 }).map((n) => `properties${'.a'.repeat(n)} exists`),
  fc.integer({ min: 1, max: 20_000 }).map((n) => `"${'\\'.repeat(n)}`),
);

export const triggerSource = fc.oneof(
  { arbitrary: triggerSoup, weight: 4 },
  { arbitrary: wellFormedTrigger, weight: 2 },
  {
    arbitrary: mutate(wellFormedTrigger, fc.oneof(fc.constantFrom(...TRIGGER_TOKENS), nastyString)),
    weight: 3,
  },
  { arbitrary: extremeTrigger, weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 80 }), weight: 1 },
);

const JSON_TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  '\\',
  'null',
  'true',
  '1',
  '-0',
  '1e999',
  '""',
  '"a"',
  '"__proto__"',
  '"_metadata"',
];
const mappingToken = fc.oneof(
  fc.constantFrom(...JSON_TOKENS),
  fc.constantFrom(...DIRECTIVES, ...OPTIONS).map((word) => JSON.stringify(word)),
  path.map((p) => JSON.stringify(p)),
);

const extremeMapping = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        '{"@literal":',
        '{"a":',
        '[',
        '{"@if":{"exists":{"@path":"$.a"},"then":',
        '{"@transform":{"apply":1,"mapping":',
      ),
      fc.integer({ min: 50, max: 5000 }),
    )
    .map(
      ([open, depth]) =>
        open.repeat(depth) +
        '1' +
        (open === '[' ? ']' : open.endsWith('"mapping":') || open.endsWith('"then":') ? '}}' : '}').repeat(
          depth,
        ),
    ),
  fc.integer({ min: 1000, max: 50_000 }).map((n) => JSON.stringify({ '@template': '{{a}}'.repeat(n) })),
  fc
    .integer({ min: 1000, max: 50_000 })
    .map((n) => JSON.stringify({ '@template': '{'.repeat(n) + 'a' + '}'.repeat(n) })),
  fc.integer({ min: 100, max: 5000 }).map((n) => JSON.stringify({ '@path': `$${'.a'.repeat(n)}` })),
  fc
    .integer({ min: 100, max: 5000 })
    .map((n) =>
      JSON.stringify({ '@merge': { objects: Array(n).fill({ '@path': '$' }), direction: 'right' } }),
    ),
  fc
    .integer({ min: 100, max: 3000 })
    .map((n) => JSON.stringify({ '@flatten': { separator: '.', value: { '@path': '$' } }, x: n })),
);

export const mappingSource = fc.oneof(
  { arbitrary: mappingDoc.map(toJson), weight: 4 },
  { arbitrary: mutate(mappingDoc.map(toJson), mappingToken), weight: 3 },
  { arbitrary: fc.array(mappingToken, { maxLength: 40 }).map((tokens) => tokens.join('')), weight: 2 },
  { arbitrary: extremeMapping, weight: 1 },
);
