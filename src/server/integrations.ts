/**
 * The `integrations` object of an event decides whether Customer.io gets it, as in Segment's
 * libraries: `{"Customer.io": false}` turns it off; `{"All": false}` turns every destination off
 * unless Customer.io is named with a truthy value (`true` or a settings object).
 *
 * Names are matched case-insensitively, in the spellings used by Segment Classic (`Customer.io`),
 * Segment Actions (`Customer.io (Actions)`), RudderStack (`Customer IO`, `customerio`) and
 * Customer.io Data Pipelines, whose destination is called `Customer.io Journeys` (seed 004).
 * `Customer.io Data Pipelines` itself is not a spelling: it names the pipeline an event travels
 * through, not the destination, so it could only mean "everything".
 * When spellings disagree, `false` wins: an opt-out must never be overridden by accident.
 *
 * An event turned off here is still appended (with no destination) and answered 200, rather than
 * dropped by the server: it then takes part in messageId deduplication like any other (the store
 * keeps its dedupe key, and no job, so nothing is sent), and a client sees the same answer whatever
 * destinations exist.
 */

const CUSTOMER_IO_NAMES = new Set([
  'customer.io',
  'customer.io (actions)',
  'customer io',
  'customerio',
  'customer.io journeys',
]);

/** True when the event may go to Customer.io destinations. `integrations` as received (unchecked). */
export function allowsCustomerIo(integrations: unknown): boolean {
  if (typeof integrations !== 'object' || integrations === null) return true;
  let all: unknown;
  let on = false;
  let off = false;
  for (const key in integrations) {
    const value = (integrations as Record<string, unknown>)[key];
    const name = key.trim().toLowerCase();
    if (name === 'all') all = value;
    else if (CUSTOMER_IO_NAMES.has(name)) {
      if (value === false) off = true;
      else if (value) on = true;
    }
  }
  if (off) return false;
  return all === false ? on : true;
}
