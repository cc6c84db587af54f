/**
 * Person identify: resolve the identity (identity.ts), check suppression and the 300-attribute
 * limit after applying, then write identifiers, attributes, relationships and the anonymous claim.
 * Every identify is logged as an `identified` activity holding the attributes as sent.
 */
import { LIMITS } from '../contract.js';
import { anonymousProfile } from './activity.js';
import { claimAnonymous, ownerOf } from './anonymous.js';
import { applyTimedWrites } from './attributes.js';
import { keysAfter } from './fields.js';
import { resolveIdentity } from './identity.js';
import type { Person } from './model.js';
import { checkObjectWrite, objectFor, relate } from './objects.js';
import type { IdentifyOp, PersonKey } from './operations.js';
import { createPerson, isSuppressed, setEmail, setId, suppressedFailure } from './people.js';
import { type Context, NOTHING, type Prepared } from './prepared.js';
import { type Failure, fail, isFailure, normaliseEmail } from './util.js';

function tooMany(count: number): Failure {
  return fail(
    'too_many',
    'attributes',
    `A person may have at most ${LIMITS.attributesPerPerson} attributes; this identify would give them ${count}.`,
  );
}

function checkCount(
  attributes: ReadonlyMap<string, unknown> | undefined,
  op: IdentifyOp,
): Failure | undefined {
  const keys = keysAfter(attributes?.keys() ?? [], op.attributes);
  return keys.size > LIMITS.attributesPerPerson ? tooMany(keys.size) : undefined;
}

function checkRelationships(ctx: Context, op: IdentifyOp): Failure | undefined {
  for (const link of op.relationships) {
    const failure = checkObjectWrite(ctx.state, link.object, [], `${link.field}.identifiers`);
    if (failure) return failure;
  }
  return undefined;
}

export function prepareIdentify(ctx: Context, op: IdentifyOp): Prepared {
  const { state, now } = ctx;
  const target = op.target;
  if (target.kind === 'anonymous_id') return prepareAnonymousIdentify(ctx, op, target.value);

  const keys: [PersonKey, string][] = [[target, `identifiers.${target.kind}`]];
  if (op.newId !== undefined) keys.push([{ kind: 'id', value: op.newId }, 'attributes.id']);
  if (op.newEmail !== undefined) keys.push([{ kind: 'email', value: op.newEmail }, 'attributes.email']);
  for (const [key, field] of keys) {
    if (isSuppressed(state, key)) return suppressedFailure(key, field);
  }
  const plan = resolveIdentity(state, target, op.newId, op.newEmail);
  if (isFailure(plan)) return plan;
  // `_update: true` only updates: a person who would be created is left alone.
  if (plan.person === undefined && op.updateOnly) return NOTHING;
  const failure = checkCount(plan.person?.attributes, op) ?? checkRelationships(ctx, op);
  if (failure) return failure;

  return () => {
    let person = plan.person;
    if (person === undefined) {
      person = createPerson(state, { id: plan.id, email: plan.email }, now);
    } else {
      if (plan.id !== undefined && plan.id !== person.id) setId(state, person, plan.id);
      if (plan.email !== undefined && normaliseEmail(plan.email) !== normaliseEmail(person.email ?? '')) {
        setEmail(state, person, plan.email);
      }
    }
    writeProfile(ctx, person, op);
    for (const link of op.relationships) relate(objectFor(state, link.object), person.cioId, link.attributes);
    if (op.anonymousId !== undefined) claimAnonymous(state, person, op.anonymousId, now);
  };
}

function writeProfile(ctx: Context, person: Person, op: IdentifyOp): void {
  applyTimedWrites(person.attributes, person.attributeTimes, op.attributes, op.timestamp);
  person.activity.push({ kind: 'identified', data: op.sent, timestamp: op.timestamp ?? ctx.now });
  person.updatedAt = ctx.now;
}

/**
 * Identify with only `anonymous_id`: kept as anonymous profile data until a person claims that
 * anonymous_id (then the person is updated directly). `id`/`email` in the attributes cannot name
 * anyone here and are ignored.
 */
function prepareAnonymousIdentify(ctx: Context, op: IdentifyOp, anonymousId: string): Prepared {
  const { state, now } = ctx;
  const owner = ownerOf(state, anonymousId);
  if (owner) {
    const failure = checkCount(owner.attributes, op) ?? checkRelationships(ctx, op);
    if (failure) return failure;
    return () => {
      writeProfile(ctx, owner, op);
      for (const link of op.relationships)
        relate(objectFor(state, link.object), owner.cioId, link.attributes);
    };
  }
  if (op.updateOnly && !state.anonymous.has(anonymousId)) return NOTHING;
  if (op.relationships.length > 0) {
    return fail(
      'invalid',
      'cio_relationships',
      'An anonymous person cannot be related to objects here; use an object identify_anonymous operation.',
    );
  }
  const failure = checkCount(state.anonymous.get(anonymousId)?.attributes, op);
  if (failure) return failure;
  return () => {
    const profile = anonymousProfile(state, anonymousId);
    const timestamp = op.timestamp ?? now;
    for (const [name, value] of op.attributes) {
      if (value === null) {
        profile.attributes.delete(name);
        profile.attributeTimes.delete(name);
      } else {
        profile.attributes.set(name, value);
        profile.attributeTimes.set(name, timestamp);
      }
    }
    profile.activity.push({ kind: 'identified', data: op.sent, timestamp });
  };
}
