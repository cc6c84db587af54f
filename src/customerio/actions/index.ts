/** The 15 Customer.io actions, keyed as in Segment's Customer.io (Actions) destination. */
import type { ActionDef, ActionKey } from '../fields.js';
import { createUpdateDevice } from './createUpdateDevice.js';
import { createUpdateObject } from './createUpdateObject.js';
import { createUpdatePerson } from './createUpdatePerson.js';
import { deleteDevice } from './deleteDevice.js';
import { deleteObject } from './deleteObject.js';
import { deletePerson } from './deletePerson.js';
import { deleteRelationship } from './deleteRelationship.js';
import { mergePeople } from './mergePeople.js';
import { reportContentEvent } from './reportContentEvent.js';
import { reportDeliveryEvent } from './reportDeliveryEvent.js';
import { suppressPerson } from './suppressPerson.js';
import { trackEvent } from './trackEvent.js';
import { trackPageView } from './trackPageView.js';
import { trackScreenView } from './trackScreenView.js';
import { unsuppressPerson } from './unsuppressPerson.js';

export const ACTIONS: Readonly<Record<ActionKey, ActionDef>> = {
  createUpdatePerson,
  trackEvent,
  trackPageView,
  trackScreenView,
  createUpdateDevice,
  deleteDevice,
  createUpdateObject,
  deleteObject,
  deleteRelationship,
  deletePerson,
  suppressPerson,
  unsuppressPerson,
  mergePeople,
  reportDeliveryEvent,
  reportContentEvent,
};

export function isActionKey(key: string): key is ActionKey {
  return Object.hasOwn(ACTIONS, key);
}
