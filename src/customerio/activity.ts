/**
 * Track Event, Track Page View and Track Screen View: the same activity operation for a known or
 * anonymous person, differing only in the v2 action and in where the name comes from.
 */
import type { Rejection } from '../errors.js';
import { personOperation } from './bodies.js';
import {
  type ActionDef,
  anonymousIdField,
  convertTimestampsField,
  eventDataField,
  eventIdField,
  type FieldDef,
  type Payload,
  personIdField,
  timestampField,
} from './fields.js';
import type { Operation } from './operation.js';
import { convertTimestampsIn, toUnixSeconds } from './timestamps.js';

/** The fields of an activity action, with `nameKey` holding its name. */
export function activityFields(nameKey: string, nameField: FieldDef): Record<string, FieldDef> {
  return {
    id: personIdField(false, 'The ID used to uniquely identify a person in Customer.io.'),
    anonymous_id: anonymousIdField,
    [nameKey]: nameField,
    event_id: eventIdField,
    timestamp: timestampField,
    data: eventDataField,
    convert_timestamp: convertTimestampsField,
  };
}

/** `{type: "person", action, name, id, attributes, timestamp, identifiers}`. */
export function activityOperation(
  action: ActionDef,
  v2action: string,
  name: unknown,
  p: Payload,
): Operation | Rejection {
  const data = p['data'];
  return personOperation(
    action,
    v2action,
    { person_id: p['id'] as string | undefined, anonymous_id: p['anonymous_id'] as string | undefined },
    {
      name,
      id: p['event_id'],
      attributes: p['convert_timestamp'] === true ? convertTimestampsIn(data) : data,
      timestamp: toUnixSeconds(p['timestamp']),
    },
    'a userId or an anonymousId',
  );
}
