/**
 * Checks a parsed configuration against its description (fields.ts): every problem is collected
 * with its key path, and the value comes back with defaults filled in. Values of secret fields
 * are never echoed.
 */

import type { Field, ListField, ObjectField, StringField } from './fields.js';
import { isPlainObject, isRequired } from './fields.js';
import type { Problems } from './problems.js';
import { closest } from './suggest.js';

export function checkField(field: Field, value: unknown, path: string, problems: Problems): unknown {
  // YAML reads `batch:` with nothing after it as null: treat it as left out.
  if (value === undefined || value === null) return missing(field, path, problems);
  // `token: ${ADMIN_TOKEN:-}` is how a file says "none unless the environment sets one".
  if (value === '' && !isRequired(field)) return missing(field, path, problems);
  switch (field.kind) {
    case 'integer':
    case 'number':
      return checkNumber(field.kind, field, value, path, problems);
    case 'boolean': {
      // `${VAR}` always substitutes a string, so accept the words too.
      const v = value === 'true' ? true : value === 'false' ? false : value;
      if (typeof v === 'boolean') return v;
      return wrong(field, value, path, problems);
    }
    case 'string':
      return checkString(field, value, path, problems);
    case 'record':
      return isPlainObject(value) ? value : wrong(field, value, path, problems);
    case 'object':
      return checkObject(field, value, path, problems);
    case 'list':
      return checkList(field, value, path, problems);
  }
}

function missing(field: Field, path: string, problems: Problems): unknown {
  if (field.default !== undefined) return field.default;
  if (field.optional) return undefined;
  // A left-out object is its defaults, or says which of its keys are required.
  if (field.kind === 'object') return checkObject(field, {}, path, problems);
  const key = path.slice(path.lastIndexOf('.') + 1);
  problems.add(
    path,
    field.example !== undefined
      ? `missing; add \`${key}: ${field.example}\``
      : field.kind === 'list'
        ? `missing; list at least ${count(Math.max(1, field.minItems), 'item')}: ${itemExpectation(field)}`
        : `missing; it must be ${expectation(field)}`,
  );
  return undefined;
}

function checkNumber(
  kind: 'integer' | 'number',
  field: Field & { min: number; max: number },
  value: unknown,
  path: string,
  problems: Problems,
): unknown {
  // `port: ${PORT:-8787}` substitutes the string "8787".
  const n = typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  const ok =
    typeof n === 'number' &&
    (kind === 'integer' ? Number.isInteger(n) : Number.isFinite(n)) &&
    n >= field.min &&
    n <= field.max;
  return ok ? n : wrong(field, value, path, problems);
}

function checkString(field: StringField, value: unknown, path: string, problems: Problems): unknown {
  if (typeof value !== 'string') {
    // YAML reads `siteId: 12345` as a number; converting it back could change it (`1e3`).
    const hint = typeof value === 'number' ? '; put it in quotes' : '';
    return wrong(field, value, path, problems, hint);
  }
  if (field.enum && !field.enum.includes(value)) {
    const guess = closest(value, field.enum);
    return wrong(field, value, path, problems, guess ? `; did you mean "${guess}"?` : '');
  }
  if (value.length < field.minLength) {
    problems.add(
      path,
      value.length === 0
        ? `must not be empty${field.example ? ` (is ${field.example.replace(/[${}]/g, '')} set?)` : ''}`
        : `must be at least ${field.minLength} characters (got ${value.length})`,
    );
    return undefined;
  }
  if (field.pattern && !new RegExp(field.pattern).test(value)) return wrong(field, value, path, problems);
  return value;
}

function checkObject(field: ObjectField, value: unknown, path: string, problems: Problems): unknown {
  if (!isPlainObject(value)) return wrong(field, value, path, problems);
  const known = Object.keys(field.fields);
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(field.fields, key)) continue;
    const guess = closest(key, known);
    problems.add(
      join(path, key),
      guess
        ? `unknown key; did you mean "${guess}"?`
        : `unknown key; ${path ? `${path} takes` : 'the keys are'} ${known.join(', ')}`,
    );
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(field.fields)) {
    out[key] = checkField(
      child,
      Object.hasOwn(value, key) ? value[key] : undefined,
      join(path, key),
      problems,
    );
  }
  return out;
}

function checkList(field: ListField, value: unknown, path: string, problems: Problems): unknown {
  if (!Array.isArray(value)) return wrong(field, value, path, problems);
  if (value.length < field.minItems) {
    problems.add(path, `must list at least ${count(field.minItems, 'item')}: ${itemExpectation(field)}`);
  }
  if (field.maxItems !== undefined && value.length > field.maxItems) {
    problems.add(path, `must list at most ${count(field.maxItems, 'item')} (got ${value.length})`);
  }
  return value.map((item, i) => checkField(field.items, item, `${path}[${i}]`, problems));
}

function wrong(field: Field, value: unknown, path: string, problems: Problems, hint = ''): undefined {
  const secret = field.kind === 'string' && field.secret;
  problems.add(path, `must be ${expectation(field)} (got ${describe(value, secret === true)})${hint}`);
  return undefined;
}

/** What a field accepts, as the end of "must be ...". */
export function expectation(field: Field): string {
  switch (field.kind) {
    case 'integer':
      return `an integer from ${field.min} to ${field.max}`;
    case 'number':
      return `a number from ${field.min} to ${field.max}`;
    case 'boolean':
      return 'true or false';
    case 'string':
      if (field.enum) return `one of ${field.enum.map((e) => JSON.stringify(e)).join(', ')}`;
      if (field.patternText) return `a string of ${field.patternText}`;
      return field.minLength > 1 ? `a string of at least ${field.minLength} characters` : 'a string';
    case 'record':
      return 'an object of field: value';
    case 'object':
      return `an object ${field.summary}`;
    case 'list':
      return `a list of ${itemExpectation(field)}`;
  }
}

function itemExpectation(field: ListField): string {
  const items = field.items;
  if (items.kind === 'object') return `objects ${items.summary}`;
  if (items.kind === 'string' && !items.enum) return 'strings';
  return `values that are each ${expectation(items)}`;
}

/** A value as it reads in "(got ...)": short, and only its kind when it is a secret. */
function describe(value: unknown, secret: boolean): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'an object';
  if (secret) return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
