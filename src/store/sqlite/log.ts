/**
 * Delivery log search: newest first, filtered by any of destination, messageId, person key and
 * outcome, paged with `beforeId`. Log entries reference their event; the event's text is joined in.
 * A search by messageId or person visits the log's id buckets from the newest (one index seek
 * each: ~2,500 for a log of 10 million entries); other searches read newest first. Statements are
 * prepared once per combination of filters.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { LogEntry, LogQuery } from '../types.js';
import {
  ERROR_EXCHANGE_SELECT,
  type ErrorExchangeRow,
  OUTCOME_CODES,
  OUTCOMES,
  readError,
  readExchange,
} from './codec.js';
import type { Destinations } from './destinations.js';
import { hash32 } from './key-index.js';
import { pageSize } from './limits.js';
import { LOG_BUCKET_BITS } from './schema.js';

/** Exported for the PostgreSQL store, which reads the same columns. */
export interface LogRow extends ErrorExchangeRow {
  id: number;
  at: number;
  name: string;
  job_id: number;
  message_id: string | null;
  person: string | null;
  outcome: number;
  attempts: number;
  reason: string | null;
  body: string | null;
}

export function toEntry(row: LogRow): LogEntry {
  const entry: LogEntry = {
    id: row.id,
    at: row.at,
    destination: row.name,
    jobId: row.job_id,
    messageId: row.message_id ?? '',
    personKey: row.person ?? '',
    outcome: OUTCOMES[row.outcome]!,
    attempts: row.attempts,
    event: row.body ?? '',
  };
  const exchange = readExchange(row);
  if (exchange !== undefined) entry.exchange = exchange;
  const error = readError(row);
  if (error !== undefined) entry.error = error;
  if (row.reason !== null) entry.reason = row.reason;
  return entry;
}

/**
 * How a search walks the log, newest first: plainly (or through the destination index), through
 * the index of the rarer outcomes, or bucket by bucket through a key index.
 */
type Walk = 'plain' | 'outcome' | 'message' | 'person';

export class DeliveryLog {
  private readonly statements = new Map<string, Statement<unknown[], LogRow>>();
  private readonly bounds: Statement<[], { min: number | null; max: number | null }>;

  constructor(
    private readonly db: Database,
    private readonly destinations: Destinations,
  ) {
    this.bounds = db.prepare('SELECT min(id) AS min, max(id) AS max FROM log');
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
    if (query.messageId !== undefined) {
      terms.push('e.message_id = ?');
      params.push(query.messageId);
    }
    if (query.personKey !== undefined) {
      terms.push('e.person = ?');
      params.push(query.personKey);
    }
    let rare = false;
    if (query.outcome !== undefined) {
      if (!Object.hasOwn(OUTCOME_CODES, query.outcome)) return [];
      const code = OUTCOME_CODES[query.outcome];
      terms.push(`l.outcome = ${code}`);
      // Repeating the partial index's condition lets SQLite use it for the rarer outcomes.
      if (code !== OUTCOME_CODES.delivered) {
        terms.push('l.outcome <> 0');
        rare = true;
      }
    }
    terms.push('l.id < ?');
    params.push(query.beforeId ?? Number.MAX_SAFE_INTEGER);

    if (query.messageId === undefined && query.personKey === undefined) {
      return this.statement(rare ? 'outcome' : 'plain', terms)
        .all(...params, limit)
        .map(toEntry);
    }
    // By key: one bucket of log ids after another, newest first (see the log indexes in schema.ts).
    const { min, max } = this.bounds.get()!;
    if (min === null || max === null) return [];
    const walk: Walk = query.messageId !== undefined ? 'message' : 'person';
    const hash = hash32(walk === 'message' ? query.messageId! : query.personKey!);
    const statement = this.statement(walk, terms);
    const last = query.beforeId === undefined ? max : Math.min(max, query.beforeId - 1);
    const entries: LogEntry[] = [];
    for (let bucket = last >> LOG_BUCKET_BITS; bucket >= min >> LOG_BUCKET_BITS; bucket--) {
      for (const row of statement.all(bucket, hash, ...params, limit - entries.length))
        entries.push(toEntry(row));
      if (entries.length === limit) break;
    }
    return entries;
  }

  private statement(walk: Walk, terms: readonly string[]): Statement<unknown[], LogRow> {
    const where = [...terms];
    let from = 'log l';
    if (walk === 'outcome') from = 'log l INDEXED BY log_outcome';
    if (walk === 'message' || walk === 'person') {
      from = `log l INDEXED BY log_${walk}`;
      where.unshift(`(l.id >> ${LOG_BUCKET_BITS}) = ?`, `l.${walk}_hash = ?`);
    }
    const sql = `SELECT l.id, l.at, ds.name, l.job_id, e.message_id, e.person, l.outcome, l.attempts, l.reason,
        ${ERROR_EXCHANGE_SELECT}, e.body
      FROM ${from} JOIN destinations ds ON ds.id = l.dest LEFT JOIN events e ON e.id = l.event_id
      WHERE ${where.join(' AND ')} ORDER BY l.id DESC LIMIT ?`;
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[], LogRow>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
