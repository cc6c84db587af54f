/**
 * Reading admin query strings and bodies: each wrong value is a 400 naming the parameter and what
 * it takes, thrown as HttpError (the error handler answers it).
 */
import type { DeadLetterSelection, LogOutcome } from '../store/types.js';
import { HttpError } from './responses.js';

export type Query = Record<string, unknown>;

export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 50;

export function optionalString(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw badParameter(name, 'a single value');
  return value;
}

/** A positive integer parameter (ids, limits), or undefined when absent. */
export function optionalInteger(
  query: Query,
  name: string,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const text = optionalString(query, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw badParameter(name, `a whole number from 1 to ${max} (got ${JSON.stringify(text.slice(0, 40))})`);
  }
  return value;
}

export function pageLimit(query: Query): number {
  return optionalInteger(query, 'limit', MAX_PAGE) ?? DEFAULT_PAGE;
}

const OUTCOMES: readonly LogOutcome[] = ['delivered', 'filtered', 'retry', 'dead'];

export function optionalOutcome(query: Query): LogOutcome | undefined {
  const value = optionalString(query, 'outcome');
  if (value === undefined) return undefined;
  if (!(OUTCOMES as readonly string[]).includes(value))
    throw badParameter('outcome', `one of ${OUTCOMES.join(', ')}`);
  return value as LogOutcome;
}

/** A path id such as `/admin/dead-letters/12`. */
export function pathId(value: string | undefined, what: string): number {
  const id = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || !Number.isSafeInteger(id) || id < 1) {
    throw new HttpError(400, 'invalid_parameter', `${what} must be a whole number such as 12`);
  }
  return id;
}

const SELECTION_HELP = 'say which dead letters: {"ids": [1, 2]}, {"destination": "<name>"} or {"all": true}';

/**
 * The body of replay/drop. Nothing selected is refused: a typo must not mean "nothing" silently.
 * `configured`, when given, is the list a `destination` must be in (replay: jobs for a destination
 * that is no longer configured would wait forever; drop may clean up after a removed one).
 */
export function deadLetterSelection(body: unknown, configured?: readonly string[]): DeadLetterSelection {
  if (body === undefined)
    throw new HttpError(400, 'empty_selection', `no dead letters selected; ${SELECTION_HELP}`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_selection', `the body must be a JSON object; ${SELECTION_HELP}`);
  }
  const { ids, destination, all } = body as Record<string, unknown>;
  const selection: DeadLetterSelection = {};
  if (ids !== undefined) {
    if (!Array.isArray(ids) || !ids.every((id) => Number.isSafeInteger(id) && (id as number) > 0)) {
      throw new HttpError(400, 'invalid_selection', `ids must be a list of dead letter ids such as [1, 2]`);
    }
    if (ids.length > 0) selection.ids = ids as number[];
  }
  if (destination !== undefined) {
    if (typeof destination !== 'string' || destination === '') {
      throw new HttpError(400, 'invalid_selection', 'destination must be the name of a destination');
    }
    if (configured !== undefined && !configured.includes(destination)) {
      throw unknownDestination(destination, configured, 400);
    }
    selection.destination = destination;
  }
  if (all !== undefined) {
    if (typeof all !== 'boolean') throw new HttpError(400, 'invalid_selection', 'all must be true or false');
    if (all) selection.all = true;
  }
  if (selection.ids === undefined && selection.destination === undefined && selection.all !== true) {
    throw new HttpError(400, 'empty_selection', `no dead letters selected; ${SELECTION_HELP}`);
  }
  return selection;
}

export function unknownDestination(name: string, destinations: readonly string[], status = 404): HttpError {
  const known = destinations.length === 0 ? 'none is configured' : `configured: ${destinations.join(', ')}`;
  return new HttpError(
    status,
    'unknown_destination',
    `no destination named ${JSON.stringify(name.slice(0, 60))} (${known})`,
  );
}

function badParameter(name: string, rule: string): HttpError {
  return new HttpError(400, 'invalid_parameter', `query parameter ${name} must be ${rule}`);
}
