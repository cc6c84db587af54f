import { omitKeys } from '../../objects.js';
import { assignDefined, objectOperation } from '../bodies.js';
import {
  type ActionDef,
  anonymousIdField,
  convertTimestampsField,
  createdAtField,
  ifExists,
  objectTypeIdField,
  relationshipAttributesField,
} from '../fields.js';
import { resolvePerson } from '../identifiers.js';
import { convertTimestampsIn, toUnixSeconds } from '../timestamps.js';

// Group traits that configure the call rather than describe the object.
const NOT_ATTRIBUTES = ['objectAttributes', 'relationshipAttributes', 'object_type_id', 'objectTypeId'];

export const createUpdateObject: ActionDef = {
  key: 'createUpdateObject',
  title: 'Create or Update Object',
  description: 'Create an object in Customer.io or update it if it exists, and relate the person to it.',
  defaultTrigger: 'type = "group"',
  endpoint: 'v2',
  fields: {
    id: {
      label: 'Object ID',
      type: 'string',
      description: 'The ID used to uniquely identify an object in Customer.io.',
      required: true,
      default: { '@path': '$.groupId' },
    },
    created_at: createdAtField('object'),
    custom_attributes: {
      label: 'Object Attributes',
      type: 'object',
      description: 'Attributes of the object; added or updated, not removed.',
      // Correction 8: the group's traits are the object's attributes, as Customer.io documents
      // (seeds 002, 004); Segment's package reads only traits.objectAttributes.
      default: ifExists('$.traits.objectAttributes', '$.traits'),
    },
    relationship_attributes: relationshipAttributesField,
    user_id: {
      label: 'User ID',
      type: 'string',
      description: 'The person to relate to the object.',
      default: { '@path': '$.userId' },
    },
    anonymous_id: anonymousIdField,
    object_type_id: objectTypeIdField('traits'),
    convert_timestamp: convertTimestampsField,
  },
  build(p) {
    const convert = p['convert_timestamp'] === true;
    const createdAt = p['created_at'];
    const own = omitKeys(p['custom_attributes'] as object | undefined, NOT_ATTRIBUTES);
    // created_at is sent beside the attributes, not among them.
    // (String(): the payload's created_at is already coerced to a string, the trait may be a number.)
    if (createdAt !== undefined) {
      if (String(own['created_at']) === createdAt) delete own['created_at'];
      if (String(own['createdAt']) === createdAt) delete own['createdAt'];
    }
    const userId = p['user_id'] as string | undefined;
    const anonymousId = p['anonymous_id'] as string | undefined;
    const person = userId
      ? resolvePerson({ person_id: userId })
      : anonymousId
        ? { anonymous_id: anonymousId }
        : undefined;

    const fields: Record<string, unknown> = {
      created_at: createdAt !== undefined && convert ? toUnixSeconds(createdAt) : createdAt,
      // Nothing to set is sent as no attributes at all, as Segment's package does.
      attributes: Object.keys(own).length === 0 ? undefined : convert ? convertTimestampsIn(own) : own,
    };
    if (person !== undefined) {
      const relationship: Record<string, unknown> = { identifiers: person };
      const attrs = p['relationship_attributes'];
      assignDefined(relationship, { relationship_attributes: convert ? convertTimestampsIn(attrs) : attrs });
      fields['cio_relationships'] = [relationship];
    }
    // No `attributes.anonymous_id` on an object (correction 3).
    return objectOperation(
      userId || !anonymousId ? 'identify' : 'identify_anonymous',
      { object_id: p['id'] as string, object_type_id: (p['object_type_id'] as string) ?? '1' },
      fields,
    );
  },
};
