import { objectOperation } from '../bodies.js';
import { type ActionDef, objectTypeIdField } from '../fields.js';

export const deleteObject: ActionDef = {
  key: 'deleteObject',
  title: 'Delete Object',
  description: 'Delete an object in Customer.io, and with it all its relationships.',
  defaultTrigger: 'event = "Object Deleted"',
  endpoint: 'v2',
  fields: {
    object_id: {
      label: 'Object ID',
      type: 'string',
      description: 'The object to delete.',
      // Required here, unlike Segment's package, which sends a delete that names no object
      // (correction 5).
      required: true,
      default: { '@path': '$.properties.objectId' },
    },
    object_type_id: objectTypeIdField('properties'),
  },
  build(p) {
    return objectOperation(
      'delete',
      { object_id: p['object_id'] as string, object_type_id: (p['object_type_id'] as string) ?? '1' },
      {},
    );
  },
};
