/**
 * How many jobs each destination has in flight, for `stats`. Claims live in the memory of the
 * connection that made them (claims.ts), but the relay asks for stats on its main thread (metrics)
 * while its delivery thread claims: the two threads' connections share these counts through shared
 * memory, as they share the write lock (write-lock.ts). A connection given no shared counts keeps
 * its own (tests, the CLI, delivery in process).
 *
 * One slot per destination id (ids are small: one per destination name ever seen); an id past the
 * slots is counted in this connection only.
 */

const SLOTS = 1024;

export class InFlightCounts {
  private readonly slots: Int32Array;
  private readonly beyond = new Map<number, number>();

  /** `shared`: from `InFlightCounts.create().shared` in one thread, passed to the others. */
  constructor(readonly shared: SharedArrayBuffer) {
    this.slots = new Int32Array(shared);
  }

  static create(): InFlightCounts {
    return new InFlightCounts(new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT));
  }

  get(dest: number): number {
    return dest < this.slots.length ? Atomics.load(this.slots, dest) : (this.beyond.get(dest) ?? 0);
  }

  add(dest: number, delta: number): void {
    if (delta === 0) return;
    if (dest < this.slots.length) Atomics.add(this.slots, dest, delta);
    else this.beyond.set(dest, (this.beyond.get(dest) ?? 0) + delta);
  }

  /** Nothing is in flight any more (recover). */
  clear(): void {
    for (let i = 0; i < this.slots.length; i++) Atomics.store(this.slots, i, 0);
    this.beyond.clear();
  }
}
