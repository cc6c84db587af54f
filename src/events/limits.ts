/**
 * Ingest limits, mirroring Segment's HTTP Tracking API (reference/anchors.md §3.2), so that an
 * event accepted here is one Segment would accept too. KB means 1,024 bytes.
 */

/** Largest accepted event, as serialised JSON. */
export const MAX_EVENT_BYTES = 32 * 1024;

/** Largest accepted request body (a `/v1/batch`, or a single event request). */
export const MAX_REQUEST_BYTES = 500 * 1024;

/** Most events accepted in one `/v1/batch`. */
export const MAX_BATCH_EVENTS = 2_500;

/** Longest accepted `messageId` (in JavaScript string length, i.e. UTF-16 code units). */
export const MAX_MESSAGE_ID_LENGTH = 100;

/**
 * Deepest accepted nesting of objects and arrays in an event (the event itself is level 1). Far
 * above any real event; without a bound, whether an event nested a few thousand levels deep was
 * accepted depended on how much stack the serialiser had left (found by test/fuzz).
 */
export const MAX_EVENT_DEPTH = 100;
