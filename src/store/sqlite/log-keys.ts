/**
 * The search index of the delivery log: for each bucket of 4096 log ids, the sorted distinct
 * messageId and person hashes of its entries, as one blob (`log_keys`), so that a search by key
 * visits only the buckets that may match (log.ts). A bucket is indexed once it is complete, when
 * the first row of a later bucket is written: its hashes are read back from its rows and written
 * in one go. Index entries per hash, inserted as each delivery came, rewrote most of the bucket's
 * index pages on every delivery; the blob costs a sort and one row per 4096 entries, and a lookup
 * reads the bucket's blob (~32 KB) instead of one b-tree path. The buckets from `log_keys_from` (in
 * `meta`) on are not indexed yet: a search reads all their rows.
 */
import type { Database, Statement } from 'better-sqlite3';

export const LOG_BUCKET_SIZE = 4096;

/** The bucket of a log row: that of its id (its first entry's), whatever ids its entries take. */
export function logBucket(id: number): number {
  return Math.floor(id / LOG_BUCKET_SIZE);
}

/** The blob of `log_keys`: distinct hashes, ascending, 4 bytes little-endian each. */
export function sortedHashes(hashes: Iterable<number>): Buffer {
  const sorted = Uint32Array.from(new Set(hashes)).sort();
  const blob = Buffer.allocUnsafe(sorted.length * 4);
  for (let i = 0; i < sorted.length; i++) blob.writeUInt32LE(sorted[i]!, i * 4);
  return blob;
}

function includes(blob: Buffer, hash: number): boolean {
  let lo = 0;
  let hi = blob.length / 4 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = blob.readUInt32LE(mid * 4);
    if (value === hash) return true;
    if (value < hash) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export class LogKeys {
  private readonly readFrom: Statement<[], number>;
  private readonly writeFrom: Statement<[number]>;
  private readonly rowKeys: Statement<[number, number], [id: number, keys: Buffer]>;
  private readonly insert: Statement<[number, Buffer]>;
  private readonly lookup: Statement<[number], Buffer>;

  constructor(db: Database) {
    this.readFrom = db.prepare<[], number>("SELECT value FROM meta WHERE key = 'log_keys_from'").pluck();
    this.writeFrom = db.prepare("UPDATE meta SET value = ? WHERE key = 'log_keys_from'");
    this.rowKeys = db
      .prepare<[number, number], [number, Buffer]>('SELECT id, keys FROM log WHERE id >= ? AND id < ?')
      .raw();
    this.insert = db.prepare('INSERT OR REPLACE INTO log_keys (bucket, hashes) VALUES (?, ?)');
    this.lookup = db.prepare<[number], Buffer>('SELECT hashes FROM log_keys WHERE bucket = ?').pluck();
  }

  /** The first bucket not indexed yet: it and the later ones are searched row by row. */
  from(): number {
    return this.readFrom.get()!;
  }

  /** Whether indexed bucket `bucket` may hold `hash`. */
  has(bucket: number, hash: number): boolean {
    const blob = this.lookup.get(bucket);
    return blob !== undefined && includes(blob, hash);
  }

  /** Before writing a row of bucket `bucket`: index the buckets before it. In a write transaction. */
  completeBefore(bucket: number): void {
    const from = this.from();
    if (bucket <= from) return;
    const buckets = new Map<number, number[]>();
    for (const [id, keys] of this.rowKeys.iterate(from * LOG_BUCKET_SIZE, bucket * LOG_BUCKET_SIZE)) {
      const b = logBucket(id);
      let hashes = buckets.get(b);
      if (hashes === undefined) {
        hashes = [];
        buckets.set(b, hashes);
      }
      for (let at = 0; at < keys.length; at += 4) hashes.push(keys.readUInt32LE(at));
    }
    for (const [b, hashes] of buckets) this.insert.run(b, sortedHashes(hashes));
    this.writeFrom.run(bucket);
  }
}
