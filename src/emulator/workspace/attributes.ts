/**
 * Applying attribute writes to a person, object, device or relationship.
 *
 * `null` (input `null` or `""`) removes an attribute. For people, `_timestamp` orders rapid
 * updates (rudderstack-classic-trackapi.md §3.3): a write carrying a timestamp older than the last
 * timestamped write of the same attribute is ignored. A write without a timestamp always applies
 * and forgets the attribute's timestamp, because Customer.io would order it by arrival.
 */
import type { AttributeWrites } from './operations.js';
import { cloneJson } from './util.js';

export function applyWrites(target: Map<string, unknown>, writes: AttributeWrites): void {
  for (const [name, value] of writes) {
    if (value === null) target.delete(name);
    else target.set(name, cloneJson(value));
  }
}

export function applyTimedWrites(
  target: Map<string, unknown>,
  times: Map<string, number>,
  writes: AttributeWrites,
  timestamp: number | undefined,
): void {
  for (const [name, value] of writes) {
    if (timestamp !== undefined) {
      const last = times.get(name);
      if (last !== undefined && timestamp < last) continue;
      times.set(name, timestamp);
    } else {
      times.delete(name);
    }
    if (value === null) target.delete(name);
    else target.set(name, cloneJson(value));
  }
}

/** Fill in attributes the target does not have (merge: the primary keeps its own values). */
export function fillMissing(
  target: Map<string, unknown>,
  source: ReadonlyMap<string, unknown>,
  max: number,
): void {
  for (const [name, value] of source) {
    if (target.has(name)) continue;
    if (target.size >= max) return;
    target.set(name, cloneJson(value));
  }
}
