import { personIdOrPropertiesEmail } from '../fields.js';
import { personLifecycleAction } from '../person-lifecycle.js';

export const deletePerson = personLifecycleAction(
  'deletePerson',
  'Delete Person',
  'Delete a person in Customer.io.',
  'delete',
  'event = "User Deleted"',
  {
    label: 'Person ID',
    type: 'string',
    description: 'The person to delete: the userId, else properties.email (Customer.io Data Pipelines).',
    required: true,
    default: personIdOrPropertiesEmail,
  },
);
