/**
 * Activity logs of people and anonymous profiles.
 *
 * Event de-duplication: Customer.io drops an event whose `id` it has already seen for the same
 * person (rudderstack-classic-trackapi.md §3.3, "id: ULID (dedupe)"). The emulator records the
 * first one and silently ignores repeats (the request still succeeds, as it does in Customer.io);
 * events, page views, screens and content events share one id space per person.
 */
import type { Activity, AnonymousProfile, State } from './model.js';

export function hasEventId(log: readonly Activity[], id: string): boolean {
  return log.some((entry) => entry.id === id);
}

/** Append to a log unless an entry with the same event id is already there; true if appended. */
export function record(log: Activity[], entry: Activity): boolean {
  if (entry.id !== undefined && hasEventId(log, entry.id)) return false;
  log.push(entry);
  return true;
}

/**
 * Merge `incoming` (an anonymous profile's or a merged person's log) into `log`, in timestamp
 * order, dropping repeated event ids (the entry already in `log` wins). At equal timestamps the
 * incoming entries come first: they are what happened before the person was known.
 */
export function mergeLogs(log: Activity[], incoming: readonly Activity[]): void {
  const kept: Activity[] = [];
  for (const entry of incoming) {
    if (entry.id !== undefined && (hasEventId(log, entry.id) || hasEventId(kept, entry.id))) continue;
    kept.push(entry);
  }
  const merged = [...kept, ...log].sort((a, b) => a.timestamp - b.timestamp);
  log.splice(0, log.length, ...merged);
}

export function anonymousProfile(state: State, anonymousId: string): AnonymousProfile {
  let profile = state.anonymous.get(anonymousId);
  if (profile === undefined) {
    profile = { activity: [], attributes: new Map(), attributeTimes: new Map(), pending: [] };
    state.anonymous.set(anonymousId, profile);
  }
  return profile;
}
