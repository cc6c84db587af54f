/**
 * Delivery log search: newest first, filtered by any of destination, messageId, person key and
 * outcome, paged with `beforeId`. Rows hold the entries of one result call (log-layout.ts): a
 * search walks rows newest first, only those whose key hashes may hold the messageId or person
 * searched for (GIN) or that have a rarer outcome searched for, and unnests their entries; the
 * event's text is joined in from `events`, which prune keeps while an entry refers to it.
 */
import type pg from 'pg';
import { type ErrorExchangeRow, OUTCOME_CODES, OUTCOMES, readError, readExchange } from '../codec.js';
import { pageSize } from '../limits.js';
import type { LogEntry, LogQuery } from '../types.js';
import type { Destinations } from './destinations.js';
import { headExchangeColumns, messageHash, personHash, rareBit, unnestEntries } from './log-layout.js';

/** One entry of a log row, with its exchange's head, its destination's name and its event joined in. */
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
  if (query.messageId !== undefined) {
    term(`l.keys @> ARRAY[${messageHash('?::text')}]`, query.messageId);
    terms.push(`u.message_id = $${params.length}`);
  }
  if (query.personKey !== undefined) {
    term(`l.keys @> ARRAY[${personHash('?::text')}]`, query.personKey);
    terms.push(`u.person = $${params.length}`);
  }
  if (query.outcome !== undefined) {
    if (!Object.hasOwn(OUTCOME_CODES, query.outcome)) return [];
    const code = OUTCOME_CODES[query.outcome];
    term('u.outcome = ?', code);
    // The rows that have a rarer outcome, through their partial index.
    if (code !== OUTCOME_CODES.delivered)
      terms.push(`l.rare <> 0 AND l.rare & (${rareBit(String(code))}) <> 0`);
  }
  if (query.beforeId !== undefined) {
    term('l.id < ?', query.beforeId);
    terms.push(`l.id + u.i - 1 < $${params.length}`);
  }
  params.push(limit);
  const { rows } = await pool.query<LogRow>(
    `SELECT l.id + u.i - 1 AS id, l.at, ds.name, u.job AS job_id, u.message_id, u.person, u.outcome, u.attempts,
       u.reason, u.ec AS error_code, u.em AS error_message, u.es AS error_status,
       ${headExchangeColumns('x.h', 'u.request')}, e.body
     FROM log l JOIN destinations ds ON ds.id = l.dest
     CROSS JOIN LATERAL ${unnestEntries('l', 'u')}
     CROSS JOIN LATERAL (SELECT l.exchanges::json -> u.head AS h) x
     LEFT JOIN events e ON e.id = u.event_id
     WHERE u.outcome IS NOT NULL ${terms.map((t) => `AND ${t}`).join(' ')}
     ORDER BY l.id DESC, u.i DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(toEntry);
}
