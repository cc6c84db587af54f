/**
 * Action fields as data: each action declares its fields (type, whether required, default
 * mapping) in the shape of Segment's Customer.io (Actions) destination. The defaults are mapping
 * directives (see src/mapping) and are what the `actions` profile uses.
 */
import type { Rejection } from '../errors.js';
import type { Operation } from './operation.js';

export type FieldType = 'string' | 'object' | 'boolean' | 'datetime';

export interface FieldDef {
  readonly label: string;
  readonly type: FieldType;
  readonly description: string;
  readonly required?: boolean;
  /** The default mapping (a directive or a literal). */
  readonly default?: unknown;
  readonly choices?: readonly string[];
}

export type ActionKey =
  | 'createUpdatePerson'
  | 'trackEvent'
  | 'trackPageView'
  | 'trackScreenView'
  | 'createUpdateDevice'
  | 'deleteDevice'
  | 'createUpdateObject'
  | 'deleteObject'
  | 'deleteRelationship'
  | 'deletePerson'
  | 'suppressPerson'
  | 'unsuppressPerson'
  | 'mergePeople'
  | 'reportDeliveryEvent'
  | 'reportContentEvent';

/** A payload after preparation: only declared fields, coerced to their types, empty values gone. */
export type Payload = Readonly<Record<string, unknown>>;

export interface BuildContext {
  /** Milliseconds since the epoch; injectable for reproducible output. */
  now(): number;
}

export interface ActionDef {
  readonly key: ActionKey;
  readonly title: string;
  readonly description: string;
  /** The trigger of the action's preset in the `actions` profile. */
  readonly defaultTrigger: string;
  readonly fields: Readonly<Record<string, FieldDef>>;
  /**
   * Where the operation goes: the v2 API (entity or batch), `/api/v1/metrics`, or either,
   * depending on the payload (Report Delivery Event: v2 when v2 can carry the metric).
   */
  readonly endpoint: 'v2' | 'metrics' | 'v2 or metrics';
  build(payload: Payload, context: BuildContext): Operation | Rejection;
}

// Fields that several actions share, with Segment's labels and default mappings.

export const convertTimestampsField: FieldDef = {
  label: 'Convert Timestamps',
  type: 'boolean',
  description: 'Convert ISO-8601 dates in attributes to Unix timestamps (seconds since epoch).',
  default: true,
};

export const anonymousIdField: FieldDef = {
  label: 'Anonymous ID',
  type: 'string',
  description: 'An anonymous ID for when no Person ID exists; ties anonymous activity to the person.',
  default: { '@path': '$.anonymousId' },
};

export const eventIdField: FieldDef = {
  label: 'Event ID',
  type: 'string',
  description: 'An identifier Customer.io uses to de-duplicate events.',
  default: { '@path': '$.messageId' },
};

export const timestampField: FieldDef = {
  label: 'Timestamp',
  type: 'string',
  description: 'When the event took place. Default is when Customer.io receives it.',
  default: { '@path': '$.timestamp' },
};

export const eventDataField: FieldDef = {
  label: 'Event Attributes',
  type: 'object',
  description: 'Optional data to include with the event.',
  default: { '@path': '$.properties' },
};

export function personIdField(required: boolean, description: string): FieldDef {
  return {
    label: 'Person ID',
    type: 'string',
    description,
    required,
    default: { '@path': '$.userId' },
  };
}

// Data Pipelines (seed 004): a person can be addressed by `properties.email` when there is no userId.
export const personIdOrPropertiesEmail: unknown = {
  '@if': {
    exists: { '@path': '$.userId' },
    then: { '@path': '$.userId' },
    else: { '@path': '$.properties.email' },
  },
};

export function ifExists(first: string, second: string): unknown {
  return { '@if': { exists: { '@path': first }, then: { '@path': first }, else: { '@path': second } } };
}

/** An object type id read from `traits` (identify, group) or `properties` (track). */
export function objectTypeIdField(from: 'traits' | 'properties'): FieldDef {
  return {
    label: 'Object Type ID',
    type: 'string',
    description: 'The type of the object (an integer as a string, starting at "1").',
    default: ifExists(`$.${from}.object_type_id`, `$.${from}.objectTypeId`),
  };
}

export function createdAtField(what: string): FieldDef {
  return {
    label: 'Created At',
    type: 'string',
    description: `A timestamp of when the ${what} was created.`,
    default: ifExists('$.traits.created_at', '$.traits.createdAt'),
  };
}

export const relationshipAttributesField: FieldDef = {
  label: 'Relationship Attributes',
  type: 'object',
  description: 'Attributes of the relationship between the object and the person.',
  default: { '@path': '$.traits.relationshipAttributes' },
};
