/** The event model: Segment-spec event types, ingest validation and ingest limits. */
export {
  MAX_BATCH_EVENTS,
  MAX_EVENT_BYTES,
  MAX_EVENT_DEPTH,
  MAX_MESSAGE_ID_LENGTH,
  MAX_REQUEST_BYTES,
} from './limits.js';
export type {
  AliasEvent,
  CommonFields,
  EventType,
  GroupEvent,
  IdentifyEvent,
  JsonObject,
  JsonPrimitive,
  JsonValue,
  PageEvent,
  ScreenEvent,
  SegmentEvent,
  TrackEvent,
} from './types.js';
export { EVENT_TYPES } from './types.js';
export type { ValidateOptions, ValidationResult } from './validate.js';
export { validateEvent } from './validate.js';
