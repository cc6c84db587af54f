/**
 * One delivery log row holds the entries of one `complete` call (one Track API request, usually):
 * entry i has the log id `id + i`. Writing a row costs a few bound values for a whole request
 * instead of a row and two index entries per event. Per entry, in parallel arrays:
 * - `events`: its event id (JSON array; 0 once the entry is erased), through which its messageId,
 *   person and event text are read, and which it holds a reference on (schema.ts);
 * - `keys`: the 32-bit hashes of its messageId and person (8 bytes each, little-endian), which a
 *   search by key checks before reading the event;
 * - `entries`: `[outcome, attempts, exchange, requestLength, reason, errorCode, errorMessage,
 *   errorStatus, jobId]` (JSON, trailing nulls left out, jobId only where it differs from the event
 *   id: entries older than migration 6), or null once erased;
 * - `exchanges`: the distinct `[method, url, status, response, duration]` of the row's exchanges
 *   (one for a request), which `exchange` indexes (-1: none);
 * - `requests`: the entries' request bodies one after another, `requestLength` UTF-16 units each.
 */
import { type ExchangeHead, ExchangeHeads, exchangeOf } from '../exchange-heads.js';
import type { DeliveryError, Exchange } from '../types.js';

export interface LogRecord {
  eventId: number;
  messageHash: number;
  personHash: number;
  outcome: number;
  attempts: number;
  reason: string | null;
  error: DeliveryError | undefined;
  exchange: Exchange | undefined;
}

/** The columns of a row that hold its entries. */
export interface LogRowBody {
  events: string;
  keys: Buffer;
  entries: string;
  exchanges: string;
  requests: string;
}

type Tuple = (string | number | null)[];

/** Bits of `rare`: the outcomes other than delivered (code 0) among a row's entries. */
export function outcomeBit(outcome: number): number {
  return outcome === 0 ? 0 : 1 << outcome;
}

export function encodeRow(records: readonly LogRecord[]): LogRowBody & { rare: number } {
  const events: number[] = [];
  const keys = Buffer.allocUnsafe(records.length * 8);
  const tuples: Tuple[] = [];
  const heads = new ExchangeHeads();
  let requests = '';
  let rare = 0;
  records.forEach((r, i) => {
    events.push(r.eventId);
    keys.writeUInt32LE(r.messageHash, i * 8);
    keys.writeUInt32LE(r.personHash, i * 8 + 4);
    rare |= outcomeBit(r.outcome);
    const x = r.exchange;
    const head = heads.indexOf(x) ?? -1;
    if (x !== undefined) requests += x.requestBody;
    const tuple: Tuple = [
      r.outcome,
      r.attempts,
      head,
      x === undefined ? 0 : x.requestBody.length,
      r.reason,
      r.error?.code ?? null,
      r.error?.message ?? null,
      r.error?.status ?? null,
    ];
    while (tuple[tuple.length - 1] === null) tuple.pop();
    tuples.push(tuple);
  });
  return {
    rare,
    events: JSON.stringify(events),
    keys,
    entries: JSON.stringify(tuples),
    exchanges: heads.json(),
    requests,
  };
}

/** One entry of a row, as stored. */
export interface RowEntry {
  /** Its position in the row (its log id is the row's id plus this). */
  index: number;
  eventId: number;
  jobId: number;
  outcome: number;
  attempts: number;
  reason: string | null;
  error: DeliveryError | undefined;
  exchange: Exchange | undefined;
}

/** The entries of a row that were not erased. */
export function decodeRow(row: LogRowBody): RowEntry[] {
  const events = JSON.parse(row.events) as number[];
  const tuples = JSON.parse(row.entries) as (Tuple | null)[];
  const heads = JSON.parse(row.exchanges) as ExchangeHead[];
  const entries: RowEntry[] = [];
  let offset = 0;
  tuples.forEach((t, index) => {
    if (t === null) return;
    const [outcome, attempts, head, length, reason, code, message, status, jobId] = t as [
      number,
      number,
      number,
      number,
      string?,
      string?,
      string?,
      number?,
      number?,
    ];
    const requestBody = row.requests.slice(offset, offset + length);
    offset += length;
    const entry: RowEntry = {
      index,
      eventId: events[index]!,
      jobId: jobId ?? events[index]!,
      outcome,
      attempts,
      reason: reason ?? null,
      error: undefined,
      exchange: undefined,
    };
    if (code != null) entry.error = { code, message: message ?? '', ...(status != null && { status }) };
    const h = heads[head];
    if (h !== undefined) entry.exchange = exchangeOf(h, requestBody);
    entries.push(entry);
  });
  return entries;
}

/**
 * The row with the entries at `erase` removed (event id 0, hashes 0, no tuple, no request body);
 * `left` counts the entries that remain.
 */
export function eraseEntries(row: LogRowBody, erase: ReadonlySet<number>): LogRowBody & { left: number } {
  const events = JSON.parse(row.events) as number[];
  const tuples = JSON.parse(row.entries) as (Tuple | null)[];
  const keys = Buffer.from(row.keys);
  let requests = '';
  let offset = 0;
  let left = 0;
  tuples.forEach((t, index) => {
    const length = t === null ? 0 : (t[3] as number);
    if (t !== null && !erase.has(index)) {
      requests += row.requests.slice(offset, offset + length);
      left++;
    } else {
      events[index] = 0;
      keys.fill(0, index * 8, index * 8 + 8);
      tuples[index] = null;
    }
    offset += length;
  });
  return {
    events: JSON.stringify(events),
    keys,
    entries: JSON.stringify(tuples),
    exchanges: row.exchanges,
    requests,
    left,
  };
}
