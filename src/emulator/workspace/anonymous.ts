/**
 * Anonymous profiles and their merge into a person.
 *
 * Activity sent with only an `anonymous_id` is kept under that id. When a person is identified
 * with `attributes.anonymous_id`, the person claims it: activity from the last 30 days (measured
 * from each entry's timestamp to the moment of the merge) moves to the person, older activity is
 * dropped, anonymous attributes written in the window fill in attributes the person does not have,
 * and object relationships sent with `identify_anonymous` are applied (whatever their age: seed
 * 001 says the group call waits until the person is identified).
 *
 * After the claim, later operations addressed to that anonymous_id go to the person. If another
 * person is identified with the same anonymous_id (a shared device), the id moves to them for
 * future activity; what was already merged stays where it is.
 */
import { LIMITS } from '../contract.js';
import { mergeLogs } from './activity.js';
import { applyWrites } from './attributes.js';
import type { Person, State } from './model.js';
import { objectFor, relate } from './objects.js';

export function ownerOf(state: State, anonymousId: string): Person | undefined {
  const cioId = state.anonymousOwner.get(anonymousId);
  return cioId === undefined ? undefined : state.people.get(cioId);
}

export function claimAnonymous(state: State, person: Person, anonymousId: string, now: number): void {
  const previous = ownerOf(state, anonymousId);
  if (previous === person) return;
  if (previous) previous.anonymousIds = previous.anonymousIds.filter((id) => id !== anonymousId);
  person.anonymousIds.push(anonymousId);
  state.anonymousOwner.set(anonymousId, person.cioId);

  const profile = state.anonymous.get(anonymousId);
  if (profile === undefined) return;
  state.anonymous.delete(anonymousId);

  const cutoff = now - LIMITS.anonymousMergeWindowSeconds;
  const kept = profile.activity.filter((entry) => entry.timestamp >= cutoff);
  mergeLogs(person.activity, kept);
  for (const [name, value] of profile.attributes) {
    const written = profile.attributeTimes.get(name) ?? now;
    if (written < cutoff || person.attributes.has(name)) continue;
    if (person.attributes.size >= LIMITS.attributesPerPerson) break;
    person.attributes.set(name, value);
  }
  for (const pending of profile.pending) {
    const object = objectFor(state, { kind: 'type_id', typeId: pending.typeId, objectId: pending.objectId });
    applyWrites(object.attributes, pending.objectAttributes);
    relate(object, person.cioId, pending.relationshipAttributes);
  }
  person.activity.push({
    kind: 'anonymous_merged',
    data: {
      anonymous_id: anonymousId,
      merged: kept.length,
      dropped: profile.activity.length - kept.length,
      relationships: profile.pending.length,
    },
    timestamp: now,
  });
}
