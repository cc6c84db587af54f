/**
 * Assembly shared by the actions: identifiers, the anonymous_id attribute, ordering keys.
 * Every operation either carries an identifier or is rejected (correction 5): Customer.io cannot
 * attribute an operation without one, and Segment's package would send it anyway.
 */
import { type Rejection, reject } from '../errors.js';
import type { ActionDef } from './fields.js';
import { type IdentifierInputs, type ObjectIdentifiers, personKey, resolvePerson } from './identifiers.js';
import type { Operation, V2Operation } from './operation.js';

/**
 * A `type: "person"` operation. When the person is known by id/email/cio_id and an anonymous id
 * is present too, it is sent as `attributes.anonymous_id`: that is how Customer.io merges the
 * anonymous activity into the person.
 */
export function personOperation(
  action: ActionDef,
  v2action: string,
  ids: IdentifierInputs,
  fields: Record<string, unknown>,
  needs: string,
): Operation | Rejection {
  const identifiers = resolvePerson(ids);
  if (identifiers === undefined) return missingIdentifier(action, needs);
  const body: V2Operation = { type: 'person', action: v2action };
  assignDefined(body, fields);
  if (ids.anonymous_id && !('anonymous_id' in identifiers)) {
    body['attributes'] = { ...(body['attributes'] as object | undefined), anonymous_id: ids.anonymous_id };
  }
  body.identifiers = identifiers;
  return { endpoint: 'v2', body, key: personKey(identifiers)! };
}

/** A `type: "object"` operation, addressed by (object_type_id, object_id). */
export function objectOperation(
  v2action: string,
  identifiers: ObjectIdentifiers,
  fields: Record<string, unknown>,
): Operation {
  const body: V2Operation = { type: 'object', action: v2action };
  assignDefined(body, fields);
  body.identifiers = { object_id: identifiers.object_id, object_type_id: identifiers.object_type_id };
  return { endpoint: 'v2', body, key: `object:${identifiers.object_type_id}:${identifiers.object_id}` };
}

export function missingIdentifier(action: ActionDef, needs: string): Rejection {
  return reject(
    'missing_identifier',
    `${action.title} needs ${needs}; Customer.io cannot apply an operation that identifies nobody`,
  );
}

/** Copy the defined values of `fields` onto `target`, in order (undefined means "not sent"). */
export function assignDefined(target: Record<string, unknown>, fields: Record<string, unknown>): void {
  for (const key in fields) {
    const value = fields[key];
    if (value !== undefined) target[key] = value;
  }
}
