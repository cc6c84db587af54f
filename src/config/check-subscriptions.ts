/**
 * A destination's subscriptions, compiled the way the delivery engine will compile them, so that
 * trigger and mapping mistakes are found when the configuration loads, with their key paths.
 */
import { compileAction } from '../customerio/index.js';
import { compileSubscriptions } from '../pipeline/index.js';
import type { SubscriptionConfig } from '../profiles/index.js';
import { compileTrigger } from '../triggers/index.js';
import type { Loose } from './fields.js';
import type { Problems } from './problems.js';

export function checkSubscriptions(
  subscriptions: Loose<SubscriptionConfig[]>,
  path: string,
  problems: Problems,
): void {
  if (!subscriptions) return;
  const seen = new Map<string, number>();
  subscriptions.forEach((s, i) => {
    const at = `${path}[${i}]`;
    if (!s) return;
    if (s.name !== undefined) {
      const first = seen.get(s.name);
      if (first === undefined) seen.set(s.name, i);
      else
        problems.add(
          `${at}.name`,
          `"${s.name}" is already the name of ${path}[${first}]; names must be unique`,
        );
    }
    // compileSubscriptions stops at the first mistake; compiling each part here finds them all.
    if (s.enabled === false) return;
    if (s.trigger !== undefined)
      problems.attempt(`${at}.trigger`, () => compileTrigger(s.trigger!, { path: `${at}.trigger` }));
    if (s.action !== undefined) problems.attempt(at, () => compileAction(s.action!, s.mapping, { path: at }));
  });
  // The engine's own compiler has the last word, for any rule it has that the above lacks
  // (when nothing was found already: it would report the first of the same mistakes again).
  if (!problems.hasAt(path)) {
    problems.attempt(path, () => compileSubscriptions(subscriptions as SubscriptionConfig[], { path }));
  }
}
