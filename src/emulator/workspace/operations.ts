/**
 * The workspace's internal operations: what a v2 operation or a v1 request means once validated.
 * v1 requests are translated into v2 operations first (`v1.ts`), so both API versions reach the
 * same operations and the same logical event gives the same state.
 */

/** How an operation addresses a known person. */
export interface PersonKey {
  kind: 'id' | 'email' | 'cio_id';
  value: string;
}

/** Events, page views, screens and identify may also address an anonymous profile. */
export type PersonTarget = PersonKey | { kind: 'anonymous_id'; value: string };

export type ObjectKey =
  | { kind: 'type_id'; typeId: string; objectId: string }
  | { kind: 'cio_object_id'; value: string };

/** Attribute writes in input order; `null` removes the attribute (input `null` or `""`). */
export type AttributeWrites = [string, unknown][];

export interface ObjectLink {
  object: ObjectKey;
  attributes: AttributeWrites;
  /** Dotted field of this relationship in the input, for error messages. */
  field: string;
}

export interface PersonLink {
  person: PersonKey;
  attributes: AttributeWrites;
  field: string;
}

export interface AnonymousLink {
  anonymousId: string;
  attributes: AttributeWrites;
}

export type TrackKind = 'event' | 'page' | 'screen' | 'viewed_content' | 'clicked_content';

export interface IdentifyOp {
  op: 'identify';
  target: PersonTarget;
  /** Custom attributes (and `created_at`, `unsubscribed`), reserved keys removed. */
  attributes: AttributeWrites;
  /** `attributes.id` / `attributes.email`: new identifiers for the person. */
  newId?: string;
  newEmail?: string;
  /** `attributes.anonymous_id`: claims that anonymous profile and merges its activity. */
  anonymousId?: string;
  /** `attributes._timestamp`, else the operation's `timestamp`. */
  timestamp?: number;
  /** `attributes._update`: only update, never create. */
  updateOnly: boolean;
  relationships: ObjectLink[];
  /** The attributes as sent, minus `_timestamp`/`_update`, for the activity log. */
  sent: Record<string, unknown>;
}

export interface TrackOp {
  op: 'track';
  target: PersonTarget;
  kind: TrackKind;
  name: string;
  id?: string;
  /** As sent (the input's own object): the commit copies it into the state. */
  data: Record<string, unknown>;
  timestamp?: number;
}

export interface DeviceOp {
  op: 'add_device';
  target: PersonKey;
  token: string;
  platform: string;
  lastUsed?: number;
  attributes: AttributeWrites;
  timestamp?: number;
}

export interface DeleteDeviceOp {
  op: 'delete_device';
  target: PersonKey;
  token: string;
  timestamp?: number;
}

export interface PersonOnlyOp {
  op: 'delete' | 'suppress' | 'unsuppress';
  target: PersonKey;
}

export interface MergeOp {
  op: 'merge';
  primary: PersonKey;
  secondary: PersonKey;
  timestamp?: number;
}

export interface PersonRelationshipsOp {
  op: 'person_relationships';
  add: boolean;
  target: PersonKey;
  relationships: ObjectLink[];
}

export interface ObjectIdentifyOp {
  op: 'object_identify';
  object: ObjectKey;
  attributes: AttributeWrites;
  relationships: PersonLink[];
}

export interface ObjectIdentifyAnonymousOp {
  op: 'object_identify_anonymous';
  object: ObjectKey;
  attributes: AttributeWrites;
  anonymous: AnonymousLink[];
  timestamp?: number;
}

export interface ObjectDeleteOp {
  op: 'object_delete';
  object: ObjectKey;
}

export interface ObjectRelationshipsOp {
  op: 'object_relationships';
  add: boolean;
  object: ObjectKey;
  relationships: PersonLink[];
}

export interface MetricOp {
  op: 'metric';
  deliveryId: string;
  metric: string;
  timestamp?: number;
  recipient?: string;
  reason?: string;
  href?: string;
  metadata?: Record<string, unknown>;
}

export type Operation =
  | IdentifyOp
  | TrackOp
  | DeviceOp
  | DeleteDeviceOp
  | PersonOnlyOp
  | MergeOp
  | PersonRelationshipsOp
  | ObjectIdentifyOp
  | ObjectIdentifyAnonymousOp
  | ObjectDeleteOp
  | ObjectRelationshipsOp
  | MetricOp;

export const METRICS = [
  'delivered',
  'opened',
  'clicked',
  'converted',
  'spammed',
  'bounced',
  'dropped',
  'deferred',
] as const;

/**
 * The metrics a v2 `type:"delivery"` event may name (the `name` enum of Customer.io's
 * `delivery_operations` schema); the others exist only in v1 `/metrics`.
 */
export const DELIVERY_EVENT_METRICS = ['delivered', 'opened', 'converted'] as const;
