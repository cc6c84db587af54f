/**
 * Object operations and person<->object relationships, from either side.
 * - object identify creates or updates the object and relates the listed people (each created if
 *   new, like an event naming a new person).
 * - person add_relationships creates the object if it does not exist yet.
 * - objects named by cio_object_id, and people named by cio_id, must exist.
 * - deleting an object, a relationship, or something that does not exist changes nothing else.
 * - identify_anonymous waits for the anonymous person (anonymous.ts): the object itself is not
 *   created or changed until then (seed 001, "Group calls and anonymous people").
 */
import { anonymousProfile } from './activity.js';
import { ownerOf } from './anonymous.js';
import { applyWrites } from './attributes.js';
import { checkObjectWrite, findObject, objectFor, relate, removeObject } from './objects.js';
import type {
  ObjectDeleteOp,
  ObjectIdentifyAnonymousOp,
  ObjectIdentifyOp,
  ObjectRelationshipsOp,
  PersonKey,
  PersonLink,
  PersonRelationshipsOp,
} from './operations.js';
import { findPerson, isSuppressed, personFor, resolveForWrite, suppressedFailure } from './people.js';
import { type Context, NOTHING, type Prepared } from './prepared.js';
import { type Failure, isFailure } from './util.js';

/** Resolve the people of object-side links, refusing suppressed identifiers and unknown cio_ids. */
function checkPeople(ctx: Context, links: PersonLink[]): Failure | undefined {
  for (const link of links) {
    const resolved = resolveForWrite(ctx.state, link.person, `${link.field}.identifiers.${link.person.kind}`);
    if (isFailure(resolved)) return resolved;
  }
  return undefined;
}

function relatePeople(ctx: Context, op: { object: ObjectIdentifyOp['object'] }, links: PersonLink[]): void {
  const object = objectFor(ctx.state, op.object);
  for (const link of links) {
    const person = personFor(ctx.state, link.person, ctx.now);
    relate(object, person.cioId, link.attributes);
    person.updatedAt = ctx.now;
  }
}

export function prepareObjectIdentify(ctx: Context, op: ObjectIdentifyOp): Prepared {
  const failure =
    checkObjectWrite(ctx.state, op.object, op.attributes, 'identifiers') ??
    checkPeople(ctx, op.relationships);
  if (failure) return failure;
  return () => {
    applyWrites(objectFor(ctx.state, op.object).attributes, op.attributes);
    relatePeople(ctx, op, op.relationships);
  };
}

export function prepareObjectIdentifyAnonymous(ctx: Context, op: ObjectIdentifyAnonymousOp): Prepared {
  const { state, now } = ctx;
  const failure = checkObjectWrite(state, op.object, op.attributes, 'identifiers');
  if (failure) return failure;
  return () => {
    // A cio_object_id has been checked to exist, so the pending entry can name the object by type and id.
    const existing = findObject(state, op.object);
    const key =
      op.object.kind === 'type_id'
        ? { typeId: op.object.typeId, objectId: op.object.objectId }
        : { typeId: existing!.typeId, objectId: existing!.objectId };
    for (const link of op.anonymous) {
      const owner = ownerOf(state, link.anonymousId);
      if (owner) {
        const object = objectFor(state, op.object);
        applyWrites(object.attributes, op.attributes);
        relate(object, owner.cioId, link.attributes);
        continue;
      }
      const profile = anonymousProfile(state, link.anonymousId);
      profile.pending.push({
        ...key,
        objectAttributes: op.attributes,
        relationshipAttributes: link.attributes,
        timestamp: op.timestamp ?? now,
      });
    }
  };
}

export function prepareObjectDelete(ctx: Context, op: ObjectDeleteOp): Prepared {
  const object = findObject(ctx.state, op.object);
  return object ? () => removeObject(ctx.state, object) : NOTHING;
}

export function prepareObjectRelationships(ctx: Context, op: ObjectRelationshipsOp): Prepared {
  const { state } = ctx;
  if (op.add) {
    const failure =
      checkObjectWrite(state, op.object, [], 'identifiers') ?? checkPeople(ctx, op.relationships);
    if (failure) return failure;
    return () => relatePeople(ctx, op, op.relationships);
  }
  for (const link of op.relationships) {
    if (isSuppressed(state, link.person)) {
      return suppressedFailure(link.person, `${link.field}.identifiers.${link.person.kind}`);
    }
  }
  const object = findObject(state, op.object);
  if (object === undefined) return NOTHING;
  return () => {
    for (const link of op.relationships) {
      const person = findPerson(state, link.person);
      if (person) object.relationships.delete(person.cioId);
    }
  };
}

export function preparePersonRelationships(ctx: Context, op: PersonRelationshipsOp): Prepared {
  const { state, now } = ctx;
  const key: PersonKey = op.target;
  const field = `identifiers.${key.kind}`;
  if (op.add) {
    const resolved = resolveForWrite(state, key, field);
    if (isFailure(resolved)) return resolved;
    for (const link of op.relationships) {
      const failure = checkObjectWrite(state, link.object, [], `${link.field}.identifiers`);
      if (failure) return failure;
    }
    return () => {
      const person = resolved.person ?? personFor(state, key, now);
      for (const link of op.relationships)
        relate(objectFor(state, link.object), person.cioId, link.attributes);
      person.updatedAt = now;
    };
  }
  if (isSuppressed(state, key)) return suppressedFailure(key, field);
  const person = findPerson(state, key);
  if (person === undefined) return NOTHING;
  return () => {
    for (const link of op.relationships) findObject(state, link.object)?.relationships.delete(person.cioId);
    person.updatedAt = now;
  };
}
