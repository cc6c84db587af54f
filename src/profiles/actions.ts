/**
 * The `actions` profile: the presets of Segment's Customer.io (Actions) destination, which also
 * cover Customer.io Data Pipelines' destination (seeds 001, 002, 004): one subscription per action,
 * its trigger the action's default trigger, its mapping the action's field defaults.
 */
import { ACTIONS, type ActionKey } from '../customerio/index.js';
import type { Profile } from './types.js';

// The order of Segment's presets: when one event matches several subscriptions, their requests
// come out in this order.
const PRESET_ORDER: readonly ActionKey[] = [
  'createUpdatePerson',
  'createUpdateDevice',
  'deleteDevice',
  'deleteRelationship',
  'deletePerson',
  'deleteObject',
  'trackEvent',
  'trackPageView',
  'trackScreenView',
  'createUpdateObject',
  'mergePeople',
  'suppressPerson',
  'unsuppressPerson',
  'reportDeliveryEvent',
  'reportContentEvent',
];

const PRESETS = PRESET_ORDER.map((key) => ({
  name: ACTIONS[key].title,
  trigger: ACTIONS[key].defaultTrigger,
  action: key,
}));

export const actionsProfile: Profile = {
  name: 'actions',
  description: "Segment's Customer.io (Actions) presets and Customer.io Data Pipelines' default actions",
  settings: [],
  presets: () => PRESETS,
  filters: () => [],
  adjust: () => [],
};
