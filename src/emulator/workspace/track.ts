/**
 * Events, page views, screens and content events (`viewed_content` / `clicked_content`): one
 * activity entry on the person (created if new, as Customer.io does for an event naming an
 * unknown person) or on the anonymous profile, or on the person who claimed that anonymous_id.
 */
import { anonymousProfile, record } from './activity.js';
import { ownerOf } from './anonymous.js';
import type { Activity } from './model.js';
import type { TrackOp } from './operations.js';
import { personFor, resolveForWrite } from './people.js';
import type { Context, Prepared } from './prepared.js';
import { cloneJson, isFailure } from './util.js';

function entryOf(op: TrackOp, now: number): Activity {
  return {
    kind: op.kind,
    name: op.name,
    ...(op.id !== undefined && { id: op.id }),
    data: cloneJson(op.data),
    timestamp: op.timestamp ?? now,
  };
}

export function prepareTrack(ctx: Context, op: TrackOp): Prepared {
  const { state, now } = ctx;
  const target = op.target;
  if (target.kind === 'anonymous_id') {
    return () => {
      const owner = ownerOf(state, target.value);
      if (owner) {
        if (record(owner.activity, entryOf(op, now))) owner.updatedAt = now;
      } else {
        record(anonymousProfile(state, target.value).activity, entryOf(op, now));
      }
    };
  }
  const resolved = resolveForWrite(state, target, `identifiers.${target.kind}`);
  if (isFailure(resolved)) return resolved;
  return () => {
    const person = resolved.person ?? personFor(state, target, now);
    if (record(person.activity, entryOf(op, now))) person.updatedAt = now;
  };
}
