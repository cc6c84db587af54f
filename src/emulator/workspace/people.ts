/**
 * People and their identifier indexes: lookup by id, email (case-insensitive) or cio_id, creation,
 * identifier changes and removal. Every write to `id`/`email` goes through here so the indexes
 * never drift from the people they point at.
 */
import type { Person, State, Suppression } from './model.js';
import type { PersonKey } from './operations.js';
import { type Failure, fail, normaliseEmail } from './util.js';

export function findPerson(state: State, key: PersonKey): Person | undefined {
  const cioId =
    key.kind === 'cio_id'
      ? key.value
      : key.kind === 'id'
        ? state.byId.get(key.value)
        : state.byEmail.get(normaliseEmail(key.value));
  return cioId === undefined ? undefined : state.people.get(cioId);
}

export function describe(key: PersonKey): string {
  return `${key.kind} "${key.value}"`;
}

/** Does this suppression block the identifier? */
export function blocks(suppression: Suppression, key: PersonKey): boolean {
  if (key.kind === 'id') return suppression.id === key.value;
  if (key.kind === 'email') return suppression.email === normaliseEmail(key.value);
  return suppression.cioId === key.value;
}

/** Is this identifier blocked by a suppression? */
export function isSuppressed(state: State, key: PersonKey): boolean {
  return state.suppressions.some((suppression) => blocks(suppression, key));
}

export function suppressedFailure(key: PersonKey, field: string): Failure {
  return fail(
    'suppressed',
    field,
    `The person with ${describe(key)} is suppressed; unsuppress the identifier before sending data for it.`,
  );
}

export function notFoundFailure(key: PersonKey, field: string): Failure {
  return fail('not_found', field, `No person has ${describe(key)}.`);
}

/**
 * The person an operation writes to: found, or to be created when addressed by id or email
 * (Customer.io creates a person the first time an event or device names them). A cio_id that
 * does not exist (never created, deleted or suppressed) cannot create anyone.
 */
export function resolveForWrite(
  state: State,
  key: PersonKey,
  field: string,
): { person: Person | undefined } | Failure {
  if (isSuppressed(state, key)) return suppressedFailure(key, field);
  const person = findPerson(state, key);
  if (person === undefined && key.kind === 'cio_id') return notFoundFailure(key, field);
  return { person };
}

export function createPerson(
  state: State,
  identifiers: { id?: string; email?: string },
  now: number,
): Person {
  const cioId = state.nextPerson.toString(16);
  state.nextPerson += 1;
  const person: Person = {
    cioId,
    anonymousIds: [],
    attributes: new Map(),
    attributeTimes: new Map(),
    devices: new Map(),
    activity: [],
    createdAt: now,
    updatedAt: now,
  };
  state.people.set(cioId, person);
  if (identifiers.id !== undefined) setId(state, person, identifiers.id);
  if (identifiers.email !== undefined) setEmail(state, person, identifiers.email);
  return person;
}

/** Find or create the person named by `key` (callers have checked suppression and cio_id). */
export function personFor(state: State, key: PersonKey, now: number): Person {
  const found = findPerson(state, key);
  if (found) return found;
  return createPerson(state, key.kind === 'id' ? { id: key.value } : { email: key.value }, now);
}

export function setId(state: State, person: Person, id: string): void {
  if (person.id !== undefined) state.byId.delete(person.id);
  person.id = id;
  state.byId.set(id, person.cioId);
}

export function setEmail(state: State, person: Person, email: string): void {
  if (person.email !== undefined) state.byEmail.delete(normaliseEmail(person.email));
  person.email = email;
  state.byEmail.set(normaliseEmail(email), person.cioId);
}

/** Remove a person and everything that points at them (indexes, devices, relationships). */
export function removePerson(state: State, person: Person): void {
  state.people.delete(person.cioId);
  if (person.id !== undefined) state.byId.delete(person.id);
  if (person.email !== undefined) state.byEmail.delete(normaliseEmail(person.email));
  for (const token of person.devices.keys()) state.byToken.delete(token);
  for (const anonymousId of person.anonymousIds) state.anonymousOwner.delete(anonymousId);
  for (const object of state.objects.values()) object.relationships.delete(person.cioId);
}
