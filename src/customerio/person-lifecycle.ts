import { personOperation } from './bodies.js';
import type { ActionDef, ActionKey, FieldDef } from './fields.js';

/** Delete, Suppress and Unsuppress Person: one person id, no other data. */
export function personLifecycleAction(
  key: ActionKey,
  title: string,
  description: string,
  v2action: string,
  defaultTrigger: string,
  personId: FieldDef,
): ActionDef {
  return {
    key,
    title,
    description,
    defaultTrigger,
    endpoint: 'v2',
    fields: { person_id: personId },
    build(p) {
      return personOperation(this, v2action, { person_id: p['person_id'] as string }, {}, 'a person id');
    },
  };
}
