/**
 * Mappings written from the directive vocabulary (mostly well-formed, with hostile paths, keys and
 * arguments), as documents, so that they can be compiled as values or written out as source text.
 */
import fc from 'fast-check';
import { type Doc, key, nastyString, object, scalar } from './adversarial.js';

export const DIRECTIVES = [
  '@path',
  '@template',
  '@if',
  '@case',
  '@replace',
  '@literal',
  '@arrayPath',
  '@merge',
  '@json',
  '@flatten',
  '@excludeWhenNull',
  '@transform',
] as const;

export const OPTIONS = [
  'exists',
  'blank',
  'then',
  'else',
  'operator',
  'value',
  'pattern',
  'replacement',
  'pattern2',
  'replacement2',
  'ignorecase',
  'global',
  'objects',
  'direction',
  'mode',
  'separator',
  'omitArrays',
  'apply',
  'mapping',
] as const;

export const OPTION_VALUES = [
  'lower',
  'upper',
  'left',
  'right',
  'encode',
  'decode',
  '.',
  '-',
  '_',
  'a',
  true,
  false,
] as const;

const PATH_STEPS = [
  '.properties',
  '.traits',
  '.context',
  '.email',
  '.userId',
  '.__proto__',
  '.constructor',
  '.prototype',
  '.toString',
  '.length',
  '[0]',
  '[1]',
  '["first name"]',
  "['__proto__']",
  '.0',
  '.a',
  '.😀',
];

export const path = fc.oneof(
  {
    arbitrary: fc
      .array(fc.constantFrom(...PATH_STEPS), { maxLength: 5 })
      .map((steps) => `$${steps.join('')}`),
    weight: 5,
  },
  {
    arbitrary: fc.constantFrom(
      '$',
      '$.',
      '$..a',
      '$.a[',
      'a.b',
      '$.[0]',
      '$.a.',
      '$["a"]',
      '$.a[00]',
      '$.a[-1]',
    ),
    weight: 1,
  },
  { arbitrary: nastyString, weight: 1 },
);

const template = fc
  .array(
    fc.oneof(
      nastyString,
      path.map((p) => `{{${p.replace(/^\$\.?/, '')}}}`),
      path.map((p) => `{{{${p.replace(/^\$\.?/, '')}}}}`),
      fc.constantFrom('{{', '}}', '{{}}', '{{ a }}', '{{{a}}', '{'.repeat(50)),
    ),
    { maxLength: 5 },
  )
  .map((parts) => parts.join(''));

const optionValue = fc.oneof(
  fc.constantFrom(...OPTION_VALUES).map(scalar),
  nastyString.map(scalar),
  fc.integer({ min: -2, max: 12 }).map(scalar),
);

/** A mapping document: literals, objects and arrays of mappings, and directives. */
export const mappingDoc: fc.Arbitrary<Doc> = fc.letrec<{ m: Doc }>((tie) => ({
  m: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(nastyString.map(scalar), fc.constantFrom(0, 1.5, true, null).map(scalar)),
    path.map((p) => object([['@path', scalar(p)]])),
    template.map((t) => object([['@template', scalar(t)]])),
    fc
      .tuple(
        fc.constantFrom(...DIRECTIVES),
        fc.array(fc.tuple(fc.constantFrom(...OPTIONS), fc.oneof(optionValue, tie('m'))), { maxLength: 4 }),
      )
      .map(([name, options]) => object([[name, object(options)]])),
    fc.tuple(fc.constantFrom(...DIRECTIVES), tie('m')).map(([name, argument]) => object([[name, argument]])),
    fc
      .tuple(path, fc.option(tie('m')))
      .map(([p, shape]) =>
        object([['@arrayPath', { kind: 'array', items: shape === null ? [scalar(p)] : [scalar(p), shape] }]]),
      ),
    fc.array(tie('m'), { maxLength: 3 }).map((items): Doc => ({ kind: 'array', items })),
    fc.array(fc.tuple(key, tie('m')), { maxLength: 4 }).map((entries) => object(entries)),
  ),
})).m;
