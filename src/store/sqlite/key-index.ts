/**
 * An in-memory hash index from 32-bit key hashes to row ids, in two typed arrays (12 bytes a slot,
 * open addressing with linear probing, at most 60% full): about 25 bytes per key instead of the
 * ~100 of a Map of strings, and no random b-tree page written to disk per key.
 *
 * It only narrows a lookup to candidate rows: several keys may share a hash, so callers check the
 * row itself. Row id 0 marks an empty slot (SQLite row ids start at 1).
 */

/** FNV-1a over UTF-16 code units, finished with MurmurHash3's fmix32 so the low bits mix well. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const MAX_LOAD = 0.6;

export class KeyIndex {
  private hashes: Uint32Array;
  private rows: Float64Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1 << 12) {
    this.hashes = new Uint32Array(capacity);
    this.rows = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  add(hash: number, row: number): void {
    if (this.size + 1 > (this.mask + 1) * MAX_LOAD) this.grow();
    let i = hash & this.mask;
    while (this.rows[i] !== 0) i = (i + 1) & this.mask;
    this.hashes[i] = hash;
    this.rows[i] = row;
    this.size++;
  }

  /** Calls `visit` with every row stored under `hash`, until it answers true. */
  find(hash: number, visit: (row: number) => boolean): boolean {
    const { hashes, rows, mask } = this;
    for (let i = hash & mask; rows[i] !== 0; i = (i + 1) & mask) {
      if (hashes[i] === hash && visit(rows[i]!)) return true;
    }
    return false;
  }

  remove(hash: number, row: number): void {
    const { hashes, rows, mask } = this;
    let i = hash & mask;
    while (rows[i] !== 0 && !(rows[i] === row && hashes[i] === hash)) i = (i + 1) & mask;
    if (rows[i] === 0) return;
    this.size--;
    // Backward-shift deletion: move later entries of the probe run into the hole, so lookups never
    // stop early at it and no tombstones accumulate.
    let hole = i;
    for (let j = (i + 1) & mask; rows[j] !== 0; j = (j + 1) & mask) {
      const home = hashes[j]! & mask;
      const movable = hole <= j ? home <= hole || home > j : home <= hole && home > j;
      if (movable) {
        hashes[hole] = hashes[j]!;
        rows[hole] = rows[j]!;
        hole = j;
      }
    }
    rows[hole] = 0;
  }

  private grow(): void {
    const { hashes, rows } = this;
    const capacity = (this.mask + 1) * 2;
    this.hashes = new Uint32Array(capacity);
    this.rows = new Float64Array(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (let i = 0; i < rows.length; i++) if (rows[i] !== 0) this.add(hashes[i]!, rows[i]!);
  }
}
