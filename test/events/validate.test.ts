import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ValidationResult } from '../../src/events/index.js';
import { MAX_EVENT_BYTES, MAX_EVENT_DEPTH, validateEvent } from '../../src/events/index.js';

/** The rejection of a result that must be a rejection. */
function rejection(result: ValidationResult): { code: string; message: string } {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.event)}`);
  return { ...result.error };
}

function accepted(result: ValidationResult): Record<string, unknown> {
  if (!result.ok) throw new Error(`expected acceptance, got ${result.error.code}: ${result.error.message}`);
  return result.event;
}

const track = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'track',
  event: 'Signed Up',
  userId: 'u1',
  ...fields,
});

describe('non-object inputs', () => {
  it.each([
    [null, '(got null)'],
    [undefined, '(it is missing)'],
    [42, '(got 42)'],
    ['track', '(got "track")'],
    [true, '(got true)'],
    [[{ type: 'track' }], '(got an array)'],
  ])('rejects %j as not_an_object', (input, got) => {
    expect(rejection(validateEvent(input))).toEqual({
      code: 'not_an_object',
      message: `event must be a JSON object ${got}`,
    });
  });

  it('rejects objects that are not plain JSON objects', () => {
    expect(rejection(validateEvent(new Date(0)))).toEqual({
      code: 'not_an_object',
      message: 'event must be a plain JSON object (got a Date)',
    });
  });

  it('accepts a null-prototype object', () => {
    const event = Object.assign(Object.create(null) as object, track());
    expect(accepted(validateEvent(event))).toBe(event);
  });
});

describe('type', () => {
  const rule = 'type must be one of identify, track, page, screen, group, alias';

  it('is required', () => {
    expect(rejection(validateEvent({ userId: 'u1' }))).toEqual({
      code: 'missing_field',
      message: `${rule} (it is missing)`,
    });
  });

  it('must be a known type', () => {
    expect(rejection(validateEvent(track({ type: 'foo' })))).toEqual({
      code: 'invalid_type',
      message: `${rule} (got "foo")`,
    });
    expect(rejection(validateEvent(track({ type: 7 })))).toEqual({
      code: 'invalid_type',
      message: `${rule} (got 7)`,
    });
  });

  it('is matched case-insensitively and normalised to lower case', () => {
    expect(accepted(validateEvent(track({ type: 'TRACK' }))).type).toBe('track');
    expect(accepted(validateEvent({ type: 'Identify', anonymousId: 'a1' })).type).toBe('identify');
  });
});

describe('identifiers', () => {
  it('needs userId or anonymousId', () => {
    expect(rejection(validateEvent({ type: 'identify', traits: {} }))).toEqual({
      code: 'missing_identifier',
      message: 'identify needs userId or anonymousId (a non-empty string or a number)',
    });
  });

  it('treats null and empty ids as missing', () => {
    expect(rejection(validateEvent(track({ userId: '', anonymousId: null })))).toEqual({
      code: 'missing_identifier',
      message: 'track needs userId or anonymousId (a non-empty string or a number)',
    });
    const event = accepted(validateEvent(track({ userId: '', anonymousId: 'a1' })));
    expect(event.userId).toBeUndefined();
    expect(event.anonymousId).toBe('a1');
  });

  it('converts numeric ids to strings', () => {
    const event = accepted(validateEvent(track({ userId: 42, anonymousId: 0 })));
    expect(event.userId).toBe('42');
    expect(event.anonymousId).toBe('0');
  });

  it('rejects ids of other types', () => {
    expect(rejection(validateEvent(track({ userId: true })))).toEqual({
      code: 'invalid_field',
      message: 'track.userId must be a non-empty string or a number (got true)',
    });
    expect(rejection(validateEvent(track({ anonymousId: { id: 1 } })))).toEqual({
      code: 'invalid_field',
      message: 'track.anonymousId must be a non-empty string or a number (got an object)',
    });
    expect(rejection(validateEvent(track({ userId: Number.NaN })))).toEqual({
      code: 'invalid_field',
      message: 'track.userId must be a non-empty string or a number (got NaN)',
    });
  });
});

describe('required fields per type', () => {
  it('identify needs nothing more than an identifier', () => {
    expect(accepted(validateEvent({ type: 'identify', userId: 'u1' })).type).toBe('identify');
  });

  it('track.event must be a non-empty string', () => {
    const rule = 'track.event must be a non-empty string such as "Order Completed"';
    expect(rejection(validateEvent(track({ event: undefined })))).toEqual({
      code: 'missing_field',
      message: `${rule} (it is missing)`,
    });
    expect(rejection(validateEvent(track({ event: '' })))).toEqual({
      code: 'missing_field',
      message: `${rule} (got "")`,
    });
    expect(rejection(validateEvent(track({ event: 42 })))).toEqual({
      code: 'invalid_field',
      message: `${rule} (got 42)`,
    });
  });

  it('group.groupId must be a non-empty string or a number, converted to a string', () => {
    expect(rejection(validateEvent({ type: 'group', userId: 'u1' }))).toEqual({
      code: 'missing_field',
      message: 'group.groupId must be a non-empty string or a number (it is missing)',
    });
    expect(rejection(validateEvent({ type: 'group', userId: 'u1', groupId: ['g'] }))).toEqual({
      code: 'invalid_field',
      message: 'group.groupId must be a non-empty string or a number (got an array)',
    });
    expect(accepted(validateEvent({ type: 'group', userId: 'u1', groupId: 7 })).groupId).toBe('7');
  });

  it('alias.previousId must be a non-empty string or a number, converted to a string', () => {
    expect(rejection(validateEvent({ type: 'alias', userId: 'u1', previousId: null }))).toEqual({
      code: 'missing_field',
      message: 'alias.previousId must be a non-empty string or a number (got null)',
    });
    expect(rejection(validateEvent({ type: 'alias', userId: 'u1', previousId: false }))).toEqual({
      code: 'invalid_field',
      message: 'alias.previousId must be a non-empty string or a number (got false)',
    });
    expect(accepted(validateEvent({ type: 'alias', userId: 'u1', previousId: 3 })).previousId).toBe('3');
  });

  it.each(['page', 'screen'])('%s.name and %s.category are optional strings', (type) => {
    expect(accepted(validateEvent({ type, userId: 'u1' })).type).toBe(type);
    expect(accepted(validateEvent({ type, userId: 'u1', name: 'Home', category: 'Docs' })).name).toBe('Home');
    expect(rejection(validateEvent({ type, userId: 'u1', name: 5 }))).toEqual({
      code: 'invalid_field',
      message: `${type}.name must be a string (got 5)`,
    });
    expect(rejection(validateEvent({ type, userId: 'u1', category: {} }))).toEqual({
      code: 'invalid_field',
      message: `${type}.category must be a string (got an object)`,
    });
    expect(accepted(validateEvent({ type, userId: 'u1', name: null })).name).toBeUndefined();
  });
});

describe('id text the stores can keep (found by test/fuzz)', () => {
  // PostgreSQL refused "a\u0000b" (503 for the whole request, on every retry); "x\ud800" and
  // "x\ud801" were both stored as "x\ufffd", so the second was answered as a duplicate and lost.
  it('refuses NUL and lone surrogates in userId, anonymousId, messageId, groupId and previousId', () => {
    expect(rejection(validateEvent(track({ userId: 'a\u0000b' })))).toEqual({
      code: 'invalid_field',
      message: 'track.userId must not contain the NUL character (U+0000) (got "a\\u0000b")',
    });
    expect(rejection(validateEvent(track({ messageId: 'x\ud800' })))).toEqual({
      code: 'invalid_field',
      message:
        'track.messageId must be valid Unicode text (it holds half of a surrogate pair) (got "x\\ud800")',
    });
    expect(rejection(validateEvent(track({ userId: undefined, anonymousId: '\udc00' }))).code).toBe(
      'invalid_field',
    );
    expect(rejection(validateEvent({ type: 'group', userId: 'u', groupId: 'g\u0000' })).message).toMatch(
      /^group\.groupId must not contain the NUL/,
    );
    expect(rejection(validateEvent({ type: 'alias', userId: 'u', previousId: '\ud83d' })).message).toMatch(
      /^alias\.previousId must be valid Unicode/,
    );
  });

  it('accepts emoji (surrogate pairs), right-to-left text and combining marks', () => {
    const event = accepted(
      validateEvent(track({ userId: '😀👨‍👩‍👧', anonymousId: 'שלום\u200f', messageId: 'e\u0301' })),
    );
    expect(event.userId).toBe('😀👨‍👩‍👧');
    expect(event.messageId).toBe('e\u0301');
  });
});

describe('nesting depth (found by test/fuzz)', () => {
  /** `levels` objects inside each other: {"a":{"a":1}} is 2. */
  const nested = (levels: number): unknown => JSON.parse(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`);

  it(`accepts ${MAX_EVENT_DEPTH} levels (the event itself is the first) and refuses ${MAX_EVENT_DEPTH + 1}`, () => {
    expect(validateEvent(track({ properties: nested(MAX_EVENT_DEPTH - 1) })).ok).toBe(true);
    expect(rejection(validateEvent(track({ properties: nested(MAX_EVENT_DEPTH) })))).toEqual({
      code: 'too_deep',
      message:
        'event nests objects or arrays more than 100 levels deep; flatten its properties, traits or context',
    });
  });

  it('refuses traits nested 5,000 levels deep as too_deep (it was "not_json: it holds a cycle or a bigint")', () => {
    const result = validateEvent({ type: 'identify', userId: 'u', traits: nested(5000) });
    expect(rejection(result).code).toBe('too_deep');
    const arrays = JSON.parse(
      `{"type":"track","event":"e","userId":"u","properties":{"list":${'['.repeat(5000)}${']'.repeat(5000)}}}`,
    );
    expect(rejection(validateEvent(arrays)).code).toBe('too_deep');
  });
});

describe('messageId', () => {
  it('accepts up to 100 characters', () => {
    expect(accepted(validateEvent(track({ messageId: 'm'.repeat(100) }))).messageId).toHaveLength(100);
    expect(rejection(validateEvent(track({ messageId: 'm'.repeat(101) })))).toEqual({
      code: 'invalid_field',
      message: 'track.messageId must be a string of at most 100 characters (got 101 characters)',
    });
  });

  it('converts a number and drops an empty or null one', () => {
    expect(accepted(validateEvent(track({ messageId: 12 }))).messageId).toBe('12');
    expect(accepted(validateEvent(track({ messageId: '' }))).messageId).toBeUndefined();
    expect(accepted(validateEvent(track({ messageId: null }))).messageId).toBeUndefined();
  });

  it('rejects other types', () => {
    expect(rejection(validateEvent(track({ messageId: true })))).toEqual({
      code: 'invalid_field',
      message: 'track.messageId must be a string of at most 100 characters (got true)',
    });
  });
});

describe('optional fields', () => {
  it.each(['timestamp', 'sentAt', 'originalTimestamp', 'receivedAt'])(
    '%s must be a string or a number',
    (field) => {
      expect(rejection(validateEvent(track({ [field]: true })))).toEqual({
        code: 'invalid_field',
        message: `track.${field} must be an ISO-8601 string such as "2024-05-01T12:34:56.789Z" or Unix seconds (got true)`,
      });
      expect(accepted(validateEvent(track({ [field]: 1714567890 })))[field]).toBe(1714567890);
      expect(accepted(validateEvent(track({ [field]: '2024-05-01T00:00:00Z' })))[field]).toBe(
        '2024-05-01T00:00:00Z',
      );
      expect(accepted(validateEvent(track({ [field]: null })))[field]).toBeUndefined();
    },
  );

  it.each(['properties', 'traits', 'context', 'integrations'])('%s must be a JSON object', (field) => {
    expect(rejection(validateEvent(track({ [field]: 'x' })))).toEqual({
      code: 'invalid_field',
      message: `track.${field} must be a JSON object such as {} (got "x")`,
    });
    expect(rejection(validateEvent({ type: 'identify', userId: 'u1', [field]: [1] }))).toEqual({
      code: 'invalid_field',
      message: `identify.${field} must be a JSON object such as {} (got an array)`,
    });
    expect(accepted(validateEvent(track({ [field]: { a: 1 } })))[field]).toEqual({ a: 1 });
    expect(accepted(validateEvent(track({ [field]: null })))[field]).toBeUndefined();
  });

  it('keeps unknown top-level keys and returns the input object itself', () => {
    const input = track({ channel: 'server', email: 'a@example.com', nested: { x: [1] } });
    const event = accepted(validateEvent(input));
    expect(event).toBe(input);
    expect(event.channel).toBe('server');
    expect(event.nested).toEqual({ x: [1] });
  });

  it('leaves an already normal event untouched', () => {
    const input = Object.freeze(track({ messageId: 'm1', properties: { a: 1 } }));
    expect(accepted(validateEvent(input))).toBe(input);
  });

  it('copies a frozen event that needs normalising instead of throwing', () => {
    const input = Object.freeze(track({ type: 'Track', userId: 9 }));
    const event = accepted(validateEvent(input));
    expect(event).not.toBe(input);
    expect(event).toEqual({ ...input, type: 'track', userId: '9' });
    expect(input.userId).toBe(9);
  });
});

describe('size limit', () => {
  const message = (bytes: number) => `event is ${bytes} bytes; the limit is 32768 bytes (32 KB) per event`;

  it('uses rawBytes when given', () => {
    expect(rejection(validateEvent(track(), { rawBytes: 40123 }))).toEqual({
      code: 'event_too_large',
      message: message(40123),
    });
    expect(accepted(validateEvent(track(), { rawBytes: MAX_EVENT_BYTES })).type).toBe('track');
  });

  it('measures the JSON when rawBytes is not given', () => {
    const event = track({ properties: { blob: 'x'.repeat(40000) } });
    const bytes = Buffer.byteLength(JSON.stringify(event));
    expect(rejection(validateEvent(event))).toEqual({ code: 'event_too_large', message: message(bytes) });
  });

  it('accepts exactly 32768 bytes and rejects one more, counting UTF-8 bytes', () => {
    // An event of exactly `bytes` bytes: `char` repeated, topped up with 'x'.
    const sized = (bytes: number, char: string) => {
      const event = track({ properties: { blob: '' } });
      const room = bytes - Buffer.byteLength(JSON.stringify(event));
      const width = Buffer.byteLength(JSON.stringify(char)) - 2;
      const count = Math.floor(room / width);
      (event.properties as { blob: string }).blob = char.repeat(count) + 'x'.repeat(room - count * width);
      expect(Buffer.byteLength(JSON.stringify(event))).toBe(bytes);
      return event;
    };
    expect(accepted(validateEvent(sized(32768, 'x'))).type).toBe('track');
    expect(rejection(validateEvent(sized(32769, 'x')))).toEqual({
      code: 'event_too_large',
      message: message(32769),
    });
    // 'é' is 2 bytes, '\n' is escaped to 2: string length alone would under-count both.
    expect(accepted(validateEvent(sized(32768, 'é'))).type).toBe('track');
    expect(accepted(validateEvent(sized(32768, '\n'))).type).toBe('track');
    expect(rejection(validateEvent(sized(32770, 'é'))).code).toBe('event_too_large');
    expect(rejection(validateEvent(sized(32770, '\n'))).code).toBe('event_too_large');
  });

  it('honours maxBytes', () => {
    expect(rejection(validateEvent(track(), { maxBytes: 10 }))).toEqual({
      code: 'event_too_large',
      message: `event is ${Buffer.byteLength(JSON.stringify(track()))} bytes; the limit is 10 bytes per event`,
    });
    expect(rejection(validateEvent(track(), { rawBytes: 3000, maxBytes: 2048 })).message).toBe(
      'event is 3000 bytes; the limit is 2048 bytes (2 KB) per event',
    );
  });

  it('rejects values that are not JSON data', () => {
    const cyclic: Record<string, unknown> = track();
    cyclic.properties = { self: cyclic };
    const expected = {
      code: 'not_json',
      message: 'event must be plain JSON data: it holds a cycle or a bigint, which JSON cannot represent',
    };
    expect(rejection(validateEvent(cyclic))).toEqual(expected);
    expect(rejection(validateEvent(track({ properties: { n: 10n } })))).toEqual(expected);
  });
});

describe('__proto__ and constructor keys', () => {
  const text =
    '{"type":"TRACK","event":"x","userId":1,"__proto__":{"polluted":true,"type":"alias"},' +
    '"constructor":{"prototype":{"polluted":true}}}';

  it('are kept as plain data and never reach a prototype', () => {
    const input = JSON.parse(text) as Record<string, unknown>;
    const event = accepted(validateEvent(input));
    expect(event).toBe(input);
    expect(event.type).toBe('track');
    expect(event.userId).toBe('1');
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    expect(Object.hasOwn(event, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(event, '__proto__')?.value).toEqual({
      polluted: true,
      type: 'alias',
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('are kept as plain data when a frozen event is copied', () => {
    const event = accepted(validateEvent(Object.freeze(JSON.parse(text))));
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(event, '__proto__')?.value).toEqual({
      polluted: true,
      type: 'alias',
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('do not supply missing fields', () => {
    const input = JSON.parse('{"__proto__":{"type":"track","userId":"u1"}}');
    expect(rejection(validateEvent(input)).code).toBe('missing_field');
  });
});

describe('robustness', () => {
  it('turns an unreadable object into a rejection', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no access');
        },
      },
    );
    expect(rejection(validateEvent(hostile))).toEqual({
      code: 'unreadable_event',
      message: 'event could not be read as JSON data: no access',
    });
  });

  it('never throws for random JSON, and every rejection has a code and a message', () => {
    const eventLike = fc.record(
      {
        type: fc.oneof(
          fc.constantFrom('identify', 'track', 'page', 'screen', 'group', 'alias', 'TRACK'),
          fc.jsonValue(),
        ),
        userId: fc.oneof(fc.string(), fc.integer(), fc.jsonValue()),
        anonymousId: fc.jsonValue(),
        event: fc.oneof(fc.string(), fc.jsonValue()),
        groupId: fc.jsonValue(),
        previousId: fc.jsonValue(),
        messageId: fc.jsonValue(),
        timestamp: fc.jsonValue(),
        properties: fc.jsonValue(),
        __proto__: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), eventLike), fc.boolean(), (value, viaText) => {
        // Through JSON text, "__proto__" keys become own data properties as they do at ingest.
        const input: unknown = viaText ? JSON.parse(JSON.stringify(value) ?? 'null') : value;
        const result = validateEvent(input);
        if (!result.ok) {
          expect(result.error.code).toMatch(/^[a-z]+(_[a-z]+)*$/);
          expect(result.error.message.length).toBeGreaterThan(0);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });
});
