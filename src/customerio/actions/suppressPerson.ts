import { personIdField } from '../fields.js';
import { personLifecycleAction } from '../person-lifecycle.js';

export const suppressPerson = personLifecycleAction(
  'suppressPerson',
  'Suppress Person',
  'Suppress a person in Customer.io: their profile is deleted and their identifiers cannot be reused.',
  'suppress',
  'event = "User Suppressed"',
  personIdField(true, 'The person to suppress.'),
);
