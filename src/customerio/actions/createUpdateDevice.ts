import { personOperation } from '../bodies.js';
import { deviceIdField } from '../device-fields.js';
import { type ActionDef, convertTimestampsField, personIdField } from '../fields.js';
import { convertTimestampsIn, parseIsoSeconds } from '../timestamps.js';

export const createUpdateDevice: ActionDef = {
  key: 'createUpdateDevice',
  title: 'Create or Update Device',
  description: "Create or update a person's device.",
  defaultTrigger:
    'event = "Application Installed" or event = "Application Opened" or event = "Device Created or Updated"',
  endpoint: 'v2',
  fields: {
    person_id: personIdField(true, 'The ID of the person that this mobile device belongs to.'),
    device_id: deviceIdField,
    app_version: {
      label: 'App Version',
      type: 'string',
      description: 'The version of the app.',
      default: { '@path': '$.context.app.version' },
    },
    platform: {
      label: 'Platform',
      type: 'string',
      description: 'The mobile device\'s platform ("ios" or "android").',
      required: true,
      default: { '@path': '$.context.device.type' },
    },
    last_used: {
      label: 'Last Used',
      type: 'string',
      description: 'When the device was last used. Default is when Customer.io receives it.',
      default: { '@path': '$.timestamp' },
    },
    attributes: {
      label: 'Event Attributes',
      type: 'object',
      description: "Data about the device, usable like a person's attributes.",
      default: { '@path': '$.properties' },
    },
    convert_timestamp: convertTimestampsField,
  },
  build(p) {
    const convert = p['convert_timestamp'] === true;
    const lastUsed = p['last_used'] as string | undefined;
    const attributes: Record<string, unknown> = { ...(p['attributes'] as object | undefined) };
    if (p['app_version'] !== undefined) attributes['app_version'] = p['app_version'];
    const device: Record<string, unknown> = { token: p['device_id'], platform: p['platform'] };
    if (lastUsed !== undefined)
      device['last_used'] = convert ? (parseIsoSeconds(lastUsed) ?? lastUsed) : lastUsed;
    device['attributes'] = convert ? convertTimestampsIn(attributes) : attributes;
    return personOperation(
      this,
      'add_device',
      { person_id: p['person_id'] as string },
      { device },
      'a userId',
    );
  },
};
