/**
 * Activity logs of people and anonymous profiles.
 *
 * Event de-duplication: Customer.io drops an event whose `id` it has already seen for the same
 * person (rudderstack-classic-trackapi.md §3.3, "id: ULID (dedupe)"). The emulator records the
 * first one and silently ignores repeats (the request still succeeds, as it does in Customer.io);
 * events, page views, screens and content events share one id space per person.
 */
import type { Activity, AnonymousProfile, State } from './model.js';

/**
 * The event ids of each log, built on first use so a long log is not scanned for every event.
 * Entries carrying an id enter a log only through `record` and `mergeLogs`, which keep this in step;
 * other entries (identified, device_*, merged) have no id.
 */
const eventIds = new WeakMap<Activity[], Set<string>>();

function idsOf(log: Activity[]): Set<string> {
  let ids = eventIds.get(log);
  if (ids === undefined) {
    ids = new Set();
    for (const entry of log) if (entry.id !== undefined) ids.add(entry.id);
    eventIds.set(log, ids);
  }
  return ids;
}

/** Append to a log unless an entry with the same event id is already there; true if appended. */
export function record(log: Activity[], entry: Activity): boolean {
  if (entry.id !== undefined) {
    const ids = idsOf(log);
    if (ids.has(entry.id)) return false;
    ids.add(entry.id);
  }
  log.push(entry);
  return true;
}

/**
 * Merge `incoming` (an anonymous profile's or a merged person's log) into `log`, in timestamp
 * order, dropping repeated event ids (the entry already in `log` wins). At equal timestamps the
 * incoming entries come first: they are what happened before the person was known.
 */
export function mergeLogs(log: Activity[], incoming: readonly Activity[]): void {
  const ids = idsOf(log);
  const kept: Activity[] = [];
  for (const entry of incoming) {
    if (entry.id !== undefined) {
      if (ids.has(entry.id)) continue;
      ids.add(entry.id);
    }
    kept.push(entry);
  }
  const merged = [...kept, ...log].sort((a, b) => a.timestamp - b.timestamp);
  // Refill in place (no spread into splice: a long log would exceed the argument limit).
  log.length = 0;
  for (const entry of merged) log.push(entry);
}

export function anonymousProfile(state: State, anonymousId: string): AnonymousProfile {
  let profile = state.anonymous.get(anonymousId);
  if (profile === undefined) {
    profile = { activity: [], attributes: new Map(), attributeTimes: new Map(), pending: [] };
    state.anonymous.set(anonymousId, profile);
  }
  return profile;
}
