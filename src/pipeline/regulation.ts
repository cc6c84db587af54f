/**
 * Regulations (GDPR/CCPA): an operator's order to delete or suppress a person in every workspace.
 * The admin API stores one as an event of type `regulation` and queues it like any other event, so
 * it is retried, paused and dead-lettered by the same rules and survives a restart. Ingest can never
 * store such an event (validation accepts only the six Segment types), so only the admin token
 * creates one. Delivery sends it as Delete Person or Suppress Person whatever the destination's
 * subscriptions and filter rules say: an erasure must not depend on how events are mapped.
 */
import { type BuildContext, type CompiledAction, compileAction } from '../customerio/index.js';
import type { Routed } from './router.js';

export const REGULATION_TYPES = ['delete', 'suppress'] as const;
export type RegulationType = (typeof REGULATION_TYPES)[number];

export const REGULATION_EVENT_TYPE = 'regulation';

/** The stored event of a regulation (what the delivery log and dead letters show). */
export interface RegulationEvent {
  type: typeof REGULATION_EVENT_TYPE;
  regulation: RegulationType;
  userId: string;
  messageId: string;
  timestamp: string;
}

// The person is addressed as the relay's identify addressed them: the userId, as an email or cio_id
// identifier when it is one (personIdentifier), else as an id.
const MAPPING = { person_id: { '@path': '$.userId' } };
const ACTIONS: Record<RegulationType, CompiledAction> = {
  delete: compileAction('deletePerson', MAPPING),
  suppress: compileAction('suppressPerson', MAPPING),
};

export function regulationEvent(
  regulation: RegulationType,
  userId: string,
  messageId: string,
  at: number,
): RegulationEvent {
  return {
    type: REGULATION_EVENT_TYPE,
    regulation,
    userId,
    messageId,
    timestamp: new Date(at).toISOString(),
  };
}

/** The operation a stored regulation sends; undefined for any other event (route it normally). */
export function routeRegulation(
  event: Readonly<Record<string, unknown>>,
  context: BuildContext,
): Routed[] | undefined {
  if (event['type'] !== REGULATION_EVENT_TYPE) return undefined;
  const action = ACTIONS[event['regulation'] as RegulationType] as CompiledAction | undefined;
  if (action === undefined) return [];
  return [{ subscription: 'regulation', action: action.action.key, result: action.run(event, context) }];
}
