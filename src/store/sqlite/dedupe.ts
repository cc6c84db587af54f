/**
 * Deduplication by (source, messageId) over a window, without a random b-tree write per event.
 *
 * Keys are written to `dedupe_keys` in arrival order (sequential pages, in the append transaction,
 * so they are as durable as the events) and looked up through an in-memory `KeyIndex` of
 * messageId hashes → rows, loaded at open. A lookup reads the candidate rows to compare the real
 * key, so hash collisions cost a read, never a wrong answer. With random messageIds (UUIDs), a
 * SQLite index on the key would dirty one random page per event once the window holds more keys
 * than a commit; this keeps appends at sequential writes. Memory: ~25 bytes per key in the window.
 *
 * `hash` is `hash32(messageId)` (shared with the log's search index, so it is computed once).
 * A key may appear in several rows (taken again after its window passed); the newest one counts.
 */
import type { Database, Statement } from 'better-sqlite3';
import { BatchInsert } from './batch-insert.js';
import { KeyIndex } from './key-index.js';

interface KeyRow {
  at: number;
  source: string;
  message_id: string;
}

type HeadRow = [id: number, hash: number, at: number];

export class Dedupe {
  private readonly index = new KeyIndex();
  /** Highest row id the index knows (rows above it were written by another handle). */
  private loaded = 0;
  /** Rows written by the transaction in progress, for the index once it commits. */
  private staged: number[] = [];
  private readonly stagedAt = new Map<string, number>();
  /** Rows to insert at `flush` (id, hash, at, source, message_id), and the next id to give. */
  private pending: unknown[] = [];
  private nextId = 0;
  private readonly maxId: Statement<[], number>;
  private readonly insert: BatchInsert;
  private readonly read: Statement<[number], KeyRow>;
  private readonly newer: Statement<[number], [number, number]>;
  private readonly head: Statement<[number], HeadRow>;
  private readonly deleteUpTo: Statement<[number]>;

  constructor(db: Database) {
    this.maxId = db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM dedupe_keys').pluck();
    this.insert = new BatchInsert(db, 'dedupe_keys', ['id', 'hash', 'at', 'source', 'message_id']);
    this.read = db.prepare<[number], KeyRow>('SELECT at, source, message_id FROM dedupe_keys WHERE id = ?');
    this.newer = db
      .prepare<[number], [number, number]>('SELECT id, hash FROM dedupe_keys WHERE id > ? ORDER BY id')
      .raw();
    this.head = db
      .prepare<[number], HeadRow>('SELECT id, hash, at FROM dedupe_keys ORDER BY id LIMIT ?')
      .raw();
    this.deleteUpTo = db.prepare('DELETE FROM dedupe_keys WHERE id <= ?');
    this.catchUp();
  }

  /** Start a group: call first inside its write transaction. */
  begin(): void {
    this.catchUp();
    this.nextId = this.maxId.get()! + 1;
  }

  /** Learn rows written by other handles (at open: all of them). */
  private catchUp(): void {
    for (const [id, hash] of this.newer.iterate(this.loaded)) {
      this.index.add(hash, id);
      this.loaded = id;
    }
  }

  /**
   * False when the key was accepted less than `windowMs` before `at` (a duplicate); otherwise the
   * key is recorded with time `at`. Between `begin` and `flush`; then `commit` or `rollback`.
   */
  accept(source: string, messageId: string, hash: number, at: number, windowMs: number): boolean {
    const key = `${source}\u0000${messageId}`;
    const previous = this.stagedAt.get(key) ?? this.newest(hash, source, messageId);
    if (at - previous < windowMs) return false;
    const row = this.nextId++;
    this.pending.push(row, hash, at, source, messageId);
    this.staged.push(hash, row);
    this.stagedAt.set(key, at);
    return true;
  }

  /** Write the keys accepted since `begin`. */
  flush(): void {
    this.insert.run(this.pending);
    this.pending = [];
  }

  commit(): void {
    const staged = this.staged;
    for (let i = 0; i < staged.length; i += 2) this.index.add(staged[i]!, staged[i + 1]!);
    if (staged.length > 0) this.loaded = Math.max(this.loaded, staged[staged.length - 1]!);
    this.rollback();
  }

  rollback(): void {
    this.pending = [];
    this.staged = [];
    this.stagedAt.clear();
  }

  /**
   * Delete up to `limit` of the oldest keys with `at <= cutoff` (stopping at the first younger one:
   * keys are written in time order). Answers their (hash, row) pairs for `forget`, once committed.
   */
  expire(cutoff: number, limit: number): number[] {
    const gone: number[] = [];
    let last = 0;
    for (const [id, hash, at] of this.head.iterate(limit)) {
      if (at > cutoff) break;
      gone.push(hash, id);
      last = id;
    }
    if (last > 0) this.deleteUpTo.run(last);
    return gone;
  }

  forget(gone: readonly number[]): void {
    for (let i = 0; i < gone.length; i += 2) this.index.remove(gone[i]!, gone[i + 1]!);
  }

  /** The time the key was last accepted, or -Infinity. */
  private newest(hash: number, source: string, messageId: string): number {
    let newest = Number.NEGATIVE_INFINITY;
    this.index.find(hash, (row) => {
      const found = this.read.get(row);
      if (
        found !== undefined &&
        found.message_id === messageId &&
        found.source === source &&
        found.at > newest
      ) {
        newest = found.at;
      }
      return false;
    });
    return newest;
  }
}
