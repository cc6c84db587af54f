/**
 * Delivery log search: newest first, filtered by any of destination, messageId, person key and
 * outcome, paged with `beforeId`. Entries keep messageId and person (indexed); the event's text is
 * joined in from `events`, which prune keeps while an entry refers to it.
 */
import type pg from 'pg';
import {
  ERROR_EXCHANGE_SELECT,
  type ErrorExchangeRow,
  OUTCOME_CODES,
  OUTCOMES,
  readError,
  readExchange,
} from '../sqlite/codec.js';
import { pageSize } from '../sqlite/limits.js';
import type { LogEntry, LogQuery } from '../types.js';
import type { Destinations } from './destinations.js';

/** A log row (one per entry, with plain columns), with its destination's name and event joined in. */
interface LogRow extends ErrorExchangeRow {
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

function toEntry(row: LogRow): LogEntry {
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

export async function searchLog(
  pool: pg.Pool,
  destinations: Destinations,
  query: LogQuery,
): Promise<LogEntry[]> {
  const limit = pageSize(query.limit);
  if (limit === 0) return [];
  const terms: string[] = [];
  const params: unknown[] = [];
  const term = (sql: string, value: unknown) => {
    params.push(value);
    terms.push(sql.replace('?', `$${params.length}`));
  };
  if (query.destination !== undefined) {
    const dest = await destinations.find(query.destination);
    if (dest === undefined) return [];
    term('l.dest = ?', dest);
  }
  if (query.messageId !== undefined) term('l.message_id = ?', query.messageId);
  if (query.personKey !== undefined) term('l.person = ?', query.personKey);
  if (query.outcome !== undefined) {
    if (!Object.hasOwn(OUTCOME_CODES, query.outcome)) return [];
    const code = OUTCOME_CODES[query.outcome];
    term('l.outcome = ?', code);
    // Repeating the partial index's condition lets the planner use it for the rarer outcomes.
    if (code !== OUTCOME_CODES.delivered) terms.push('l.outcome <> 0');
  }
  if (query.beforeId !== undefined) term('l.id < ?', query.beforeId);
  params.push(limit);
  const { rows } = await pool.query<LogRow>(
    `SELECT l.id, l.at, ds.name, l.job_id, l.message_id, l.person, l.outcome, l.attempts, l.reason,
       ${ERROR_EXCHANGE_SELECT.split(', ')
         .map((column) => `l.${column}`)
         .join(', ')}, e.body
     FROM log l JOIN destinations ds ON ds.id = l.dest LEFT JOIN events e ON e.id = l.event_id
     ${terms.length > 0 ? `WHERE ${terms.join(' AND ')}` : ''}
     ORDER BY l.id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(toEntry);
}
