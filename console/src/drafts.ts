/**
 * Subscriptions as the editor holds them: the mapping as the text being typed. Converting back
 * reports a mapping that is not JSON as a problem at the path the relay would use.
 */
import type { ConfigProblem, SubscriptionConfig } from './types';

export interface Draft {
  name: string;
  trigger: string;
  action: string;
  mapping: string;
  enabled: boolean;
}

export function toDraft(subscription: SubscriptionConfig): Draft {
  return {
    name: subscription.name,
    trigger: subscription.trigger,
    action: subscription.action,
    mapping: subscription.mapping === undefined ? '' : JSON.stringify(subscription.mapping, null, 2),
    enabled: subscription.enabled !== false,
  };
}

export function fromDrafts(drafts: readonly Draft[]): {
  subscriptions: SubscriptionConfig[];
  problems: ConfigProblem[];
} {
  const problems: ConfigProblem[] = [];
  const subscriptions = drafts.map((draft, i): SubscriptionConfig => {
    const { mapping: text, ...rest } = draft;
    const subscription: SubscriptionConfig = rest;
    if (text.trim() === '') return subscription;
    try {
      subscription.mapping = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      const path = `subscriptions[${i}].mapping`;
      problems.push({ path, message: `${path}: not valid JSON (${(error as Error).message})` });
    }
    return subscription;
  });
  return { subscriptions, problems };
}

/** Problems about one field (`subscriptions[1].trigger`, or under it), or about the whole subscription. */
export function problemsAt(
  problems: readonly ConfigProblem[],
  index: number,
  field?: string,
): ConfigProblem[] {
  const base = `subscriptions[${index}]`;
  if (field === undefined) return problems.filter((p) => p.path === base);
  const path = `${base}.${field}`;
  return problems.filter(
    (p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`),
  );
}
