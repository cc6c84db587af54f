/**
 * The Segment spec event model, as spoken by Segment's, RudderStack's and Customer.io's SDKs.
 * After validation every id field (userId, anonymousId, previousId, groupId) is a string:
 * numbers are accepted on input and converted, as the Segment spec allows.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

export const EVENT_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface CommonFields {
  type: EventType;
  messageId?: string;
  /** ISO-8601 strings as the SDKs send them, or Unix seconds/milliseconds (kept as given). */
  timestamp?: string | number;
  sentAt?: string | number;
  receivedAt?: string | number;
  originalTimestamp?: string | number;
  userId?: string;
  anonymousId?: string;
  context?: JsonObject;
  integrations?: JsonObject;
  /** Unknown top-level keys are kept: a mapping may read them (`$.email`, `$.channel`...). */
  [key: string]: JsonValue | undefined;
}

export interface IdentifyEvent extends CommonFields {
  type: 'identify';
  traits?: JsonObject;
}

export interface TrackEvent extends CommonFields {
  type: 'track';
  event: string;
  properties?: JsonObject;
}

export interface PageEvent extends CommonFields {
  type: 'page';
  name?: string;
  category?: string;
  properties?: JsonObject;
}

export interface ScreenEvent extends CommonFields {
  type: 'screen';
  name?: string;
  category?: string;
  properties?: JsonObject;
}

export interface GroupEvent extends CommonFields {
  type: 'group';
  groupId: string;
  traits?: JsonObject;
}

export interface AliasEvent extends CommonFields {
  type: 'alias';
  previousId: string;
}

export type SegmentEvent = IdentifyEvent | TrackEvent | PageEvent | ScreenEvent | GroupEvent | AliasEvent;
