/**
 * The last step before an event is stored: fields the server owns, as Segment's API sets them.
 * - `messageId`, when the client sent none: `relay-<uuid>` (the prefix says who made it up).
 * - `receivedAt`: the server's time, always (a client's value is replaced, as Segment does).
 * - `timestamp`, when missing: corrected for the device's clock skew,
 *   `receivedAt - (sentAt - originalTimestamp)`, when both are readable; else `originalTimestamp`;
 *   else `receivedAt`.
 * - `writeKey` is removed: a secret must not reach the store, the delivery log or the console.
 * The event is then serialised once; that text is what the store keeps.
 */
import { randomUUID } from 'node:crypto';
import type { SegmentEvent } from '../events/index.js';
import type { NewEvent } from '../store/types.js';

export interface Arrival {
  source: string;
  /** Server time, epoch ms, and the same instant as ISO-8601 (shared by a request's events). */
  receivedAt: number;
  receivedAtIso: string;
}

export function toNewEvent(event: SegmentEvent, arrival: Arrival, destinations: readonly string[]): NewEvent {
  const fields = event as Record<string, unknown>;
  if (fields.writeKey !== undefined) fields.writeKey = undefined; // dropped by JSON.stringify
  const messageId = event.messageId ?? `relay-${randomUUID()}`;
  event.messageId = messageId;
  event.receivedAt = arrival.receivedAtIso;
  if (event.timestamp === undefined) event.timestamp = timestampFor(event, arrival);
  return {
    source: arrival.source,
    messageId,
    // validateEvent guarantees one of them is a non-empty string.
    personKey: (event.userId ?? event.anonymousId)!,
    body: JSON.stringify(event),
    receivedAt: arrival.receivedAt,
    destinations,
  };
}

function timestampFor(event: SegmentEvent, arrival: Arrival): string | number {
  const original = event.originalTimestamp;
  if (original === undefined) return arrival.receivedAtIso;
  const sentMs = event.sentAt === undefined ? Number.NaN : toMillis(event.sentAt);
  const originalMs = toMillis(original);
  if (Number.isNaN(sentMs) || Number.isNaN(originalMs)) return original;
  const corrected = arrival.receivedAt - (sentMs - originalMs);
  // A date beyond what Date can show (absurd input) keeps the client's value instead.
  return Math.abs(corrected) <= 8.64e15 ? new Date(corrected).toISOString() : original;
}

/** A date-time with a time but no zone: read as UTC, like the rest of the relay (never local time). */
const ZONELESS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Epoch ms of an ISO-8601 string or of Unix seconds/milliseconds (by size); NaN when unreadable. */
export function toMillis(value: string | number): number {
  if (typeof value === 'number') return Math.abs(value) >= 1e11 ? value : value * 1000;
  return Date.parse(ZONELESS.test(value) ? `${value}Z` : value);
}
