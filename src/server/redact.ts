/**
 * A last line of defence for admin responses: they show what other parts wrote (delivery errors,
 * exchanges with Customer.io, stored events), so any configured secret (write keys, API keys, the
 * admin token) that found its way into such text is replaced before the response leaves. Nothing
 * should ever need it; ingest strips `writeKey` from events and no component puts keys in errors.
 * Secrets shorter than 8 characters are skipped: replacing `true` or `id` would corrupt the JSON
 * (and such a value is no secret).
 */
import type { RelayConfig } from '../config/types.js';

const MIN_SECRET_LENGTH = 8;
const MASK = '[redacted]';

export type Redactor = (payload: string) => string;

export function createRedactor(config: RelayConfig): Redactor {
  const secrets = new Set<string>();
  const add = (value: string | undefined) => {
    if (value === undefined || value.length < MIN_SECRET_LENGTH) return;
    // As it appears inside a JSON string (quotes and backslashes escaped).
    secrets.add(JSON.stringify(value).slice(1, -1));
  };
  for (const source of config.sources) add(source.writeKey);
  for (const destination of config.destinations) add(destination.apiKey);
  add(config.admin.token);
  const list = [...secrets];
  return (payload) => {
    let text = payload;
    for (const secret of list) if (text.includes(secret)) text = text.split(secret).join(MASK);
    return text;
  };
}
