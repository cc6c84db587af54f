import { MAX_VALUE_DEPTH } from '../mapping/index.js';
import { setOwn } from '../objects.js';

/**
 * Timestamps for Customer.io: it wants Unix seconds (integers) for timestamp segment rules.
 *
 * Two conversions exist, as in Segment's Customer.io (Actions) destination:
 * - `toUnixSeconds` for an operation's own `timestamp` (always) and `created_at`: lenient.
 * - `convertTimestampsIn` for attribute values when Convert Timestamps is on: strict ISO-8601 only,
 *   so that phone numbers, ids and free text are never mistaken for dates.
 * Unlike Segment's package, strings without a zone are read as UTC, never in the process's time
 * zone (docs/behaviour.md, correction 1).
 */

// ISO-8601 as Customer.io's destinations accept it: a date, optionally a time (seconds optional),
// 1-9 fractional digits, and Z or a ±hh:mm / ±hhmm offset:
//   YYYY-MM-DD[THH:MM[:SS][.f{1,9}][Z|±HH:MM|±HHMM]]
// Parsed by hand rather than with a regular expression: this runs on every string attribute of
// every event, and most strings are rejected by the first character checks.

/** The number written by `count` ASCII digits at `start`, or -1. */
function digits(s: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Unix seconds for an ISO-8601 string, or undefined when it is not one (or is not a real time). */
export function parseIsoSeconds(value: string): number | undefined {
  const len = value.length;
  if (len < 10 || len > 35 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return undefined;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  // Same range checks as V8's Date.parse, which accepts day 31 in any month (2024-02-30 rolls over).
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let offsetMinutes = 0;
  if (len > 10) {
    if (value.charCodeAt(10) !== 84 /* T */ || len < 16 || value.charCodeAt(13) !== 58) return undefined;
    hour = digits(value, 11, 2);
    minute = digits(value, 14, 2);
    let i = 16;
    if (value.charCodeAt(i) === 58 /* : */) {
      second = digits(value, i + 1, 2);
      i += 3;
      if (value.charCodeAt(i) === 46 /* . */) {
        let end = i + 1;
        while (end < len && value.charCodeAt(end) >= 48 && value.charCodeAt(end) <= 57) end++;
        const count = end - i - 1;
        if (count < 1 || count > 9) return undefined;
        millis = digits(value.slice(i + 1, Math.min(end, i + 4)).padEnd(3, '0'), 0, 3);
        i = end;
      }
    }
    if (hour < 0 || minute < 0 || second < 0 || minute > 59 || second > 59) return undefined;
    if (hour > 24 || (hour === 24 && (minute > 0 || second > 0 || millis > 0))) return undefined;
    if (i < len) {
      const zone = value.charCodeAt(i);
      if (zone === 90 /* Z */) {
        if (i + 1 !== len) return undefined;
      } else if (zone === 43 || zone === 45 /* + - */) {
        const colon = value.charCodeAt(i + 3) === 58;
        if (len !== i + (colon ? 6 : 5)) return undefined;
        const oh = digits(value, i + 1, 2);
        const om = digits(value, i + (colon ? 4 : 3), 2);
        if (oh < 0 || om < 0 || oh > 23 || om > 59) return undefined;
        offsetMinutes = (zone === 45 ? -1 : 1) * (oh * 60 + om);
      } else {
        return undefined;
      }
    }
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  return Math.floor(ms / 1000);
}

const NUMERIC = /^\d+(\.\d+)?$/;

// A zone designator anywhere in a free-form date string ("GMT+2", "PDT", "+0200", "Z").
const HAS_ZONE = /(?:\d(?:Z|z)\b|[+-]\d{2}:?\d{2}\b|\b(?:UTC|GMT|UT|[ECMP][SD]T|Z)\b)/;

/**
 * Unix seconds for anything a JavaScript `Date` understands, reading zone-less strings as UTC.
 * Returns undefined when the value is not a date.
 */
export function parseAnyDateSeconds(value: string): number | undefined {
  const iso = parseIsoSeconds(value);
  if (iso !== undefined) return iso;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  if (HAS_ZONE.test(value)) return Math.floor(ms / 1000);
  // V8 read it in the process's local zone: shift it back so that it means UTC.
  return Math.floor((ms - new Date(ms).getTimezoneOffset() * 60_000) / 1000);
}

/**
 * An operation's `timestamp`, and `created_at` (correction 2, the exception the seeds document):
 * any value a JavaScript Date understands becomes integer Unix seconds — date strings, numbers
 * and numeric strings (milliseconds are recognised by size). Segment's package sends numeric
 * strings as strings, which Customer.io cannot use as times (correction 9). Anything else is kept.
 */
export function toUnixSeconds(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? secondsFromNumber(value) : value;
  if (typeof value !== 'string') return value;
  if (NUMERIC.test(value)) return secondsFromNumber(Number(value));
  return parseAnyDateSeconds(value) ?? value;
}

// Values past year 5138 in seconds are taken to be milliseconds.
function secondsFromNumber(n: number): number {
  return Math.floor(Math.abs(n) >= 1e11 ? n / 1000 : n);
}

/**
 * Convert Timestamps: every ISO-8601 string value of a plain object, recursively, becomes Unix
 * seconds. Arrays are not traversed, as in Segment's package. Copy-on-write: returns the same
 * object when nothing changed, so event data referenced by a mapping is never mutated.
 * Objects nested deeper than MAX_VALUE_DEPTH are kept as they are: without a bound, one event
 * nested a few thousand levels deep overflowed the stack (found by test/fuzz).
 */
export function convertTimestampsIn<T>(value: T): T {
  return convertWithin(value, MAX_VALUE_DEPTH);
}

function convertWithin<T>(value: T, depth: number): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || depth <= 0) return value;
  const source = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const v = source[key];
    let converted: unknown = v;
    if (typeof v === 'string') {
      const seconds = parseIsoSeconds(v);
      if (seconds !== undefined) converted = seconds;
    } else if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      converted = convertWithin(v, depth - 1);
    }
    if (converted !== v) {
      copy ??= { ...source }; // spread keeps an own `__proto__` key as data
      setOwn(copy, key, converted);
    }
  }
  return (copy ?? source) as T;
}
