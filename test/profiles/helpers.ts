/** Run events through a profile the way the relay does: ingest validation, then routing. */
import { isOperation } from '../../src/customerio/index.js';
import { validateEvent } from '../../src/events/index.js';
import { compileSubscriptions, filterReason, route } from '../../src/pipeline/index.js';
import { destinationRoutes, type Profile } from '../../src/profiles/index.js';

/** 2019-10-14T11:15:18.300Z, RudderStack's fixture time (rudderstack-classic-trackapi.md §1.6). */
export const TIME = '2019-10-14T11:15:18.300Z';
export const SECONDS = 1571051718;

/** What one event becomes: v2 operation bodies and rejection codes, or why it is not sent. */
export type Outcome =
  | { invalid: string }
  | { filtered: string }
  | { unmatched: true }
  | { sent: (Record<string, unknown> | { rejected: string })[] };

export function profileRouter(profile: Profile, settings?: Record<string, unknown>) {
  const compiled = compileSubscriptions(destinationRoutes(profile, settings));
  const context = { now: () => 0 };
  return (input: Record<string, unknown>): Outcome => {
    const validated = validateEvent(structuredClone(input));
    if (!validated.ok) return { invalid: validated.error.code };
    const event = validated.event as unknown as Record<string, unknown>;
    const routed = route(event, compiled, context);
    if (routed.length === 0) {
      const reason = filterReason(event, compiled);
      return reason === undefined ? { unmatched: true } : { filtered: reason };
    }
    return {
      sent: routed.map(({ result }) =>
        isOperation(result) ? (result.body as Record<string, unknown>) : { rejected: result.code },
      ),
    };
  };
}

/** A person operation's body as the actions build it (keys in their order, identifiers last). */
export function person(
  action: string,
  identifiers: Record<string, unknown>,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return { type: 'person', action, ...fields, identifiers };
}

export function sent(...bodies: (Record<string, unknown> | { rejected: string })[]): Outcome {
  return { sent: bodies };
}

/** A merge operation (alias). */
export function merge(primary: Record<string, string>, secondary: Record<string, string>) {
  return { type: 'person', action: 'merge', primary, secondary };
}

export type Row = [label: string, event: Record<string, unknown>, expected: Outcome];

/** §4 #2, #6, #7: events the Segment spec forbids never reach a profile. */
export function refusedAtIngest(profile: string): Row[] {
  return [
    [
      `${profile} (§4 #2): an unknown type is refused at ingest`,
      { type: 'purchase', userId: 'u1' },
      { invalid: 'invalid_type' },
    ],
    [
      `${profile} (§4 #6): a track without event is refused at ingest`,
      { type: 'track', userId: 'u1' },
      { invalid: 'missing_field' },
    ],
    [
      `${profile} (§4 #7): an event without userId and anonymousId is refused at ingest`,
      { type: 'track', event: 'X' },
      { invalid: 'missing_identifier' },
    ],
  ];
}
