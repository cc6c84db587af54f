import { personIdField } from '../fields.js';
import { personLifecycleAction } from '../person-lifecycle.js';

export const unsuppressPerson = personLifecycleAction(
  'unsuppressPerson',
  'Unsuppress Person',
  'Unsuppress a person in Customer.io, so that they can receive messages again.',
  'unsuppress',
  'event = "User Unsuppressed"',
  personIdField(true, 'The person to unsuppress.'),
);
