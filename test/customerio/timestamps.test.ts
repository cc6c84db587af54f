import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  convertTimestampsIn,
  parseAnyDateSeconds,
  parseIsoSeconds,
  toUnixSeconds,
} from '../../src/customerio/timestamps.js';

// vitest.config.ts runs tests with TZ=America/Los_Angeles, so any use of local time shows up here.

describe('Convert Timestamps (strict ISO-8601 values)', () => {
  it.each([
    ['2006-01-02T18:04:07Z', 1136225047],
    ['2024-04-01', 1711929600],
    ['2024-03-01T10:00', 1709287200],
    ['2024-03-01T10:00:00.123456789Z', 1709287200],
    ['2024-03-01T10:00:00.1Z', 1709287200],
    ['2024-03-01T09:59:59.99+00:00', 1709287199],
    ['2024-03-01T12:00:00+02:00', 1709287200],
    ['2024-03-01T12:00:00+0200', 1709287200],
    ['2024-03-01T05:00:00-05:00', 1709287200],
    ['2024-08-14T20:36:48.6527521Z', 1723667808],
    ['2024-02-30', 1709251200], // rolls over to 2024-03-01, as V8's Date.parse does
    ['1969-12-31T23:59:59.500Z', -1],
  ])('%s becomes %i', (input, seconds) => {
    expect(parseIsoSeconds(input)).toBe(seconds);
  });

  it("gives the exact UTC second for the seeds' example, not the documented 1136253847", () => {
    // Seed 002 says 2006-01-02T18:04:07Z → 1136253847, which is 2006-01-03T02:04:07Z: the
    // documentation's figure is 8 hours off (Pacific time). Customer.io needs the true instant.
    expect(parseIsoSeconds('2006-01-02T18:04:07Z')).toBe(1136225047);
    expect(new Date(1136225047 * 1000).toISOString()).toBe('2006-01-02T18:04:07.000Z');
  });

  it.each([
    'Mar 25 2015',
    '2024/03/01',
    '2024-03-01 10:00:00',
    '2024-03-01T10:00:00 PDT',
    '2024-03-01T10:00:00.1234567890Z',
    '1709291000',
    '+1 (555) 010-2030',
    '2024-13-01',
    '2024-01-32',
    '2024-01-01T25:00',
    'order-2024-01-01',
  ])('%s is not converted', (input) => {
    expect(parseIsoSeconds(input)).toBeUndefined();
  });

  it('correction 1: strings without a zone are read as UTC, whatever the process time zone', () => {
    expect(process.env.TZ).toBe('America/Los_Angeles');
    expect(parseIsoSeconds('2024-04-01')).toBe(Date.UTC(2024, 3, 1) / 1000);
    expect(parseIsoSeconds('2024-03-01T10:00:00')).toBe(Date.UTC(2024, 2, 1, 10) / 1000);
  });

  it('agrees with Date.parse on every zoned ISO string', () => {
    const iso = fc
      .date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true })
      .map((d) => d.toISOString())
      .filter((s) => !s.startsWith('+') && !s.startsWith('-'));
    fc.assert(
      fc.property(iso, (s) => {
        expect(parseIsoSeconds(s)).toBe(Math.floor(Date.parse(s) / 1000));
      }),
      { numRuns: 2000 },
    );
  });

  it('walks plain objects but not arrays, and never mutates its input', () => {
    const input = {
      at: '2024-04-01',
      nested: { deep: { when: '2024-04-01T00:00:00Z' }, plain: 'text' },
      list: [{ added_at: '2024-04-01' }],
      count: 3,
    };
    const frozen = structuredClone(input);
    const out = convertTimestampsIn(input);
    expect(out).toEqual({
      at: 1711929600,
      nested: { deep: { when: 1711929600 }, plain: 'text' },
      list: [{ added_at: '2024-04-01' }],
      count: 3,
    });
    expect(input).toEqual(frozen);
    expect(out.list).toBe(input.list);
  });

  it('returns the very same object when nothing needs converting', () => {
    const input = { a: 'x', b: { c: 1 } };
    expect(convertTimestampsIn(input)).toBe(input);
  });

  it('keeps a __proto__ key as data and pollutes no prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": "2024-04-01"}, "at": "2024-04-01"}');
    const out = convertTimestampsIn(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":1711929600},"at":1711929600}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('traits nested 10,000 levels deep (found by test/fuzz) convert down to 64 levels, without a stack overflow', () => {
    const depth = 10_000;
    const input = JSON.parse(`${'{"a":'.repeat(depth)}{"at":"2024-04-01"}${'}'.repeat(depth)}`);
    const out = convertTimestampsIn({ at: '2024-04-01', deep: input }) as Record<string, unknown>;
    expect(out.at).toBe(1711929600);
    // The only timestamp of the deep value sits beyond the bound: the value is kept as it is.
    expect(out.deep).toBe(input);
  });
});

describe('event timestamps (always converted, leniently)', () => {
  it('converts any date string, reading zone-less ones as UTC', () => {
    expect(toUnixSeconds('2024-03-01T10:00:00.000Z')).toBe(1709287200);
    expect(toUnixSeconds('Mar 25 2015')).toBe(Date.UTC(2015, 2, 25) / 1000);
    expect(toUnixSeconds('Fri, 01 Mar 2024 10:00:00 GMT')).toBe(1709287200);
  });

  it('correction 9: numbers and numeric strings become integer seconds (Segment sends "1709291000")', () => {
    expect(toUnixSeconds(1709291000)).toBe(1709291000);
    expect(toUnixSeconds('1709291000')).toBe(1709291000);
    expect(toUnixSeconds('1709291000.75')).toBe(1709291000);
    expect(toUnixSeconds(1709291000123)).toBe(1709291000);
  });

  it('keeps what is not a date', () => {
    expect(toUnixSeconds('yesterday-ish')).toBe('yesterday-ish');
    expect(toUnixSeconds(undefined)).toBeUndefined();
  });

  it('parseAnyDateSeconds honours explicit zones in free-form strings', () => {
    expect(parseAnyDateSeconds('Mar 25 2015 10:00:00 GMT+0200')).toBe(Date.UTC(2015, 2, 25, 8) / 1000);
    expect(parseAnyDateSeconds('not a date')).toBeUndefined();
  });
});

describe('correction 2: created_at from any value a JavaScript Date understands', () => {
  it.each<[unknown, unknown]>([
    ['2023-01-15T08:30:00Z', 1673771400],
    ['Mar 25 2015', 1427241600],
    ['1700000000', 1700000000],
    [1700000000, 1700000000],
    [1700000000123, 1700000000],
    ['2024-04-01', 1711929600],
    ['not a date', 'not a date'],
    [true, true],
  ])('%j becomes %j', (input, expected) => {
    expect(toUnixSeconds(input)).toBe(expected);
  });
});
