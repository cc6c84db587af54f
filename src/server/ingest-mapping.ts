/**
 * Ingest's half of prepared operations (pipeline/prepared.ts): each accepted event is mapped for its
 * destinations here, where it is parsed already, and the result is stored with it, so delivery (the
 * relay's busiest thread) sends it without parsing and mapping it again. A destination's
 * subscriptions are compiled once per configuration: the subscriptions editor and a reload replace
 * the array, which compiles the new one.
 */
import type { DestinationConfig, RelayConfig } from '../config/types.js';
import type { SegmentEvent } from '../events/index.js';
import { type MappedEvent, mapEvent } from '../pipeline/mapped-event.js';
import {
  compileDestinationMapping,
  type DestinationMapping,
  encodePrepared,
  type PreparedSection,
} from '../pipeline/prepared.js';
import type { RouteConfig } from '../profiles/index.js';
import type { Store } from '../store/types.js';

/** The prepared text of an accepted event for `targets`, or undefined (delivery maps it then). */
export type Preparer = (event: SegmentEvent, targets: readonly string[]) => string | undefined;

/** Ingest's mapping for `store`, or undefined when the store does not keep what it prepares. */
export function preparerFor(config: RelayConfig, store: Store, now: () => number): Preparer | undefined {
  return store.keepsPrepared ? createPreparer(config, now) : undefined;
}

export function createPreparer(config: RelayConfig, now: () => number): Preparer {
  const byName = new Map(config.destinations.map((d) => [d.name, d]));
  // null: the routes do not compile (cannot happen for a loaded configuration; delivery decides).
  const compiled = new WeakMap<readonly RouteConfig[], DestinationMapping | null>();
  const mappingOf = (destination: DestinationConfig): DestinationMapping | null => {
    let mapping = compiled.get(destination.subscriptions);
    if (mapping === undefined) {
      try {
        mapping = compileDestinationMapping(destination.subscriptions, `${destination.path}.subscriptions`);
      } catch {
        mapping = null;
      }
      compiled.set(destination.subscriptions, mapping);
    }
    return mapping;
  };
  const context = { now };
  return (event, targets) => {
    const sections: PreparedSection[] = [];
    // Destinations with the same subscriptions map the event once.
    const byVersion = new Map<string, MappedEvent>();
    try {
      for (const name of targets) {
        const destination = byName.get(name);
        const mapping = destination === undefined ? null : mappingOf(destination);
        if (mapping === null) continue;
        let mapped = byVersion.get(mapping.version);
        if (mapped === undefined) {
          mapped = mapEvent(event as Record<string, unknown>, mapping.subscriptions, context);
          byVersion.set(mapping.version, mapped);
        }
        sections.push({ destination: name, version: mapping.version, mapped });
      }
    } catch {
      // A mapping that throws on this event: delivery maps it again and reports what happens.
      return undefined;
    }
    return sections.length > 0 ? encodePrepared(sections) : undefined;
  };
}
