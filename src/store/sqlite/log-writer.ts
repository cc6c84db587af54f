/**
 * Writes the log entries of one `complete` call as one row (log-row.ts), first indexing the
 * buckets of log ids that row leaves behind (log-keys.ts). Rewrites a row without some of its
 * entries (prune, forgetPerson); the index keeps their hashes, as a search checks each entry anyway.
 */
import type { Database, Statement } from 'better-sqlite3';
import { type LogKeys, logBucket } from './log-keys.js';
import { encodeRow, eraseEntries, type LogRecord, type LogRowBody } from './log-row.js';

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
  private readonly update: Statement<[string, Buffer, string, string, number]>;
  private readonly delete: Statement<[number]>;

  constructor(
    db: Database,
    private readonly keys: LogKeys,
  ) {
    this.insert = db.prepare(
      `INSERT INTO log (id, at, dest, count, rare, events, keys, entries, exchanges, requests)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.update = db.prepare('UPDATE log SET events = ?, keys = ?, entries = ?, requests = ? WHERE id = ?');
    this.delete = db.prepare('DELETE FROM log WHERE id = ?');
  }

  /** Insert `records` as the entries `firstId`, `firstId + 1`… Run inside a write transaction. */
  write(firstId: number, at: number, dest: number, records: readonly LogRecord[]): void {
    this.keys.completeBefore(logBucket(firstId));
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
  }

  /** Rewrite row `id` (read as `row`) without the entries at `erase`; deleted when none is left. */
  erase(id: number, row: LogRowBody, erase: ReadonlySet<number>): void {
    const left = eraseEntries(row, erase);
    if (left.left === 0) this.delete.run(id);
    else this.update.run(left.events, left.keys, left.entries, left.requests, id);
  }
}
