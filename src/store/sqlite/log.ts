/**
 * Delivery log search: newest first, filtered by any of destination, messageId, person key and
 * outcome, paged with `beforeId`. Rows hold the entries of one `complete` call (log-row.ts); entries
 * reference their event, whose messageId, person and text are read in. A search by messageId or
 * person visits only the id buckets that may hold the key's hash (log-keys.ts: one ~32 KB read per
 * bucket, ~2,500 for a log of 10 million entries), newest first, and in them the entries whose
 * hashes match; a search by a rarer outcome walks the rows that have one; other searches read
 * newest first. Statements are prepared once per combination of filters.
 */
import type { Database, Statement } from 'better-sqlite3';
import { OUTCOME_CODES, OUTCOMES } from '../codec.js';
import { pageSize } from '../limits.js';
import type { LogEntry, LogQuery } from '../types.js';
import type { Destinations } from './destinations.js';
import { hash32 } from './key-index.js';
import { LOG_BUCKET_SIZE, type LogKeys, logBucket } from './log-keys.js';
import { decodeRow, type LogRowBody, outcomeBit } from './log-row.js';

type Row = LogRowBody & { id: number; at: number; name: string };
type EventRow = [messageId: string, person: string, body: string];

export class DeliveryLog {
  private readonly statements = new Map<string, Statement<unknown[], Row>>();
  private readonly bounds: Statement<[], { min: number | null; max: number | null }>;
  private readonly event: Statement<[number], EventRow>;

  constructor(
    private readonly db: Database,
    private readonly destinations: Destinations,
    private readonly keys: LogKeys,
  ) {
    this.bounds = db.prepare('SELECT min(id) AS min, max(id) AS max FROM log');
    this.event = db
      .prepare<[number], EventRow>('SELECT message_id, person, body FROM events WHERE id = ?')
      .raw();
  }

  search(query: LogQuery): LogEntry[] {
    const limit = pageSize(query.limit);
    if (limit === 0) return [];
    const terms: string[] = [];
    const params: unknown[] = [];
    if (query.destination !== undefined) {
      const dest = this.destinations.find(query.destination);
      if (dest === undefined) return [];
      terms.push('l.dest = ?');
      params.push(dest);
    }
    let outcome: number | undefined;
    if (query.outcome !== undefined) {
      if (!Object.hasOwn(OUTCOME_CODES, query.outcome)) return [];
      outcome = OUTCOME_CODES[query.outcome];
    }
    const before = query.beforeId ?? Number.MAX_SAFE_INTEGER;
    const match = new Match(this.event, before, outcome, query.messageId, query.personKey);
    const entries: LogEntry[] = [];
    const take = (rows: Iterable<Row>) => {
      for (const row of rows) {
        match.collect(row, entries, limit);
        if (entries.length === limit) return true;
      }
      return false;
    };

    if (match.hash === undefined) {
      // The rarer outcomes through their partial index; delivered entries are most of the log.
      const rare = outcome !== undefined && outcome !== OUTCOME_CODES.delivered;
      if (rare) terms.push(`l.rare <> 0 AND (l.rare & ${outcomeBit(outcome!)}) <> 0`);
      terms.push('l.id < ?');
      take(this.statement(rare ? 'log_rare' : undefined, terms).iterate(...params, before));
      return entries;
    }
    // By key: the buckets that may hold the key's hash, newest first (log-keys.ts).
    const { min, max } = this.bounds.get()!;
    if (min === null || max === null) return [];
    terms.push('l.id >= ? AND l.id < ?');
    const statement = this.statement(undefined, terms);
    const last = logBucket(Math.min(max, before - 1));
    const indexed = this.keys.from();
    for (let bucket = last; bucket >= logBucket(min); bucket--) {
      if (bucket < indexed && !this.keys.has(bucket, match.hash)) continue;
      const upper = Math.min((bucket + 1) * LOG_BUCKET_SIZE, before);
      if (take(statement.iterate(...params, bucket * LOG_BUCKET_SIZE, upper))) break;
    }
    return entries;
  }

  private statement(index: string | undefined, terms: readonly string[]): Statement<unknown[], Row> {
    // CROSS JOIN keeps the log the outer loop, walked newest first.
    const sql = `SELECT l.id, l.at, ds.name, l.events, l.keys, l.entries, l.exchanges, l.requests
      FROM log l ${index === undefined ? '' : `INDEXED BY ${index}`} CROSS JOIN destinations ds ON ds.id = l.dest
      WHERE ${terms.join(' AND ')} ORDER BY l.id DESC`;
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[], Row>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** Which entries of a row a search wants, checked cheapest first: id, key hash, outcome, event. */
class Match {
  /** The hash of the key searched for, if any, and where it sits in an entry's 8 key bytes. */
  readonly hash: number | undefined;
  private readonly keyOffset: number;

  constructor(
    private readonly event: Statement<[number], EventRow>,
    private readonly before: number,
    private readonly outcome: number | undefined,
    private readonly messageId: string | undefined,
    private readonly personKey: string | undefined,
  ) {
    const key = messageId ?? personKey;
    this.hash = key === undefined ? undefined : hash32(key);
    this.keyOffset = messageId !== undefined ? 0 : 4;
  }

  /** Add the row's matching entries, newest first, until `entries` holds `limit`. */
  collect(row: Row, entries: LogEntry[], limit: number): void {
    const { hash, keyOffset } = this;
    const count = row.keys.length / 8;
    if (hash !== undefined) {
      let any = false;
      for (let i = 0; i < count && !any; i++) any = row.keys.readUInt32LE(i * 8 + keyOffset) === hash;
      if (!any) return;
    }
    const decoded = decodeRow(row);
    for (let k = decoded.length - 1; k >= 0 && entries.length < limit; k--) {
      const e = decoded[k]!;
      const id = row.id + e.index;
      if (id >= this.before) continue;
      if (hash !== undefined && row.keys.readUInt32LE(e.index * 8 + keyOffset) !== hash) continue;
      if (this.outcome !== undefined && e.outcome !== this.outcome) continue;
      const [messageId, person, body] = this.event.get(e.eventId) ?? ['', '', ''];
      if (this.messageId !== undefined && messageId !== this.messageId) continue;
      if (this.personKey !== undefined && person !== this.personKey) continue;
      const entry: LogEntry = {
        id,
        at: row.at,
        destination: row.name,
        jobId: e.jobId,
        messageId,
        personKey: person,
        outcome: OUTCOMES[e.outcome]!,
        attempts: e.attempts,
        event: body,
      };
      if (e.exchange !== undefined) entry.exchange = e.exchange;
      if (e.error !== undefined) entry.error = e.error;
      if (e.reason !== null) entry.reason = e.reason;
      entries.push(entry);
    }
  }
}
