/**
 * The search index of the delivery log: which messageId and person hashes each bucket of log ids
 * holds (`log_keys`, one entry per distinct hash per bucket), so that a search by key visits only
 * the buckets that may match (log.ts). A bucket is indexed once it is complete, when the first row
 * of a later bucket is written: its hashes, read back from its rows, go in sorted, filling index
 * pages one after another. Indexing each row as it came would scatter its hashes over the bucket's
 * pages and rewrite most of them on every delivery. The buckets from `log_keys_from` (in `meta`)
 * on are not indexed yet: a search reads all their rows (a bucket holds at most 4096 entries).
 */
import type { Database, Statement } from 'better-sqlite3';
import { LOG_BUCKET_SIZE, logBucket } from './schema.js';

export class LogKeys {
  private readonly readFrom: Statement<[], number>;
  private readonly writeFrom: Statement<[number]>;
  private readonly rowKeys: Statement<[number, number], [id: number, keys: Buffer]>;
  private readonly insert: Statement<[number, string]>;
  private readonly lookup: Statement<[number, number], number>;

  constructor(db: Database) {
    this.readFrom = db.prepare<[], number>("SELECT value FROM meta WHERE key = 'log_keys_from'").pluck();
    this.writeFrom = db.prepare("UPDATE meta SET value = ? WHERE key = 'log_keys_from'");
    this.rowKeys = db
      .prepare<[number, number], [number, Buffer]>('SELECT id, keys FROM log WHERE id >= ? AND id < ?')
      .raw();
    this.insert = db.prepare(
      'INSERT OR IGNORE INTO log_keys (bucket, hash) SELECT ?, value FROM json_each(?)',
    );
    this.lookup = db
      .prepare<[number, number], number>('SELECT 1 FROM log_keys WHERE bucket = ? AND hash = ?')
      .pluck();
  }

  /** The first bucket not indexed yet: it and the later ones are searched row by row. */
  from(): number {
    return this.readFrom.get()!;
  }

  /** Whether indexed bucket `bucket` may hold `hash`. */
  has(bucket: number, hash: number): boolean {
    return this.lookup.get(bucket, hash) !== undefined;
  }

  /** Before writing a row of bucket `bucket`: index the buckets before it. In a write transaction. */
  completeBefore(bucket: number): void {
    const from = this.from();
    if (bucket <= from) return;
    const buckets = new Map<number, Set<number>>();
    for (const [id, keys] of this.rowKeys.iterate(from * LOG_BUCKET_SIZE, bucket * LOG_BUCKET_SIZE)) {
      const b = logBucket(id);
      let hashes = buckets.get(b);
      if (hashes === undefined) {
        hashes = new Set();
        buckets.set(b, hashes);
      }
      for (let at = 0; at < keys.length; at += 4) hashes.add(keys.readUInt32LE(at));
    }
    for (const [b, hashes] of buckets) this.insert.run(b, JSON.stringify([...hashes].sort((x, y) => x - y)));
    this.writeFrom.run(bucket);
  }
}
