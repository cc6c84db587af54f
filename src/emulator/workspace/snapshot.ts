/**
 * The whole state as JSON and back. Maps become arrays of entries (so attribute names such as
 * `__proto__` survive a round trip), and the indexes (by id, email, token, anonymous_id, object
 * key) are rebuilt from the people and objects rather than stored, so they cannot disagree.
 */
import type { MetricView } from '../contract.js';
import {
  type Activity,
  type AnonymousProfile,
  emptyState,
  objectKey,
  type PendingRelationship,
  type Person,
  type State,
  type Suppression,
  type WorkspaceObject,
} from './model.js';
import { cloneJson, isRecord, normaliseEmail } from './util.js';

export const SNAPSHOT_VERSION = 1;

type Entries = [string, unknown][];

interface PersonSnapshot {
  cio_id: string;
  id?: string;
  email?: string;
  anonymous_ids: string[];
  attributes: Entries;
  attribute_times: [string, number][];
  devices: { token: string; platform: string; last_used?: number; attributes: Entries }[];
  activity: Activity[];
  created_at: number;
  updated_at: number;
}

interface ObjectSnapshot {
  object_type_id: string;
  object_id: string;
  cio_object_id: string;
  attributes: Entries;
  relationships: [string, Entries][];
}

interface AnonymousSnapshot {
  anonymous_id: string;
  activity: Activity[];
  attributes: Entries;
  attribute_times: [string, number][];
  pending: PendingRelationship[];
}

export interface Snapshot {
  version: number;
  next_person: number;
  next_object: number;
  people: PersonSnapshot[];
  objects: ObjectSnapshot[];
  anonymous: AnonymousSnapshot[];
  suppressions: Suppression[];
  metrics: MetricView[];
}

export function takeSnapshot(state: State): Snapshot {
  return cloneJson({
    version: SNAPSHOT_VERSION,
    next_person: state.nextPerson,
    next_object: state.nextObject,
    people: [...state.people.values()].map((p) => ({
      cio_id: p.cioId,
      ...(p.id !== undefined && { id: p.id }),
      ...(p.email !== undefined && { email: p.email }),
      anonymous_ids: p.anonymousIds,
      attributes: [...p.attributes],
      attribute_times: [...p.attributeTimes],
      devices: [...p.devices.values()].map((d) => ({
        token: d.token,
        platform: d.platform,
        ...(d.lastUsed !== undefined && { last_used: d.lastUsed }),
        attributes: [...d.attributes],
      })),
      activity: p.activity,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
    })),
    objects: [...state.objects.values()].map((o) => ({
      object_type_id: o.typeId,
      object_id: o.objectId,
      cio_object_id: o.cioObjectId,
      attributes: [...o.attributes],
      relationships: [...o.relationships].map(([cioId, attributes]) => [cioId, [...attributes]]),
    })),
    anonymous: [...state.anonymous].map(([anonymousId, profile]) => ({
      anonymous_id: anonymousId,
      activity: profile.activity,
      attributes: [...profile.attributes],
      attribute_times: [...profile.attributeTimes],
      pending: profile.pending,
    })),
    suppressions: state.suppressions,
    metrics: state.metrics,
  });
}

/** Rebuild a state from a snapshot; throws on a snapshot of another shape or version. */
export function restoreSnapshot(input: unknown): State {
  if (!isRecord(input) || input['version'] !== SNAPSHOT_VERSION) {
    throw new Error(`Not a workspace snapshot of version ${SNAPSHOT_VERSION}.`);
  }
  const snapshot = cloneJson(input) as unknown as Snapshot;
  const state = emptyState();
  state.nextPerson = snapshot.next_person;
  state.nextObject = snapshot.next_object;
  for (const p of snapshot.people) {
    const person: Person = {
      cioId: p.cio_id,
      ...(p.id !== undefined && { id: p.id }),
      ...(p.email !== undefined && { email: p.email }),
      anonymousIds: p.anonymous_ids,
      attributes: new Map(p.attributes),
      attributeTimes: new Map(p.attribute_times),
      devices: new Map(
        p.devices.map((d) => [
          d.token,
          {
            token: d.token,
            platform: d.platform,
            ...(d.last_used !== undefined && { lastUsed: d.last_used }),
            attributes: new Map(d.attributes),
          },
        ]),
      ),
      activity: p.activity,
      createdAt: p.created_at,
      updatedAt: p.updated_at,
    };
    state.people.set(person.cioId, person);
    if (person.id !== undefined) state.byId.set(person.id, person.cioId);
    if (person.email !== undefined) state.byEmail.set(normaliseEmail(person.email), person.cioId);
    for (const token of person.devices.keys()) state.byToken.set(token, person.cioId);
    for (const anonymousId of person.anonymousIds) state.anonymousOwner.set(anonymousId, person.cioId);
  }
  for (const o of snapshot.objects) {
    const object: WorkspaceObject = {
      typeId: o.object_type_id,
      objectId: o.object_id,
      cioObjectId: o.cio_object_id,
      attributes: new Map(o.attributes),
      relationships: new Map(o.relationships.map(([cioId, attributes]) => [cioId, new Map(attributes)])),
    };
    state.objects.set(object.cioObjectId, object);
    state.objectKeys.set(objectKey(object.typeId, object.objectId), object.cioObjectId);
  }
  for (const a of snapshot.anonymous) {
    const profile: AnonymousProfile = {
      activity: a.activity,
      attributes: new Map(a.attributes),
      attributeTimes: new Map(a.attribute_times),
      pending: a.pending,
    };
    state.anonymous.set(a.anonymous_id, profile);
  }
  state.suppressions = snapshot.suppressions;
  state.metrics = snapshot.metrics;
  return state;
}
