/**
 * Which person an identify call means, and which identifiers it gives them (seeds 001 and 004,
 * rudderstack-classic-trackapi.md §3.2):
 * - addressed by id: updates that person; the email attribute may change their email ("Allow
 *   updates to email using ID" is modelled as on). If the id is new but the email belongs to a
 *   lead without an id, the lead gains the id; if that email's person already has another id,
 *   it is a conflict.
 * - addressed by email: updates that person (a lead gains `attributes.id` if it has none and the id
 *   is free). If the email is new but `attributes.id` names a person, that person gets the email.
 * - addressed by cio_id: the only way to change an id; either identifier may change to any value
 *   no one else has.
 * Two identifiers that belong to two different people are a `conflict`.
 */
import type { Person, State } from './model.js';
import type { PersonKey } from './operations.js';
import { findPerson, notFoundFailure } from './people.js';
import { type Failure, fail, normaliseEmail } from './util.js';

export interface IdentityPlan {
  /** The person to update; undefined means create one. */
  person: Person | undefined;
  id?: string;
  email?: string;
}

function byId(state: State, id: string | undefined): Person | undefined {
  return id === undefined ? undefined : findPerson(state, { kind: 'id', value: id });
}

function byEmail(state: State, email: string | undefined): Person | undefined {
  return email === undefined ? undefined : findPerson(state, { kind: 'email', value: email });
}

function conflict(field: string, message: string): Failure {
  return fail('conflict', field, message);
}

export function resolveIdentity(
  state: State,
  key: PersonKey,
  newId: string | undefined,
  newEmail: string | undefined,
): IdentityPlan | Failure {
  const addressed = findPerson(state, key);
  const withId = byId(state, newId);
  const withEmail = byEmail(state, newEmail);

  if (key.kind === 'cio_id') {
    if (addressed === undefined) return notFoundFailure(key, 'identifiers.cio_id');
    if (withId && withId !== addressed) {
      return conflict('attributes.id', `The id "${newId}" already belongs to another person.`);
    }
    if (withEmail && withEmail !== addressed) {
      return conflict('attributes.email', `The email "${newEmail}" already belongs to another person.`);
    }
    return { person: addressed, id: newId, email: newEmail };
  }

  if (key.kind === 'id') {
    if (newId !== undefined && newId !== key.value) {
      return conflict(
        'attributes.id',
        `attributes.id "${newId}" differs from identifiers.id "${key.value}"; to change an id, address the person by cio_id.`,
      );
    }
    if (addressed) {
      if (withEmail && withEmail !== addressed) {
        return conflict(
          'attributes.email',
          `The email "${newEmail}" already belongs to another person than id "${key.value}".`,
        );
      }
      return { person: addressed, email: newEmail };
    }
    if (withEmail) {
      if (withEmail.id !== undefined) {
        return conflict(
          'attributes.email',
          `The email "${newEmail}" belongs to a person with id "${withEmail.id}"; to change an id, address the person by cio_id.`,
        );
      }
      // A lead known by email becomes a customer: it gains the id.
      return { person: withEmail, id: key.value };
    }
    return { person: undefined, id: key.value, email: newEmail };
  }

  // Addressed by email.
  if (newEmail !== undefined && normaliseEmail(newEmail) !== normaliseEmail(key.value)) {
    return conflict(
      'attributes.email',
      `attributes.email differs from identifiers.email "${key.value}"; to change an email, address the person by id or cio_id.`,
    );
  }
  if (addressed) {
    if (withId && withId !== addressed) {
      return conflict(
        'attributes.id',
        `The id "${newId}" already belongs to another person than email "${key.value}".`,
      );
    }
    if (newId !== undefined && addressed.id !== undefined && addressed.id !== newId) {
      return conflict(
        'attributes.id',
        `The person with email "${key.value}" already has id "${addressed.id}"; to change an id, address the person by cio_id.`,
      );
    }
    return { person: addressed, id: newId };
  }
  if (withId) return { person: withId, email: key.value };
  return { person: undefined, email: key.value, id: newId };
}
