/**
 * Devices (push tokens) of a person: platform ios|android, last_used (defaults to when the
 * request arrived), attributes. Re-adding a token updates it. A token belongs to one person at a
 * time: adding it to another person moves it (the first person's log says `device_deleted`).
 */
import { applyWrites } from './attributes.js';
import type { Device, Person } from './model.js';
import type { DeleteDeviceOp, DeviceOp } from './operations.js';
import { findPerson, isSuppressed, personFor, resolveForWrite, suppressedFailure } from './people.js';
import { type Context, NOTHING, type Prepared } from './prepared.js';
import { isFailure } from './util.js';

function dropDevice(person: Person, token: string, timestamp: number): void {
  const device = person.devices.get(token);
  if (device === undefined) return;
  person.devices.delete(token);
  person.activity.push({
    kind: 'device_deleted',
    data: { token, platform: device.platform },
    timestamp,
  });
}

export function prepareAddDevice(ctx: Context, op: DeviceOp): Prepared {
  const { state, now } = ctx;
  const resolved = resolveForWrite(state, op.target, `identifiers.${op.target.kind}`);
  if (isFailure(resolved)) return resolved;
  return () => {
    const person = resolved.person ?? personFor(state, op.target, now);
    const timestamp = op.timestamp ?? now;
    const ownerId = state.byToken.get(op.token);
    const owner = ownerId === undefined ? undefined : state.people.get(ownerId);
    if (owner && owner !== person) {
      dropDevice(owner, op.token, timestamp);
      owner.updatedAt = now;
    }
    const existing = person.devices.get(op.token);
    const device: Device = existing ?? { token: op.token, platform: op.platform, attributes: new Map() };
    device.platform = op.platform;
    device.lastUsed = op.lastUsed ?? now;
    applyWrites(device.attributes, op.attributes);
    person.devices.set(op.token, device);
    state.byToken.set(op.token, person.cioId);
    person.activity.push({
      kind: existing ? 'device_updated' : 'device_added',
      data: { token: op.token, platform: op.platform },
      timestamp,
    });
    person.updatedAt = now;
  };
}

/** Deleting a device nobody has, or of a person who does not exist, changes nothing. */
export function prepareDeleteDevice(ctx: Context, op: DeleteDeviceOp): Prepared {
  const { state, now } = ctx;
  if (isSuppressed(state, op.target)) return suppressedFailure(op.target, `identifiers.${op.target.kind}`);
  const person = findPerson(state, op.target);
  if (person === undefined || !person.devices.has(op.token)) return NOTHING;
  return () => {
    dropDevice(person, op.token, op.timestamp ?? now);
    state.byToken.delete(op.token);
    person.updatedAt = now;
  };
}
