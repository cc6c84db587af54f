/**
 * The workspace's internal state. Maps everywhere: keys come from input and must never meet an
 * object prototype. Views (`views.ts`) and snapshots (`snapshot.ts`) convert this to plain JSON.
 */
import type { MetricView } from '../contract.js';

export interface Activity {
  kind: string;
  name?: string;
  id?: string;
  data?: Record<string, unknown>;
  /** Unix seconds. */
  timestamp: number;
}

export interface Device {
  token: string;
  platform: string;
  lastUsed?: number;
  attributes: Map<string, unknown>;
}

export interface Person {
  cioId: string;
  id?: string;
  email?: string;
  anonymousIds: string[];
  attributes: Map<string, unknown>;
  /**
   * The `_timestamp` of the last timestamped write of each attribute. Customer.io uses
   * `_timestamp` to order rapid updates: an older timestamped write does not overwrite a newer one.
   */
  attributeTimes: Map<string, number>;
  devices: Map<string, Device>;
  activity: Activity[];
  createdAt: number;
  updatedAt: number;
}

export interface WorkspaceObject {
  typeId: string;
  objectId: string;
  cioObjectId: string;
  attributes: Map<string, unknown>;
  /** Related people: cio_id → relationship attributes. */
  relationships: Map<string, Map<string, unknown>>;
}

/** An object relationship sent for an anonymous person (`identify_anonymous`), applied on identify. */
export interface PendingRelationship {
  typeId: string;
  objectId: string;
  objectAttributes: [string, unknown][];
  relationshipAttributes: [string, unknown][];
  timestamp: number;
}

/**
 * What is known about an anonymous_id not yet identified: its activity, the attributes of
 * anonymous identify calls (each with when it was written, for the 30-day merge window) and
 * object relationships waiting for the person.
 */
export interface AnonymousProfile {
  activity: Activity[];
  attributes: Map<string, unknown>;
  attributeTimes: Map<string, number>;
  pending: PendingRelationship[];
}

/** One suppressed person: every identifier it had is blocked until unsuppressed. */
export interface Suppression {
  id?: string;
  /** Lower-cased. */
  email?: string;
  cioId?: string;
}

export interface State {
  people: Map<string, Person>;
  byId: Map<string, string>;
  /** Lower-cased email → cio_id: email identifiers are case-insensitive. */
  byEmail: Map<string, string>;
  /** Device token → cio_id: a token belongs to one person at a time. */
  byToken: Map<string, string>;
  /** anonymous_id → cio_id of the person identified with it. */
  anonymousOwner: Map<string, string>;
  anonymous: Map<string, AnonymousProfile>;
  objects: Map<string, WorkspaceObject>;
  /** `${object_type_id}\u0000${object_id}` → cio_object_id. */
  objectKeys: Map<string, string>;
  suppressions: Suppression[];
  metrics: MetricView[];
  nextPerson: number;
  nextObject: number;
}

/** Person cio_ids look like Customer.io's (`a3000001`): a hex counter, deterministic for tests. */
export const FIRST_PERSON = 0xa3000001;
export const FIRST_OBJECT = 0xb0000001;

export function emptyState(): State {
  return {
    people: new Map(),
    byId: new Map(),
    byEmail: new Map(),
    byToken: new Map(),
    anonymousOwner: new Map(),
    anonymous: new Map(),
    objects: new Map(),
    objectKeys: new Map(),
    suppressions: [],
    metrics: [],
    nextPerson: FIRST_PERSON,
    nextObject: FIRST_OBJECT,
  };
}

export function objectKey(typeId: string, objectId: string): string {
  return `${typeId}\u0000${objectId}`;
}
