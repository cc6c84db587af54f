/**
 * Delete, suppress and unsuppress (rudderstack-classic-trackapi.md §3.3):
 * - delete removes the profile; a later call may create it again. Deleting nobody is fine.
 * - suppress deletes the profile and blocks every identifier it had (id, email and cio_id, not
 *   only the one addressed); an identifier with no profile can be suppressed too. Any later
 *   operation addressing a blocked identifier is refused with reason `suppressed`.
 * - unsuppress frees the identifiers of that suppression (addressing any one of them frees all);
 *   it does not bring the profile back.
 */
import type { Suppression } from './model.js';
import type { PersonOnlyOp } from './operations.js';
import {
  blocks,
  findPerson,
  isSuppressed,
  notFoundFailure,
  removePerson,
  suppressedFailure,
} from './people.js';
import { type Context, NOTHING, type Prepared } from './prepared.js';
import { normaliseEmail } from './util.js';

export function prepareRemoval(ctx: Context, op: PersonOnlyOp): Prepared {
  const { state } = ctx;
  const key = op.target;
  const field = `identifiers.${key.kind}`;
  const suppressed = isSuppressed(state, key);

  if (op.op === 'unsuppress') {
    if (!suppressed) return NOTHING;
    return () => {
      state.suppressions = state.suppressions.filter((s) => !blocks(s, key));
    };
  }
  if (op.op === 'suppress' && suppressed) return NOTHING;
  if (suppressed) return suppressedFailure(key, field);

  const person = findPerson(state, key);
  if (op.op === 'delete') return person ? () => removePerson(state, person) : NOTHING;

  if (person === undefined && key.kind === 'cio_id') return notFoundFailure(key, field);
  return () => {
    const suppression: Suppression = {};
    const id = person?.id ?? (key.kind === 'id' ? key.value : undefined);
    const email = person?.email ?? (key.kind === 'email' ? key.value : undefined);
    if (id !== undefined) suppression.id = id;
    if (email !== undefined) suppression.email = normaliseEmail(email);
    if (person) {
      suppression.cioId = person.cioId;
      removePerson(state, person);
    }
    state.suppressions.push(suppression);
  };
}
