/**
 * Live events for the console: ingest publishes each stored event here, and every open
 * `GET /admin/live` stream receives it. Without listeners, publishing costs one comparison (ingest
 * is the hot path); with listeners, each event is written once as text, shared by all of them.
 */
import type { NewEvent } from '../store/types.js';

/** One stored event as the live stream sends it (JSON text): who sent it, where it goes, the event. */
export type LiveMessage = string;
export type LiveListener = (message: LiveMessage) => void;

export class LiveFeed {
  readonly #listeners = new Set<LiveListener>();

  get size(): number {
    return this.#listeners.size;
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: LiveListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** `skip`: input positions not stored (duplicates). */
  publish(events: readonly NewEvent[], skip: readonly number[] = []): void {
    if (this.#listeners.size === 0) return;
    const skipped = new Set(skip);
    events.forEach((event, index) => {
      if (skipped.has(index)) return;
      // The body is already the stored JSON text: embedded as it is, not parsed again.
      const message = `{"source":${JSON.stringify(event.source)},"destinations":${JSON.stringify(event.destinations)},"event":${event.body}}`;
      for (const listener of this.#listeners) listener(message);
    });
  }
}
