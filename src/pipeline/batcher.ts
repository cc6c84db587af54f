/**
 * Cuts a stream of v2 operations into `/api/v2/batch` requests: at most `maxOperations` items and
 * `maxBytes` of JSON body each, in arrival order (so each person's operations keep their order).
 */
import { TRACK_LIMITS } from '../customerio/index.js';

// `{"batch":[` + `]}`
const ENVELOPE_BYTES = 12;

export class Batcher<T> {
  private items: T[] = [];
  private bytes = ENVELOPE_BYTES;

  constructor(
    private readonly maxOperations: number = TRACK_LIMITS.defaultBatchOperations,
    private readonly maxBytes: number = TRACK_LIMITS.batchBytes,
  ) {}

  /**
   * Add an item whose JSON takes `itemBytes`; returns the batch that had to be closed to make room,
   * if any. An item alone larger than `maxBytes` still gets a batch of its own (the caller rejects
   * items above the per-operation limit before adding them).
   */
  add(item: T, itemBytes: number): T[] | undefined {
    const closed =
      this.items.length > 0 && (this.full || this.bytes + 1 + itemBytes > this.maxBytes)
        ? this.flush()
        : undefined;
    this.bytes += (this.items.length === 0 ? 0 : 1) + itemBytes;
    this.items.push(item);
    return closed;
  }

  /** True when the current batch holds `maxOperations` items: send it without waiting. */
  get full(): boolean {
    return this.items.length >= this.maxOperations;
  }

  /** Close the current batch and return its items (undefined when empty). */
  flush(): T[] | undefined {
    if (this.items.length === 0) return undefined;
    const items = this.items;
    this.items = [];
    this.bytes = ENVELOPE_BYTES;
    return items;
  }
}
