/**
 * Merge two people (rudderstack-classic-trackapi.md §3.3, seed 004 "Merge people"): the primary
 * must exist, and so must the secondary. The primary keeps its attributes where both have one and
 * gains the secondary's others; it also gains the secondary's id or email when it has none, its
 * devices, its anonymous_ids, its relationships (the primary's own win) and its activity (merged
 * in timestamp order). The secondary is deleted.
 */
import { LIMITS } from '../contract.js';
import { mergeLogs } from './activity.js';
import { fillMissing } from './attributes.js';
import type { MergeOp } from './operations.js';
import {
  describe,
  findPerson,
  isSuppressed,
  notFoundFailure,
  removePerson,
  setEmail,
  setId,
  suppressedFailure,
} from './people.js';
import type { Context, Prepared } from './prepared.js';
import { fail } from './util.js';

export function prepareMerge(ctx: Context, op: MergeOp): Prepared {
  const { state, now } = ctx;
  for (const [key, side] of [
    [op.primary, 'primary'],
    [op.secondary, 'secondary'],
  ] as const) {
    if (isSuppressed(state, key)) return suppressedFailure(key, `${side}.${key.kind}`);
  }
  const primary = findPerson(state, op.primary);
  if (primary === undefined) {
    const failure = notFoundFailure(op.primary, `primary.${op.primary.kind}`);
    return { ...failure, message: `${failure.message} The primary person must exist before a merge.` };
  }
  const secondary = findPerson(state, op.secondary);
  if (secondary === undefined) return notFoundFailure(op.secondary, `secondary.${op.secondary.kind}`);
  if (secondary === primary) {
    return fail(
      'invalid',
      'secondary',
      `${describe(op.primary)} and ${describe(op.secondary)} are the same person; there is nothing to merge.`,
    );
  }

  return () => {
    const related = [...state.objects.values()].filter((object) => object.relationships.has(secondary.cioId));
    const relationships = related.map(
      (object) => [object, object.relationships.get(secondary.cioId)!] as const,
    );
    removePerson(state, secondary);

    if (primary.id === undefined && secondary.id !== undefined) setId(state, primary, secondary.id);
    if (primary.email === undefined && secondary.email !== undefined)
      setEmail(state, primary, secondary.email);
    fillMissing(primary.attributes, secondary.attributes, LIMITS.attributesPerPerson);
    for (const [token, device] of secondary.devices) {
      primary.devices.set(token, device);
      state.byToken.set(token, primary.cioId);
    }
    for (const anonymousId of secondary.anonymousIds) {
      primary.anonymousIds.push(anonymousId);
      state.anonymousOwner.set(anonymousId, primary.cioId);
    }
    for (const [object, attributes] of relationships) {
      if (!object.relationships.has(primary.cioId)) object.relationships.set(primary.cioId, attributes);
    }
    mergeLogs(primary.activity, secondary.activity);
    primary.activity.push({
      kind: 'merged',
      data: {
        secondary: {
          cio_id: secondary.cioId,
          ...(secondary.id !== undefined && { id: secondary.id }),
          ...(secondary.email !== undefined && { email: secondary.email }),
        },
      },
      timestamp: op.timestamp ?? now,
    });
    primary.updatedAt = now;
  };
}
