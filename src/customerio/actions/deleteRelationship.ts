import { missingIdentifier, objectOperation } from '../bodies.js';
import { type ActionDef, anonymousIdField, objectTypeIdField, personIdOrPropertiesEmail } from '../fields.js';
import { resolvePerson } from '../identifiers.js';

export const deleteRelationship: ActionDef = {
  key: 'deleteRelationship',
  title: 'Delete Relationship',
  description: 'Delete a relationship between a person and an object in Customer.io.',
  defaultTrigger: 'event = "Relationship Deleted"',
  endpoint: 'v2',
  fields: {
    person_id: {
      label: 'Person ID',
      type: 'string',
      description: 'The person: the userId, else properties.email (Customer.io Data Pipelines).',
      required: true,
      default: personIdOrPropertiesEmail,
    },
    anonymous_id: anonymousIdField,
    object_id: {
      label: 'Object ID',
      type: 'string',
      description: 'The object the person is related to.',
      required: true,
      default: { '@path': '$.properties.objectId' },
    },
    object_type_id: objectTypeIdField('properties'),
  },
  build(p) {
    const person = resolvePerson({
      person_id: p['person_id'] as string,
      anonymous_id: p['anonymous_id'] as string | undefined,
    });
    if (person === undefined) return missingIdentifier(this, 'a userId or properties.email');
    // No `attributes.anonymous_id` here: this is an object body (correction 3).
    return objectOperation(
      'delete_relationships',
      { object_id: p['object_id'] as string, object_type_id: (p['object_type_id'] as string) ?? '1' },
      { cio_relationships: [{ identifiers: person }] },
    );
  },
};
