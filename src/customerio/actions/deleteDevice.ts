import { personOperation } from '../bodies.js';
import { deviceIdField } from '../device-fields.js';
import { type ActionDef, personIdField } from '../fields.js';

export const deleteDevice: ActionDef = {
  key: 'deleteDevice',
  title: 'Delete Device',
  description: "Delete a person's device.",
  defaultTrigger: 'event = "Application Uninstalled" or event = "Device Deleted"',
  endpoint: 'v2',
  fields: {
    person_id: personIdField(true, 'The ID of the person that this mobile device belongs to.'),
    device_id: deviceIdField,
  },
  build(p) {
    return personOperation(
      this,
      'delete_device',
      { person_id: p['person_id'] as string },
      { device: { token: p['device_id'] } },
      'a userId',
    );
  },
};
