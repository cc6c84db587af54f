/** Writes the log entries of one `complete` call with multi-row inserts (batch-insert.ts). */
import type { Database } from 'better-sqlite3';
import type { DeliveryError, Exchange } from '../types.js';
import { BatchInsert } from './batch-insert.js';
import { errorColumns, exchangeColumns } from './codec.js';

export interface LogRecord {
  at: number;
  dest: number;
  jobId: number;
  eventId: number;
  messageHash: number;
  personHash: number;
  outcome: number;
  attempts: number;
  reason: string | null;
  error: DeliveryError | undefined;
  exchange: Exchange | undefined;
}

export class LogWriter {
  private readonly insert: BatchInsert;

  constructor(db: Database) {
    this.insert = new BatchInsert(db, 'log', [
      'id',
      'at',
      'dest',
      'job_id',
      'event_id',
      'message_hash',
      'person_hash',
      'outcome',
      'attempts',
      'reason',
      'error_code',
      'error_message',
      'error_status',
      'ex_method',
      'ex_url',
      'ex_request',
      'ex_status',
      'ex_response',
      'ex_duration',
    ]);
  }

  /** Insert `records` with consecutive ids from `firstId`. Run inside a write transaction. */
  write(firstId: number, records: readonly LogRecord[]): void {
    const values: unknown[] = [];
    let id = firstId;
    for (const r of records) {
      values.push(
        id++,
        r.at,
        r.dest,
        r.jobId,
        r.eventId,
        r.messageHash,
        r.personHash,
        r.outcome,
        r.attempts,
        r.reason,
        ...errorColumns(r.error),
        ...exchangeColumns(r.exchange),
      );
    }
    this.insert.run(values);
  }
}
