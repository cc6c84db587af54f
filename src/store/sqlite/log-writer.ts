/**
 * Writes the log entries of one `complete` call as one row (log-row.ts), and marks the row's id
 * bucket as holding their messageId and person hashes (`log_keys`, what a search by key visits).
 */
import type { Database, Statement } from 'better-sqlite3';
import { encodeRow, type LogRecord } from './log-row.js';
import { LOG_BUCKET_BITS } from './schema.js';

type RowParams = [
  id: number,
  at: number,
  dest: number,
  count: number,
  rare: number,
  events: string,
  keys: Buffer,
  entries: string,
  exchanges: string,
  requests: string,
];

export class LogWriter {
  private readonly insert: Statement<RowParams>;
  private readonly insertKeys: Statement<[number, string]>;

  constructor(db: Database) {
    this.insert = db.prepare(
      `INSERT INTO log (id, at, dest, count, rare, events, keys, entries, exchanges, requests)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertKeys = db.prepare(
      'INSERT OR IGNORE INTO log_keys (bucket, hash) SELECT ?, value FROM json_each(?)',
    );
  }

  /** Insert `records` as the entries `firstId`, `firstId + 1`… Run inside a write transaction. */
  write(firstId: number, at: number, dest: number, records: readonly LogRecord[]): void {
    const row = encodeRow(records);
    this.insert.run(
      firstId,
      at,
      dest,
      records.length,
      row.rare,
      row.events,
      row.keys,
      row.entries,
      row.exchanges,
      row.requests,
    );
    const hashes = new Set<number>();
    for (const r of records) hashes.add(r.messageHash).add(r.personHash);
    this.insertKeys.run(firstId >> LOG_BUCKET_BITS, JSON.stringify([...hashes]));
  }
}
