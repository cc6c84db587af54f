/**
 * Validates one Segment-spec event at ingest. Returns the input object itself (no copy, for speed),
 * normalised in place: `type` lower-cased, ids converted to strings, `null` optional fields and
 * empty optional ids set to undefined. Never throws: every problem is a Rejection whose message
 * names the field and the rule.
 */
import type { Rejection } from '../errors.js';
import { reject } from '../errors.js';
import { describeValue } from './describe.js';
import { MAX_EVENT_BYTES, MAX_EVENT_DEPTH, MAX_MESSAGE_ID_LENGTH } from './limits.js';
import { measureJson, nestedDeeperThan, surelyFits } from './size.js';
import type { EventType, SegmentEvent } from './types.js';
import { EVENT_TYPES } from './types.js';

export interface ValidateOptions {
  /** Byte size of the event as received, when the caller knows it (saves measuring). */
  rawBytes?: number;
  /** Size limit; defaults to MAX_EVENT_BYTES (32 KB). */
  maxBytes?: number;
}

export type ValidationResult = { ok: true; event: SegmentEvent } | { ok: false; error: Rejection };

type Fields = Record<string, unknown>;
/** Field name → normalised value, collected while checking and applied only if all checks pass. */
type Changes = Array<[string, unknown]>;

const TIMESTAMP_FIELDS = ['timestamp', 'sentAt', 'originalTimestamp', 'receivedAt'] as const;
const OBJECT_FIELDS = ['properties', 'traits', 'context', 'integrations'] as const;
const SCREEN_FIELDS = ['name', 'category'] as const;
const TYPE_RULE = `type must be one of ${EVENT_TYPES.join(', ')}`;
const ID_RULE = 'must be a non-empty string or a number';

export function validateEvent(input: unknown, options?: ValidateOptions): ValidationResult {
  try {
    return check(input, options);
  } catch (error) {
    // Only reachable with values JSON.parse cannot produce (proxies, throwing getters, ...).
    const reason = error instanceof Error ? error.message : String(error);
    return failure('unreadable_event', `event could not be read as JSON data: ${reason}`);
  }
}

function check(input: unknown, options: ValidateOptions | undefined): ValidationResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return failure('not_an_object', `event must be a JSON object ${describeValue(input)}`);
  }
  const prototype = Object.getPrototypeOf(input);
  if (prototype !== Object.prototype && prototype !== null) {
    const kind = Object.prototype.toString.call(input).slice(8, -1);
    return failure('not_an_object', `event must be a plain JSON object (got a ${kind})`);
  }
  const event = input as Fields;
  const changes: Changes = [];

  const type = eventType(event.type);
  if (type === undefined) {
    const blank = isBlank(event.type);
    return failure(blank ? 'missing_field' : 'invalid_type', `${TYPE_RULE} ${describeValue(event.type)}`);
  }
  if (type !== event.type) changes.push(['type', type]);

  const problem =
    checkIdentifiers(event, type, changes) ??
    checkRequired(event, type, changes) ??
    checkMessageId(event, type, changes) ??
    checkOptional(event, type, changes) ??
    checkSize(event, options);
  if (problem !== undefined) return { ok: false, error: problem };

  return { ok: true, event: applyChanges(event, changes) as unknown as SegmentEvent };
}

/** Exact match first (the common case), then case-insensitively: RudderStack lower-cases types. */
function eventType(value: unknown): EventType | undefined {
  if (typeof value !== 'string') return undefined;
  if (isEventType(value)) return value;
  const lower = value.toLowerCase();
  return isEventType(lower) ? lower : undefined;
}

function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** Absent for the purpose of a required field: missing, null or empty. */
function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * An id as a string; '' when absent (undefined, null or '': RudderStack's SDKs send `userId: ""`
 * for anonymous users); undefined when not an id at all.
 */
function idString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  return value === undefined || value === null ? '' : undefined;
}

/**
 * Why an id's text cannot be stored as it is, or undefined. PostgreSQL refuses U+0000 in text
 * (the whole request then failed with 503, again on every retry), and a lone surrogate has no
 * UTF-8 form: both stores wrote U+FFFD instead, so ids that differ only there became one id
 * (PostgreSQL then answered the second event as a duplicate and dropped it), and the stored
 * messageId no longer matched the event's. Found by test/fuzz.
 */
function idTextProblem(id: string): string | undefined {
  if (id.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(id)) return 'must be valid Unicode text (it holds half of a surrogate pair)';
  return undefined;
}

/** A UTF-16 surrogate that is not half of a pair: in `u` mode a pair is one code point. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Records the normalised id, unless the field is already in that form (saves a write). */
function normaliseId(event: Fields, field: string, id: string, changes: Changes): void {
  const current = event[field];
  if (current === undefined || (current === id && id !== '')) return;
  changes.push([field, id === '' ? undefined : id]);
}

function checkIdentifiers(event: Fields, type: EventType, changes: Changes): Rejection | undefined {
  const userId = idString(event.userId);
  if (userId === undefined) return invalid(type, 'userId', ID_RULE, event.userId);
  const anonymousId = idString(event.anonymousId);
  if (anonymousId === undefined) return invalid(type, 'anonymousId', ID_RULE, event.anonymousId);
  const unusable = unusableId(type, 'userId', userId) ?? unusableId(type, 'anonymousId', anonymousId);
  if (unusable !== undefined) return unusable;
  if (userId === '' && anonymousId === '') {
    return reject(
      'missing_identifier',
      `${type} needs userId or anonymousId (a non-empty string or a number)`,
    );
  }
  normaliseId(event, 'userId', userId, changes);
  normaliseId(event, 'anonymousId', anonymousId, changes);
  return undefined;
}

function unusableId(type: EventType, field: string, id: string): Rejection | undefined {
  const problem = idTextProblem(id);
  return problem === undefined
    ? undefined
    : reject('invalid_field', `${type}.${field} ${problem} ${describeValue(id)}`);
}

function checkRequired(event: Fields, type: EventType, changes: Changes): Rejection | undefined {
  switch (type) {
    case 'track':
      if (typeof event.event === 'string' && event.event !== '') return undefined;
      return fieldProblem(type, 'event', 'must be a non-empty string such as "Order Completed"', event.event);
    case 'group':
      return requiredId(event, type, 'groupId', changes);
    case 'alias':
      return requiredId(event, type, 'previousId', changes);
    default:
      return undefined;
  }
}

function requiredId(event: Fields, type: EventType, field: string, changes: Changes): Rejection | undefined {
  const id = idString(event[field]);
  if (id === undefined || id === '') return fieldProblem(type, field, ID_RULE, event[field]);
  const unusable = unusableId(type, field, id);
  if (unusable !== undefined) return unusable;
  normaliseId(event, field, id, changes);
  return undefined;
}

function checkMessageId(event: Fields, type: EventType, changes: Changes): Rejection | undefined {
  const value = event.messageId;
  if (value === undefined) return undefined;
  const id = idString(value);
  const rule = `must be a string of at most ${MAX_MESSAGE_ID_LENGTH} characters`;
  if (id === undefined) return invalid(type, 'messageId', rule, value);
  if (id.length > MAX_MESSAGE_ID_LENGTH) {
    return reject('invalid_field', `${type}.messageId ${rule} (got ${id.length} characters)`);
  }
  const unusable = unusableId(type, 'messageId', id);
  if (unusable !== undefined) return unusable;
  normaliseId(event, 'messageId', id, changes);
  return undefined;
}

function checkOptional(event: Fields, type: EventType, changes: Changes): Rejection | undefined {
  for (const field of TIMESTAMP_FIELDS) {
    const value = event[field];
    if (value === null) changes.push([field, undefined]);
    // SDKs send ISO-8601 strings; backfills often send Unix seconds or milliseconds.
    else if (
      value !== undefined &&
      typeof value !== 'string' &&
      !(typeof value === 'number' && Number.isFinite(value))
    ) {
      return invalid(
        type,
        field,
        'must be an ISO-8601 string such as "2024-05-01T12:34:56.789Z" or Unix seconds',
        value,
      );
    }
  }
  for (const field of OBJECT_FIELDS) {
    const value = event[field];
    if (value === null) changes.push([field, undefined]);
    else if (value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
      return invalid(type, field, 'must be a JSON object such as {}', value);
    }
  }
  if (type === 'page' || type === 'screen') {
    for (const field of SCREEN_FIELDS) {
      const value = event[field];
      if (value === null) changes.push([field, undefined]);
      else if (value !== undefined && typeof value !== 'string')
        return invalid(type, field, 'must be a string', value);
    }
  }
  return undefined;
}

function checkSize(event: Fields, options: ValidateOptions | undefined): Rejection | undefined {
  const limit = options?.maxBytes;
  const maxBytes = typeof limit === 'number' && limit >= 0 ? limit : MAX_EVENT_BYTES;
  const rawBytes = options?.rawBytes;
  let bytes: number | undefined;
  if (typeof rawBytes === 'number' && Number.isFinite(rawBytes)) bytes = rawBytes;
  else if (surelyFits(event, maxBytes)) return undefined;
  else {
    // Only events that are large or more than 32 levels deep get here (surelyFits walks 32).
    const measured = measureJson(event);
    if (measured === 'not_json') {
      return reject(
        'not_json',
        'event must be plain JSON data: it holds a cycle or a bigint, which JSON cannot represent',
      );
    }
    if (measured === 'too_deep' || nestedDeeperThan(event, MAX_EVENT_DEPTH)) {
      return reject(
        'too_deep',
        `event nests objects or arrays more than ${MAX_EVENT_DEPTH} levels deep; flatten its properties, traits or context`,
      );
    }
    bytes = measured;
  }
  if (bytes <= maxBytes) return undefined;
  const kb = maxBytes % 1024 === 0 ? ` (${maxBytes / 1024} KB)` : '';
  return reject('event_too_large', `event is ${bytes} bytes; the limit is ${maxBytes} bytes${kb} per event`);
}

/**
 * Writes the normalised values into the event. A frozen event (possible when embedded, never from
 * JSON.parse) is shallow-copied instead; spreading copies an own "__proto__" key as plain data.
 */
function applyChanges(event: Fields, changes: Changes): Fields {
  if (changes.length === 0) return event;
  let target = event;
  for (const [field, value] of changes) {
    if (!Reflect.set(target, field, value)) {
      target = { ...event };
      for (const [again, next] of changes) target[again] = next;
      return target;
    }
  }
  return target;
}

/** Wrong value: missing/null/empty is `missing_field`, anything else `invalid_field`. */
function fieldProblem(type: EventType, field: string, rule: string, value: unknown): Rejection {
  const code = isBlank(value) ? 'missing_field' : 'invalid_field';
  return reject(code, `${type}.${field} ${rule} ${describeValue(value)}`);
}

function invalid(type: EventType, field: string, rule: string, value: unknown): Rejection {
  return reject('invalid_field', `${type}.${field} ${rule} ${describeValue(value)}`);
}

function failure(code: string, message: string): ValidationResult {
  return { ok: false, error: reject(code, message) };
}
