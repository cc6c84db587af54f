/**
 * Generators of hostile data: strings that break naive code (lone surrogates, NUL, RTL marks,
 * emoji sequences, prototype-ish names, template and path syntax), and JSON documents written as
 * text, so that keys such as `__proto__` reach the code under test exactly as a client's
 * JSON.parse would deliver them (as own properties, not as prototype changes).
 */
import fc from 'fast-check';

/** Names that, used as keys, reach prototypes in careless code. */
export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'length',
] as const;

/** Fragments of text that have broken parsers, encoders and databases before. */
export const NASTY_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\udc00y',
  '\ud83d', // the first half of an emoji, alone
  '😀',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  '\u202e', // right-to-left override
  'שלום',
  'مرحبا\u200f',
  'e\u0301',
  '\ufeff',
  '\uffff',
  '\u2028\u2029',
  '\r\n\t\b\f\u001f',
  '"\\',
  '\\u0000',
  '{{a}}',
  '{{{b}}}',
  '$.a',
  '@path',
  '%s%n%x',
  '<script>alert(1)</script>',
  'null',
  'undefined',
  'true',
  '0',
  '-0',
  '1e400',
  'NaN',
  ...PROTOTYPE_KEYS,
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** One "character": any code point, a lone surrogate, or a nasty fragment. */
const unit = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), weight: 2 },
  { arbitrary: loneSurrogate, weight: 1 },
  { arbitrary: fc.constantFrom(...NASTY_TEXT), weight: 2 },
);

/** Short hostile text. */
export const nastyString = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY_TEXT), weight: 2 },
  { arbitrary: fc.string({ unit, maxLength: 12 }), weight: 3 },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
);

/** Text that is well-formed Unicode (no lone surrogate) and has no NUL: what an id may hold. */
export const cleanString = fc
  .oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
    fc.constantFrom('😀', 'שלום', 'e\u0301', '__proto__', 'constructor', '{{a}}'),
  )
  .filter((text) => !/\p{Cs}/u.test(text) && !text.includes('\u0000') && text.length > 0);

/** Long text, sometimes beyond the 32 KB event limit once serialised. */
export const longString = fc
  .tuple(fc.constantFrom('x', 'é', '😀', '\u0000', '\ud800', '"'), fc.constantFrom(1000, 6000, 40_000))
  .map(([piece, count]) => piece.repeat(count));

export const key = fc.oneof(
  { arbitrary: fc.constantFrom(...PROTOTYPE_KEYS), weight: 3 },
  {
    arbitrary: fc.constantFrom('type', 'event', 'userId', 'email', 'id', 'name', 'a', '0', '@path', '$'),
    weight: 2,
  },
  { arbitrary: nastyString, weight: 2 },
);

export const nastyNumber = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    0.5,
    1e21,
    -1e21,
    2 ** 53,
    2 ** 53 + 2,
    1.7976931348623157e308,
    5e-324,
    1e11,
    1e15,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A JSON document as a tree, so that it can be written as text with any keys, in order. */
export type Doc =
  | { readonly kind: 'scalar'; readonly value: string | number | boolean | null }
  | { readonly kind: 'array'; readonly items: readonly Doc[] }
  | { readonly kind: 'object'; readonly entries: ReadonlyArray<readonly [string, Doc]> }
  /** JSON text written as is (for payloads that are easier to write than to build). */
  | { readonly kind: 'raw'; readonly text: string };

export const scalar = (value: string | number | boolean | null): Doc => ({ kind: 'scalar', value });
export const object = (entries: ReadonlyArray<readonly [string, Doc]>): Doc => ({ kind: 'object', entries });

/** JSON text of a document. JSON.stringify escapes lone surrogates as `\udXXX`, as clients do. */
export function toJson(doc: Doc): string {
  switch (doc.kind) {
    case 'scalar':
      return JSON.stringify(doc.value);
    case 'array':
      return `[${doc.items.map(toJson).join(',')}]`;
    case 'object':
      return `{${doc.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
    case 'raw':
      return doc.text;
  }
}

/** The document as JSON.parse would give it (own `__proto__` keys included). */
export function toValue(doc: Doc): unknown {
  return JSON.parse(toJson(doc));
}

const scalarDoc: fc.Arbitrary<Doc> = fc.oneof(
  nastyString.map(scalar),
  nastyNumber.map(scalar),
  fc.constantFrom(true, false, null).map(scalar),
);

/** Any JSON document, with hostile keys and strings, a few levels deep. */
export const doc: fc.Arbitrary<Doc> = fc.letrec<{ doc: Doc }>((tie) => ({
  doc: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarDoc,
    fc.array(tie('doc'), { maxLength: 4 }).map((items): Doc => ({ kind: 'array', items })),
    fc.array(fc.tuple(key, tie('doc')), { maxLength: 5 }).map((entries): Doc => object(entries)),
  ),
})).doc;

/** An object document (for `properties`, `traits`, `context`...). */
export const objectDoc: fc.Arbitrary<Doc> = fc
  .array(fc.tuple(key, doc), { maxLength: 6 })
  .map((entries) => object(entries));

/** Arrays or objects nested `depth` deep, as text (JSON.parse builds any depth). */
export const deepJson = fc
  .tuple(fc.constantFrom('[', '{"a":'), fc.integer({ min: 20, max: 8000 }))
  .map(([open, depth]) => open.repeat(depth) + '1' + (open === '[' ? ']' : '}').repeat(depth));

/** A prototype-polluting payload, as JSON text of an object. */
export const pollutingText = fc.constantFrom(
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":{"__proto__":{"polluted":"yes"}}}',
  '{"a":{"__proto__":{"toString":"polluted"}}}',
  '{"__proto__":[1,2,3]}',
  '{"__proto__":null}',
  '{"prototype":{"polluted":"yes"},"__proto__":{"isAdmin":true}}',
);

export const pollutingObject: fc.Arbitrary<Doc> = pollutingText.map((text) => ({ kind: 'raw', text }));
