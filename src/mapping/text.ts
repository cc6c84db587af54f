import { MAX_VALUE_DEPTH } from './limits.js';

/**
 * How Segment turns a value into text: the JavaScript `String(value)` conversion that
 * `template.replace(regex, fn)` applies (objects become "[object Object]", arrays are joined with
 * commas, null and undefined become ''). Written out instead of calling String() because an event
 * object with a "toString" key would make String() throw.
 */
export function toText(value: unknown, depth = 0): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      if (value === null) return '';
      if (Array.isArray(value)) return arrayText(value, depth);
      return '[object Object]';
    default:
      return '';
  }
}

function arrayText(items: readonly unknown[], depth: number): string {
  // Array.prototype.join renders null and undefined items as ''; deeper than the bound, we give up.
  if (depth >= MAX_VALUE_DEPTH) return '';
  let out = '';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    out += toText(items[i], depth + 1);
  }
  return out;
}

/**
 * Segment's `@if` "blank" test is `value != ''` with JavaScript's loose equality, so besides
 * undefined, null and '' it also treats 0, false and arrays that join to '' ([], [null], [''])
 * as blank. Objects are never blank.
 */
export function isBlank(value: unknown): boolean {
  switch (typeof value) {
    case 'undefined':
      return true;
    case 'string':
      return value === '';
    case 'number':
      return value === 0;
    case 'boolean':
      return value === false;
    case 'bigint':
      return value === 0n;
    case 'object':
      return value === null || (Array.isArray(value) && toText(value) === '');
    default:
      return false;
  }
}
