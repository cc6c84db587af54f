/**
 * Checking subscriptions edited in the console: their shape here, then the configuration's own
 * check (the trigger and mapping compilers' messages, with paths such as `subscriptions[1].trigger`),
 * so that the console says exactly what loading the configuration would say.
 */
import { type ConfigProblem, checkSubscriptions, Problems } from '../config/index.js';
import type { SubscriptionConfig } from '../profiles/index.js';

const PATH = 'subscriptions';

export interface CheckedSubscriptions {
  subscriptions: SubscriptionConfig[];
  problems: ConfigProblem[];
}

export function checkEditedSubscriptions(input: unknown): CheckedSubscriptions {
  const problems = new Problems();
  if (!Array.isArray(input)) {
    problems.add(PATH, 'must be a list of subscriptions');
    return { subscriptions: [], problems: problems.list };
  }
  for (const [i, item] of input.entries()) checkShape(item, `${PATH}[${i}]`, problems);
  if (problems.size === 0) checkSubscriptions(input, PATH, problems);
  const subscriptions = input as SubscriptionConfig[];
  return { subscriptions, problems: problems.list };
}

function checkShape(item: unknown, at: string, problems: Problems): void {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    problems.add(at, 'must be an object with name, trigger and action');
    return;
  }
  const { name, trigger, action, mapping, enabled } = item as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '') problems.add(`${at}.name`, 'must be a non-empty text');
  if (typeof trigger !== 'string' || trigger.trim() === '')
    problems.add(`${at}.trigger`, 'must be a trigger');
  if (typeof action !== 'string' || action === '') problems.add(`${at}.action`, 'must be an action key');
  if (mapping !== undefined && (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping))) {
    problems.add(`${at}.mapping`, 'must be an object of field → mapping');
  }
  if (enabled !== undefined && typeof enabled !== 'boolean')
    problems.add(`${at}.enabled`, 'must be true or false');
}
