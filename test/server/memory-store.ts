/**
 * A stand-in Store for server tests: appends with messageId deduplication, and dead letters and
 * log entries that a test seeds directly. The queue side (claim, complete...) belongs to the
 * delivery engine and is not used by the server.
 */
import type { DeadLetter, LogEntry, NewEvent, Store } from '../../src/store/types.js';

export interface MemoryStore extends Store {
  deadLetters: DeadLetter[];
  log: LogEntry[];
  /** The next append rejects with this error (then appends work again). */
  failNextAppend(error: Error): void;
}

export function memoryStore(): MemoryStore {
  const seen = new Map<string, number>();
  let failure: Error | undefined;
  const unused = async (): Promise<never> => {
    throw new Error('not used by the server');
  };
  const matches = (letter: DeadLetter, selection: Parameters<Store['dropDeadLetters']>[0]) =>
    selection.all === true ||
    selection.ids?.includes(letter.id) === true ||
    (selection.ids === undefined && selection.destination === letter.destination);
  const store: MemoryStore = {
    deadLetters: [],
    log: [],
    failNextAppend(error) {
      failure = error;
    },
    async append(events: readonly NewEvent[], options) {
      if (failure !== undefined) {
        const error = failure;
        failure = undefined;
        throw error;
      }
      const duplicates: number[] = [];
      events.forEach((event, index) => {
        const key = `${event.source}\u0000${event.messageId}`;
        const at = seen.get(key);
        if (
          options.dedupeWindowMs > 0 &&
          at !== undefined &&
          event.receivedAt - at < options.dedupeWindowMs
        ) {
          duplicates.push(index);
        } else seen.set(key, event.receivedAt);
      });
      return { duplicates };
    },
    claim: unused,
    complete: unused,
    recover: unused,
    stats: unused,
    destinationState: unused,
    setPaused: unused,
    prune: unused,
    async listDeadLetters(query) {
      return store.deadLetters
        .filter((d) => query.destination === undefined || d.destination === query.destination)
        .filter((d) => query.afterId === undefined || d.id > query.afterId)
        .slice(0, query.limit ?? 50);
    },
    async getDeadLetter(id) {
      return store.deadLetters.find((d) => d.id === id);
    },
    async replayDeadLetters(selection) {
      const before = store.deadLetters.length;
      store.deadLetters = store.deadLetters.filter((d) => !matches(d, selection));
      return before - store.deadLetters.length;
    },
    async dropDeadLetters(selection) {
      const before = store.deadLetters.length;
      store.deadLetters = store.deadLetters.filter((d) => !matches(d, selection));
      return before - store.deadLetters.length;
    },
    async searchLog(query) {
      return store.log
        .filter((e) => query.destination === undefined || e.destination === query.destination)
        .filter((e) => query.messageId === undefined || e.messageId === query.messageId)
        .filter((e) => query.personKey === undefined || e.personKey === query.personKey)
        .filter((e) => query.outcome === undefined || e.outcome === query.outcome)
        .filter((e) => query.beforeId === undefined || e.id < query.beforeId)
        .sort((a, b) => b.id - a.id)
        .slice(0, query.limit ?? 50);
    },
    async close() {},
  };
  return store;
}
