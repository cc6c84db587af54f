/**
 * How outcomes, errors, exchanges and dead letters map to columns, the same in both stores (sqlite/,
 * postgres/). They are stored as plain columns (not JSON) so that a result is written without
 * re-serialising the request body it carries.
 */
import type { DeadLetter, DeliveryError, Exchange, LogOutcome } from './types.js';

export const OUTCOME_CODES: Readonly<Record<LogOutcome, number>> = {
  delivered: 0,
  filtered: 1,
  retry: 2,
  dead: 3,
};
export const OUTCOMES: readonly LogOutcome[] = ['delivered', 'filtered', 'retry', 'dead'];

/** error_code, error_message, error_status */
export type ErrorColumns = [string | null, string | null, number | null];
/** ex_method, ex_url, ex_request, ex_status, ex_response, ex_duration */
export type ExchangeColumns = [
  string | null,
  string | null,
  string | null,
  number | null,
  string | null,
  number | null,
];

const NO_ERROR: ErrorColumns = [null, null, null];
const NO_EXCHANGE: ExchangeColumns = [null, null, null, null, null, null];

export function errorColumns(error: DeliveryError | undefined): ErrorColumns {
  if (error === undefined) return NO_ERROR;
  return [error.code, error.message, error.status ?? null];
}

export function exchangeColumns(exchange: Exchange | undefined): ExchangeColumns {
  if (exchange === undefined) return NO_EXCHANGE;
  return [
    exchange.method,
    exchange.url,
    exchange.requestBody,
    exchange.status ?? null,
    exchange.responseBody ?? null,
    exchange.durationMs ?? null,
  ];
}

/** The columns every table with an error and an exchange selects, in this order. */
export const ERROR_EXCHANGE_SELECT =
  'error_code, error_message, error_status, ex_method, ex_url, ex_request, ex_status, ex_response, ex_duration';

export interface ErrorExchangeRow {
  error_code: string | null;
  error_message: string | null;
  error_status: number | null;
  ex_method: string | null;
  ex_url: string | null;
  ex_request: string | null;
  ex_status: number | null;
  ex_response: string | null;
  ex_duration: number | null;
}

export function readError(row: ErrorExchangeRow): DeliveryError | undefined {
  if (row.error_code === null) return undefined;
  const error: DeliveryError = { code: row.error_code, message: row.error_message ?? '' };
  if (row.error_status !== null) error.status = row.error_status;
  return error;
}

export function readExchange(row: ErrorExchangeRow): Exchange | undefined {
  if (row.ex_method === null) return undefined;
  const exchange: Exchange = {
    method: row.ex_method,
    url: row.ex_url ?? '',
    requestBody: row.ex_request ?? '',
  };
  if (row.ex_status !== null) exchange.status = row.ex_status;
  if (row.ex_response !== null) exchange.responseBody = row.ex_response;
  if (row.ex_duration !== null) exchange.durationMs = row.ex_duration;
  return exchange;
}

/** A dead letter's row, with its destination's name joined in. */
export interface DeadLetterRow extends ErrorExchangeRow {
  id: number;
  name: string;
  dest: number;
  source: string;
  message_id: string;
  person: string;
  event: string;
  received_at: number;
  attempts: number;
  first_attempt_at: number | null;
  dead_at: number;
}

export function toDeadLetter(row: DeadLetterRow): DeadLetter {
  const letter: DeadLetter = {
    id: row.id,
    destination: row.name,
    source: row.source,
    messageId: row.message_id,
    personKey: row.person,
    event: row.event,
    receivedAt: row.received_at,
    attempts: row.attempts,
    firstAttemptAt: row.first_attempt_at,
    deadAt: row.dead_at,
    error: readError(row) ?? { code: 'unknown', message: '' },
  };
  const exchange = readExchange(row);
  if (exchange !== undefined) letter.exchange = exchange;
  return letter;
}
