/**
 * Objects (Customer.io's non-person entities) by (object_type_id, object_id) with a generated
 * cio_object_id, and their relationships with people. A relationship lives on the object, keyed
 * by the person's cio_id, so deleting an object removes its relationships with it.
 */
import { LIMITS } from '../contract.js';
import { applyWrites } from './attributes.js';
import { keysAfter } from './fields.js';
import { fitsJson } from './json-size.js';
import { objectKey, type State, type WorkspaceObject } from './model.js';
import type { AttributeWrites, ObjectKey } from './operations.js';
import { type Failure, fail } from './util.js';

/** Objects may hold at most 100 KB of attributes in total (§3.5). */
const OBJECT_ATTRIBUTE_BYTES = 100 * 1024;

export function findObject(state: State, key: ObjectKey): WorkspaceObject | undefined {
  const cio =
    key.kind === 'cio_object_id' ? key.value : state.objectKeys.get(objectKey(key.typeId, key.objectId));
  return cio === undefined ? undefined : state.objects.get(cio);
}

export function describeObject(key: ObjectKey): string {
  return key.kind === 'cio_object_id'
    ? `cio_object_id "${key.value}"`
    : `object_type_id "${key.typeId}" and object_id "${key.objectId}"`;
}

/**
 * Check an object write without applying it: an object named by cio_object_id must exist (it
 * cannot be created that way), and the attributes after the write must stay within the limits.
 */
export function checkObjectWrite(
  state: State,
  key: ObjectKey,
  writes: AttributeWrites,
  field: string,
): Failure | undefined {
  const object = findObject(state, key);
  if (object === undefined && key.kind === 'cio_object_id') {
    return fail('not_found', `${field}.cio_object_id`, `No object has ${describeObject(key)}.`);
  }
  const keys = keysAfter(object?.attributes.keys() ?? [], writes);
  if (keys.size > LIMITS.attributesPerPerson) {
    return fail(
      'too_many',
      'attributes',
      `An object may have at most ${LIMITS.attributesPerPerson} attributes; this would give it ${keys.size}.`,
    );
  }
  const after = new Map(object?.attributes);
  applyWrites(after, writes);
  if (!fitsJson(Object.fromEntries(after), OBJECT_ATTRIBUTE_BYTES)) {
    return fail('too_long', 'attributes', 'An object may hold at most 100 KB of attributes.');
  }
  return undefined;
}

/** Find or create (callers have run `checkObjectWrite`, so a cio_object_id key exists). */
export function objectFor(state: State, key: ObjectKey): WorkspaceObject {
  const found = findObject(state, key);
  if (found) return found;
  if (key.kind === 'cio_object_id') throw new Error(`object ${key.value} vanished between check and apply`);
  const cioObjectId = state.nextObject.toString(16);
  state.nextObject += 1;
  const object: WorkspaceObject = {
    typeId: key.typeId,
    objectId: key.objectId,
    cioObjectId,
    attributes: new Map(),
    relationships: new Map(),
  };
  state.objects.set(cioObjectId, object);
  state.objectKeys.set(objectKey(key.typeId, key.objectId), cioObjectId);
  return object;
}

/** Relate a person to an object; an existing relationship has its attributes updated. */
export function relate(object: WorkspaceObject, cioId: string, writes: AttributeWrites): void {
  let attributes = object.relationships.get(cioId);
  if (attributes === undefined) {
    attributes = new Map();
    object.relationships.set(cioId, attributes);
  }
  applyWrites(attributes, writes);
}

export function removeObject(state: State, object: WorkspaceObject): void {
  state.objects.delete(object.cioObjectId);
  state.objectKeys.delete(objectKey(object.typeId, object.objectId));
}
