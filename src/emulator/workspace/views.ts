/**
 * Read-only views of the state, shaped by the contract. Every view is a fresh copy: changing it
 * never changes the workspace, and later operations never change a view already handed out.
 */
import type { ActivityView, DeviceView, ObjectView, PersonView } from '../contract.js';
import type { Activity, AnonymousProfile, Device, Person, State, WorkspaceObject } from './model.js';
import { cloneJson, recordOf } from './util.js';

export function activityView(entry: Activity): ActivityView {
  return {
    kind: entry.kind,
    ...(entry.name !== undefined && { name: entry.name }),
    ...(entry.id !== undefined && { id: entry.id }),
    ...(entry.data !== undefined && { data: cloneJson(entry.data) }),
    timestamp: entry.timestamp,
  };
}

function deviceView(device: Device): DeviceView {
  return {
    token: device.token,
    platform: device.platform,
    ...(device.lastUsed !== undefined && { last_used: device.lastUsed }),
    attributes: recordOf(device.attributes),
  };
}

export function personView(state: State, person: Person): PersonView {
  const relationships: PersonView['relationships'] = [];
  for (const object of state.objects.values()) {
    const attributes = object.relationships.get(person.cioId);
    if (attributes === undefined) continue;
    relationships.push({
      object_type_id: object.typeId,
      object_id: object.objectId,
      attributes: recordOf(attributes),
    });
  }
  return {
    cio_id: person.cioId,
    ...(person.id !== undefined && { id: person.id }),
    ...(person.email !== undefined && { email: person.email }),
    anonymous_ids: [...person.anonymousIds],
    attributes: recordOf(person.attributes),
    devices: [...person.devices.values()].map(deviceView),
    relationships,
    activity: person.activity.map(activityView),
    created_at: person.createdAt,
    updated_at: person.updatedAt,
  };
}

export function objectView(object: WorkspaceObject): ObjectView {
  return {
    object_type_id: object.typeId,
    object_id: object.objectId,
    cio_object_id: object.cioObjectId,
    attributes: recordOf(object.attributes),
    relationships: [...object.relationships].map(([cioId, attributes]) => ({
      cio_id: cioId,
      attributes: recordOf(attributes),
    })),
  };
}

/**
 * An anonymous profile's activity, followed by its waiting object relationships as
 * `relationship_pending` entries so that an inspector can see them.
 */
export function anonymousView(profile: AnonymousProfile): ActivityView[] {
  return [
    ...profile.activity.map(activityView),
    ...profile.pending.map((pending) => ({
      kind: 'relationship_pending',
      data: {
        object_type_id: pending.typeId,
        object_id: pending.objectId,
        object_attributes: Object.fromEntries(cloneJson(pending.objectAttributes)),
        relationship_attributes: Object.fromEntries(cloneJson(pending.relationshipAttributes)),
      },
      timestamp: pending.timestamp,
    })),
  ];
}
