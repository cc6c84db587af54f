import { isPlainObject } from './values.js';

/** One step into the configuration: an object key or an array index. */
export type Segment = string | number;

const SIMPLE_KEY = /^[A-Za-z_$@][A-Za-z0-9_$-]*$/;

/**
 * Formats a location the way people write it in a config file:
 * `subscriptions[2].mapping.attributes.plan`, `...created_at.@if.then`, `...attributes["first name"]`.
 */
export function formatLocation(base: string | undefined, location: readonly Segment[]): string | undefined {
  let out = base ?? '';
  for (const segment of location) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (SIMPLE_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? undefined : out;
}

const MAX_SHOWN = 60;

/** A short rendering of an offending configuration value for "(got ...)" in error messages. */
export function describe(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'nothing';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    case 'bigint':
      return `the bigint ${value}`;
    case 'number':
      if (!Number.isFinite(value)) return String(value);
      break;
    case 'object':
      if (value !== null && !Array.isArray(value) && !isPlainObject(value)) {
        const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } }).constructor?.name;
        return typeof name === 'string' && name !== '' ? `a ${name} object` : 'a non-JSON object';
      }
      break;
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined) return 'a value that is not JSON';
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 3)}...` : text;
}

/** `"a", "b" and "c"`, for listing keys in messages. */
export function quoteList(items: readonly string[]): string {
  const quoted = items.map((item) => JSON.stringify(item));
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}
