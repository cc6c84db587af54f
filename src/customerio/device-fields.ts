import type { FieldDef } from './fields.js';
import { ifExists } from './fields.js';

/**
 * The device token: `context.device.token` as the SDKs send it, else `properties.device_id` as in
 * Customer.io Data Pipelines' examples (seed 004).
 */
export const deviceIdField: FieldDef = {
  label: 'Device ID',
  type: 'string',
  description: "The device token of a customer's mobile device.",
  required: true,
  default: ifExists('$.context.device.token', '$.properties.device_id'),
};
