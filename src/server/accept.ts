/**
 * One pass over a request's events: validate (which also normalises ids), decide destinations
 * (`integrations`), fill in the server's fields, serialise, and map for delivery when the store keeps
 * the result (ingest-mapping.ts). Invalid events are collected with their index; valid ones are
 * ready for `store.append`. No logging, no second parse: this loop is the ingest hot path.
 */
import { validateEvent } from '../events/index.js';
import type { NewEvent } from '../store/types.js';
import type { Preparer } from './ingest-mapping.js';
import { allowsCustomerIo } from './integrations.js';
import type { Arrival } from './normalise.js';
import { toNewEvent } from './normalise.js';
import type { RejectedEvent } from './responses.js';

export interface Accepted {
  events: NewEvent[];
  rejected: RejectedEvent[];
  /** True when at least one event has a destination (the delivery workers need waking). */
  routed: boolean;
}

const NOWHERE: readonly string[] = Object.freeze([]);

export function acceptEvents(
  raw: readonly unknown[],
  arrival: Arrival,
  destinations: readonly string[],
  prepare?: Preparer,
): Accepted {
  const events: NewEvent[] = [];
  const rejected: RejectedEvent[] = [];
  let routed = false;
  for (let index = 0; index < raw.length; index++) {
    const result = validateEvent(raw[index]);
    if (!result.ok) {
      rejected.push({ index, code: result.error.code, message: result.error.message });
      continue;
    }
    const targets =
      destinations.length > 0 && allowsCustomerIo(result.event.integrations) ? destinations : NOWHERE;
    if (targets.length > 0) routed = true;
    const event = toNewEvent(result.event, arrival, targets);
    // Mapped after serialising: what ingest maps is exactly what the store keeps.
    if (prepare !== undefined && targets.length > 0) event.prepared = prepare(result.event, targets);
    events.push(event);
  }
  return { events, rejected, routed };
}
