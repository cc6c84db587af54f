import { omitKeys } from '../../objects.js';
import { assignDefined, personOperation } from '../bodies.js';
import {
  type ActionDef,
  anonymousIdField,
  convertTimestampsField,
  createdAtField,
  ifExists,
  objectTypeIdField,
  relationshipAttributesField,
  timestampField,
} from '../fields.js';
import { convertTimestampsIn, toUnixSeconds } from '../timestamps.js';

// Traits that configure the identify rather than describe the person. `objectId` stays an
// attribute, as in Segment's package.
const NOT_ATTRIBUTES = [
  'createdAt',
  'created_at',
  'object_type_id',
  'objectTypeId',
  'relationshipAttributes',
];

export const createUpdatePerson: ActionDef = {
  key: 'createUpdatePerson',
  title: 'Create or Update Person',
  description: 'Create a person in Customer.io or update them if they exist.',
  defaultTrigger: 'type = "identify"',
  endpoint: 'v2',
  fields: {
    id: {
      label: 'Person ID',
      type: 'string',
      description: 'The ID used to uniquely identify a person in Customer.io.',
      default: ifExists('$.userId', '$.traits.email'),
    },
    anonymous_id: anonymousIdField,
    email: {
      label: 'Email Address',
      type: 'string',
      description: "The person's email address.",
      default: { '@template': '{{traits.email}}' },
    },
    created_at: createdAtField('person'),
    group_id: {
      label: 'Object ID',
      type: 'string',
      description: 'An object to relate the person to.',
      default: { '@path': '$.traits.objectId' },
    },
    custom_attributes: {
      label: 'Person Attributes',
      type: 'object',
      description: 'Attributes for the person; added or updated, not removed.',
      default: { '@path': '$.traits' },
    },
    relationship_attributes: relationshipAttributesField,
    timestamp: timestampField,
    object_type_id: objectTypeIdField('traits'),
    convert_timestamp: convertTimestampsField,
  },
  build(p) {
    const convert = p['convert_timestamp'] === true;
    const own = omitKeys(p['custom_attributes'] as object | undefined, NOT_ATTRIBUTES);
    const attributes = convert ? convertTimestampsIn(own) : own;
    if (p['created_at'] !== undefined) {
      attributes['created_at'] = convert ? toUnixSeconds(p['created_at']) : p['created_at'];
    }
    if (p['email'] !== undefined) attributes['email'] = p['email'];

    const fields: Record<string, unknown> = { attributes };
    const groupId = p['group_id'] as string | undefined;
    if (groupId !== undefined) {
      const relationship: Record<string, unknown> = {
        identifiers: { object_type_id: p['object_type_id'] ?? '1', object_id: groupId },
      };
      assignDefined(relationship, { relationship_attributes: p['relationship_attributes'] });
      fields['cio_relationships'] = [relationship];
    }
    fields['timestamp'] = toUnixSeconds(p['timestamp']);
    return personOperation(
      this,
      'identify',
      {
        person_id: p['id'] as string | undefined,
        email: p['email'] as string | undefined,
        anonymous_id: p['anonymous_id'] as string | undefined,
      },
      fields,
      'a userId, a traits.email or an anonymousId',
    );
  },
};
