/**
 * The `actions` profile: the presets of Segment's Customer.io (Actions) destination, which also
 * cover Customer.io Data Pipelines' destination (seeds 001, 002, 004): one subscription per action,
 * its trigger the action's default trigger, its mapping the action's field defaults.
 */
import { ACTIONS } from '../customerio/index.js';
import type { Profile } from './types.js';

export const actionsProfile: Profile = {
  name: 'actions',
  description: "Segment's Customer.io (Actions) presets and Customer.io Data Pipelines' default actions",
  subscriptions: Object.values(ACTIONS).map((action) => ({
    name: action.title,
    trigger: action.defaultTrigger,
    action: action.key,
  })),
};
