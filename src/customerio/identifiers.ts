/**
 * Which Customer.io identifier a value is. Customer.io decides "from the shape of the value":
 * `cio_<id>` addresses a person by cio_id (sent bare in v2 bodies), an email-shaped value is an
 * email, anything else is an id.
 */

// The email shape used by Segment's package (ajv-formats' "email" format), so both agree.
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

export function isEmail(value: string): boolean {
  return value.indexOf('@') > 0 && EMAIL.test(value);
}

export type PersonIdentifiers =
  | { id: string }
  | { email: string }
  | { cio_id: string }
  | { anonymous_id: string };
export type ObjectIdentifiers = { object_type_id: string; object_id: string };

/** The identifier a person id denotes: `cio_` prefix → cio_id, email shape → email, else id. */
export function personIdentifier(personId: string): { id: string } | { email: string } | { cio_id: string } {
  if (personId.startsWith('cio_')) return { cio_id: personId.slice(4) };
  if (isEmail(personId)) return { email: personId };
  return { id: personId };
}

export interface IdentifierInputs {
  person_id?: string | undefined;
  email?: string | undefined;
  anonymous_id?: string | undefined;
}

/** Person identifiers by precedence: person id (cio_/email/id), then email, then anonymous id. */
export function resolvePerson(inputs: IdentifierInputs): PersonIdentifiers | undefined {
  if (inputs.person_id) return personIdentifier(inputs.person_id);
  if (inputs.email) return { email: inputs.email };
  if (inputs.anonymous_id) return { anonymous_id: inputs.anonymous_id };
  return undefined;
}

/**
 * A stable key for "the same person" in ordering and logs: the most specific identifier the
 * operation carries (`id:u1`, `email:a@b.c`, `cio_id:...`, `anonymous_id:...`).
 */
export function personKey(identifiers: PersonIdentifiers | undefined): string | undefined {
  if (identifiers === undefined) return undefined;
  for (const key in identifiers) return `${key}:${(identifiers as Record<string, string>)[key]}`;
  return undefined;
}
