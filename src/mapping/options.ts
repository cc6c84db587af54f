import { describe, quoteList } from './describe.js';
import type { Site } from './site.js';
import { hasDirectiveKey, isPlainObject } from './values.js';

/** What a directive taking an options object (`{"@if": {...}}`) accepts. */
export interface OptionsSpec {
  readonly directive: string;
  readonly options: readonly string[];
  /** A valid example shown when the argument is not an object at all. */
  readonly example: string;
}

/**
 * Checks that a directive's argument is an object holding only known options. Segment ignores
 * unknown options; we reject them because they are nearly always typos ("exist", "Then").
 */
export function readOptions(
  argument: unknown,
  site: Site,
  spec: OptionsSpec,
): Readonly<Record<string, unknown>> {
  if (!isPlainObject(argument) || hasDirectiveKey(argument)) {
    return site.fail(
      `${spec.directive} needs an object of options such as ${spec.example} (got ${describe(argument)})`,
    );
  }
  for (const key of Object.keys(argument)) {
    if (!spec.options.includes(key)) {
      site
        .at(key)
        .fail(
          `${spec.directive} has no option ${JSON.stringify(key)}; its options are ${quoteList(spec.options)}`,
        );
    }
  }
  return argument;
}

/** A required option that must be one of a few exact strings. */
export function readChoice<T extends string>(
  options: Readonly<Record<string, unknown>>,
  key: string,
  choices: readonly T[],
  site: Site,
  directive: string,
): T {
  const value = options[key];
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  const where = value === undefined ? site : site.at(key);
  return where.fail(
    `${directive} needs "${key}" set to ${quoteList(choices).replace(' and ', ' or ')} (got ${describe(value)})`,
  );
}

/** An optional boolean option. */
export function readBoolean(
  options: Readonly<Record<string, unknown>>,
  key: string,
  fallback: boolean,
  site: Site,
  directive: string,
): boolean {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  return site.at(key).fail(`${directive} option "${key}" must be true or false (got ${describe(value)})`);
}
