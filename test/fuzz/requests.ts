/**
 * Generators of ingest requests: events written as JSON text (hostile keys and values, ids as
 * numbers, missing fields, wrong types), batches, junk bodies, and the transformations a body
 * suffers on the way (gzip, deflate, truncation, invalid UTF-8, wrong labels).
 */
import { deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { basic, SERVER_KEY, WEB_KEY } from '../server/helpers.js';
import {
  type Doc,
  deepJson,
  doc,
  key,
  longString,
  nastyNumber,
  nastyString,
  object,
  objectDoc,
  pollutingObject,
  pollutingText,
  scalar,
  toJson,
} from './adversarial.js';
import { EVENT_TYPES, typedEvent } from './batches.js';

export const INGEST_URLS = [
  ...EVENT_TYPES.flatMap((type) => [`/v1/${type}`, `/v1/${type[0]}`]),
  '/v1/batch',
  '/v1/import',
];

const typeValue: fc.Arbitrary<Doc> = fc.oneof(
  { arbitrary: fc.constantFrom(...EVENT_TYPES, 'TRACK', 'Identify').map(scalar), weight: 6 },
  { arbitrary: fc.oneof(nastyString, fc.constantFrom('batch', 'screenview')).map(scalar), weight: 1 },
  { arbitrary: doc, weight: 1 },
);

/** Ids: usually text or a number, sometimes anything. */
const idValue: fc.Arbitrary<Doc> = fc.oneof(
  { arbitrary: fc.oneof(nastyString, fc.constantFrom('user-1', 'anon-2', '42')).map(scalar), weight: 4 },
  { arbitrary: nastyNumber.map(scalar), weight: 2 },
  { arbitrary: doc, weight: 1 },
);

const timestampValue: fc.Arbitrary<Doc> = fc.oneof(
  fc.constantFrom('2024-05-01T12:00:00Z', '2024-05-01T12:00:00', '2024-13-45', '', 'yesterday').map(scalar),
  nastyNumber.map(scalar),
  doc,
);

/** Fields an event may carry, each with values that are right, wrong, or hostile. */
const FIELDS: ReadonlyArray<[string, fc.Arbitrary<Doc>]> = [
  ['userId', idValue],
  ['anonymousId', idValue],
  ['messageId', idValue],
  ['event', fc.oneof(nastyString.map(scalar), longString.map(scalar), doc)],
  ['groupId', idValue],
  ['previousId', idValue],
  ['name', fc.oneof(nastyString.map(scalar), doc)],
  ['properties', fc.oneof({ arbitrary: objectDoc, weight: 4 }, { arbitrary: doc, weight: 1 })],
  ['traits', fc.oneof({ arbitrary: objectDoc, weight: 4 }, { arbitrary: doc, weight: 1 })],
  ['context', fc.oneof({ arbitrary: objectDoc, weight: 4 }, { arbitrary: doc, weight: 1 })],
  ['integrations', fc.oneof(objectDoc, fc.constant(object([['All', scalar(false)]])), doc)],
  ['timestamp', timestampValue],
  ['sentAt', timestampValue],
  ['originalTimestamp', timestampValue],
  ['writeKey', fc.oneof(fc.constantFrom(WEB_KEY, 'wrong').map(scalar), doc)],
];

const field = fc.oneof(
  {
    arbitrary: fc.constantFrom(...FIELDS).chain(([name, value]) => value.map((v) => [name, v] as const)),
    weight: 6,
  },
  { arbitrary: fc.tuple(key, doc), weight: 1 },
  {
    arbitrary: fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), pollutingObject),
    weight: 1,
  },
);

/** An event as a document: a type (usually), then any fields. */
export const eventDoc: fc.Arbitrary<Doc> = fc
  .tuple(fc.option(typeValue, { freq: 6 }), fc.array(field, { maxLength: 8 }))
  .map(([type, fields]) => object(type === null ? fields : [['type', type], ...fields]));

/**
 * An event with what its type requires (batches.ts), then a few hostile fields: most get past
 * validation, so accepted requests carry hostile content too (random fields alone rarely pass).
 */
const storableEventDoc: fc.Arbitrary<Doc> = fc
  .tuple(typedEvent, fc.array(field, { maxLength: 2 }))
  .map(([event, extra]) => object([...(event.doc.kind === 'object' ? event.doc.entries : []), ...extra]));

/** Events for a request: random ones, and ones likely to be stored. */
const anyEventDoc = fc.oneof({ arbitrary: eventDoc, weight: 1 }, { arbitrary: storableEventDoc, weight: 2 });

/** `{"batch": [...]}` with maybe shared context, integrations, sentAt; sometimes a wrong batch. */
export const batchDoc: fc.Arbitrary<Doc> = fc
  .tuple(
    fc.oneof(
      {
        arbitrary: fc.array(fc.oneof({ arbitrary: anyEventDoc, weight: 5 }, { arbitrary: doc, weight: 1 }), {
          maxLength: 8,
        }),
        weight: 8,
      },
      { arbitrary: doc.map((d) => [d]), weight: 1 },
    ),
    fc.boolean(),
    fc
      .array(
        fc.constantFrom(
          ...FIELDS.filter(([name]) => ['context', 'integrations', 'sentAt', 'writeKey'].includes(name)),
        ),
        { maxLength: 3 },
      )
      .chain((shared) => fc.tuple(...shared.map(([name, value]) => value.map((v) => [name, v] as const)))),
  )
  .map(([events, asArray, shared]) =>
    object([['batch', asArray ? { kind: 'array', items: events } : (events[0] ?? scalar(null))], ...shared]),
  );

/** Bodies that are not events at all. */
const junkBody: fc.Arbitrary<Buffer> = fc.oneof(
  pollutingText.map((text) => Buffer.from(text)),
  deepJson.map((text) => Buffer.from(text)),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  nastyString.map((text) => Buffer.from(text)),
  fc
    .constantFrom(
      '',
      'null',
      '1',
      '"x"',
      '[]',
      '{}',
      '{"batch":{}}',
      '{"batch":null}',
      '{',
      '{"type":"track",',
    )
    .map((text) => Buffer.from(text)),
  // More events than a batch may hold (cheap to build, cheap to refuse).
  fc.constant(Buffer.from(`{"batch":[${Array(2501).fill('{}').join(',')}]}`)),
  // A body over 500 KB.
  fc.constant(Buffer.from(`{"batch":[{"type":"track","event":"${'x'.repeat(520_000)}"}]}`)),
);

export interface Body {
  bytes: Buffer;
  /** Number of events in `batch`, when the body is a batch that arrives intact. */
  batchLength?: number;
}

const body: fc.Arbitrary<Body> = fc.oneof(
  { arbitrary: anyEventDoc.map((d) => ({ bytes: Buffer.from(toJson(d)) })), weight: 5 },
  {
    arbitrary: batchDoc.map((d) => {
      const batch = d.kind === 'object' ? d.entries[0]![1] : undefined;
      const length = batch?.kind === 'array' ? batch.items.length : undefined;
      return { bytes: Buffer.from(toJson(d)), ...(length === undefined ? {} : { batchLength: length }) };
    }),
    weight: 4,
  },
  {
    // The write key in the body (sendBeacon and some server libraries send it there).
    arbitrary: anyEventDoc.map((d) => {
      const entries = d.kind === 'object' ? d.entries : [];
      return { bytes: Buffer.from(toJson(object([...entries, ['writeKey', scalar(WEB_KEY)]]))) };
    }),
    weight: 2,
  },
  { arbitrary: junkBody.map((bytes) => ({ bytes })), weight: 2 },
);

/** A uniform fraction in [0, max] (fast-check's doubles favour the ends of their range). */
const share = (max: number) =>
  fc.noBias(fc.integer({ min: 0, max: 1_000_000 })).map((n) => (n / 1_000_000) * max);

type Encoding = { header?: string; encode: (bytes: Buffer) => Buffer; lossless: boolean };

const encoding: fc.Arbitrary<Encoding> = fc.oneof(
  { arbitrary: fc.constant<Encoding>({ encode: (b) => b, lossless: true }), weight: 8 },
  {
    arbitrary: fc
      .constantFrom('gzip', 'x-gzip', 'GZIP ')
      .map((header): Encoding => ({ header, encode: (b) => gzipSync(b), lossless: true })),
    weight: 2,
  },
  {
    arbitrary: fc.constant<Encoding>({ header: 'deflate', encode: (b) => deflateSync(b), lossless: true }),
    weight: 1,
  },
  {
    // Truncated compressed data.
    arbitrary: fc.tuple(fc.constantFrom('gzip', 'deflate'), share(0.99)).map(
      ([header, share]): Encoding => ({
        header,
        encode: (b) => {
          const packed = header === 'gzip' ? gzipSync(b) : deflateSync(b);
          return packed.subarray(0, Math.floor(packed.length * share));
        },
        lossless: false,
      }),
    ),
    weight: 2,
  },
  {
    // Compressed, but labelled wrongly (or not at all), or labelled but not compressed.
    arbitrary: fc.constantFrom<Encoding>(
      { header: 'br', encode: (b) => b, lossless: false },
      { header: 'gzip, deflate', encode: (b) => gzipSync(b), lossless: false },
      { header: 'compress', encode: (b) => b, lossless: false },
      { header: 'gzip', encode: (b) => b, lossless: false },
      { encode: (b) => gzipSync(b), lossless: false },
    ),
    weight: 1,
  },
  {
    // Broken JSON, as a faulty client serialiser would send it: a stray character, a cut, or a
    // string that lost one of its quotes.
    arbitrary: fc
      .tuple(
        fc.constantFrom('x', ',', '}', '"', ':', 'ÿ', ''),
        share(1),
        fc.constantFrom('stray', 'cut', 'unquote'),
      )
      .map(
        ([stray, at, how]): Encoding => ({
          encode: (b) => {
            if (how === 'unquote') {
              // The first quote from a random point (bodies can be 500 KB: no full scan).
              const drop = b.indexOf(0x22, Math.floor(b.length * at));
              return drop === -1 ? b : Buffer.concat([b.subarray(0, drop), b.subarray(drop + 1)]);
            }
            const i = Math.floor(b.length * at);
            return how === 'cut'
              ? b.subarray(0, i)
              : Buffer.concat([b.subarray(0, i), Buffer.from(stray), b.subarray(i)]);
          },
          lossless: false,
        }),
      ),
    weight: 3,
  },
  {
    // Invalid UTF-8 spliced in: a stray continuation byte, an overlong NUL, an encoded surrogate, 0xFF.
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          [0x80],
          [0xc0, 0x80],
          [0xed, 0xa0, 0x80],
          [0xff],
          [0xf4, 0x90, 0x80, 0x80],
          [0xe2, 0x82],
        ),
        share(1),
      )
      .map(
        ([bad, at]): Encoding => ({
          encode: (b) => {
            const cut = Math.floor(b.length * at);
            return Buffer.concat([b.subarray(0, cut), Buffer.from(bad), b.subarray(cut)]);
          },
          lossless: false,
        }),
      ),
    weight: 2,
  },
);

const contentType = fc.option(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'text/plain;charset=UTF-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json; charset=utf-16',
    'application/octet-stream',
    '*/*',
    ';;;',
    'application/json\u00e9',
  ),
  { freq: 8 },
);

const authorization = fc.option(
  fc.oneof(
    {
      arbitrary: fc.constantFrom(basic(WEB_KEY), basic(SERVER_KEY), basic(WEB_KEY, 'any password')),
      weight: 8,
    },
    {
      arbitrary: fc.oneof(
        fc.constantFrom(
          basic('wrong'),
          basic(''),
          'Basic',
          'Basic !!!',
          'Bearer x',
          'basic    ',
          `Basic ${'A'.repeat(5000)}`,
        ),
        nastyString.map((user) => basic(user)),
      ),
      weight: 2,
    },
  ),
  { freq: 8 },
);

export interface IngestRequest {
  url: string;
  headers: Record<string, string>;
  payload: Buffer;
  /** Events the request carries when it arrives intact as a batch (for the no-loss check). */
  batchLength?: number;
}

export const ingestRequest: fc.Arbitrary<IngestRequest> = fc
  .tuple(
    fc.oneof(
      { arbitrary: fc.constantFrom(...INGEST_URLS), weight: 12 },
      { arbitrary: fc.constantFrom('/v1/nope', '/v1/track/', '/v1/batch?x=1', '/v1/%00'), weight: 1 },
    ),
    body,
    encoding,
    contentType,
    authorization,
  )
  .map(([url, { bytes, batchLength }, enc, type, auth]) => {
    const headers: Record<string, string> = {};
    if (type !== null) headers['content-type'] = type;
    if (auth !== null) headers.authorization = auth;
    if (enc.header !== undefined) headers['content-encoding'] = enc.header;
    const intactBatch = enc.lossless && batchLength !== undefined && /^\/v1\/(batch|import)/.test(url);
    return {
      url,
      headers,
      payload: enc.encode(bytes),
      ...(intactBatch ? { batchLength } : {}),
    };
  });
