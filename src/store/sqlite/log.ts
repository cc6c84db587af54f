/**
 * Delivery log search: newest first, filtered by any of destination, messageId, person key and
 * outcome, paged with `beforeId`. Log entries reference their event; the event's text is joined in.
 * Statements are prepared once per combination of filters.
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
import { pageSize } from './limits.js';

interface LogRow extends ErrorExchangeRow {
  id: number;
  at: number;
  name: string;
  job_id: number;
  message_id: string;
  person: string;
  outcome: number;
  attempts: number;
  reason: string | null;
  body: string | null;
}

function toEntry(row: LogRow): LogEntry {
  const entry: LogEntry = {
    id: row.id,
    at: row.at,
    destination: row.name,
    jobId: row.job_id,
    messageId: row.message_id,
    personKey: row.person,
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

export class DeliveryLog {
  private readonly statements = new Map<string, Statement<unknown[], LogRow>>();

  constructor(
    private readonly db: Database,
    private readonly destinations: Destinations,
  ) {}

  search(query: LogQuery): LogEntry[] {
    const limit = pageSize(query.limit);
    const terms: string[] = [];
    const params: unknown[] = [];
    if (query.destination !== undefined) {
      const dest = this.destinations.find(query.destination);
      if (dest === undefined) return [];
      terms.push('l.dest = ?');
      params.push(dest);
    }
    if (query.messageId !== undefined) {
      terms.push('l.message_id = ?');
      params.push(query.messageId);
    }
    if (query.personKey !== undefined) {
      terms.push('l.person = ?');
      params.push(query.personKey);
    }
    if (query.outcome !== undefined) {
      if (!Object.hasOwn(OUTCOME_CODES, query.outcome)) return [];
      const code = OUTCOME_CODES[query.outcome];
      // A literal, so that the planner can use the partial index over the rarer outcomes.
      terms.push(`l.outcome = ${code}`);
    }
    if (query.beforeId !== undefined) {
      terms.push('l.id < ?');
      params.push(query.beforeId);
    }
    params.push(limit);
    return this.statement(terms)
      .all(...params)
      .map(toEntry);
  }

  private statement(terms: readonly string[]): Statement<unknown[], LogRow> {
    const where = terms.length === 0 ? '' : `WHERE ${terms.join(' AND ')}`;
    let statement = this.statements.get(where);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[], LogRow>(
        `SELECT l.id, l.at, ds.name, l.job_id, l.message_id, l.person, l.outcome, l.attempts, l.reason,
           ${ERROR_EXCHANGE_SELECT}, e.body
         FROM log l JOIN destinations ds ON ds.id = l.dest LEFT JOIN events e ON e.id = l.event_id
         ${where} ORDER BY l.id DESC LIMIT ?`,
      );
      this.statements.set(where, statement);
    }
    return statement;
  }
}
