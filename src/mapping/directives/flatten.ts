import { setOwn } from '../../objects.js';
import { describe } from '../describe.js';
import { MAX_VALUE_DEPTH } from '../limits.js';
import { readBoolean, readOptions } from '../options.js';
import type { DirectiveCompiler } from '../types.js';
import { isPlainObject } from '../values.js';

const EXAMPLE = '{"separator": ".", "value": {"@path": "$.traits.address"}}';

/** Tells the caller that the value was nested too deeply to flatten. */
const TOO_DEEP = Symbol('too deep');

/**
 * `{"@flatten": {"separator": ".", "value": v, "omitArrays": false}}`: a new one-level object
 * whose keys join the nested keys with the separator ({a: {b: 1}, c: [2]} -> {"a.b": 1, "c.0": 2});
 * with "omitArrays" arrays are kept as values. Empty objects and arrays vanish, and on a key
 * collision the later key wins, as in Segment. A value that is not an object or array gives {}
 * (Segment gives {"": value}); one nested deeper than MAX_VALUE_DEPTH gives undefined.
 */
export const compileFlatten: DirectiveCompiler = (argument, site) => {
  const options = readOptions(argument, site, {
    directive: '@flatten',
    options: ['separator', 'value', 'omitArrays'],
    example: EXAMPLE,
  });
  const separator = options.separator;
  // Segment's validator calls it optional, but its runtime throws on every event without one.
  if (typeof separator !== 'string' || separator === '') {
    const where = separator === undefined ? site : site.at('separator');
    return where.fail(
      `@flatten needs "separator": non-empty text such as "." or "_" (got ${describe(separator)})`,
    );
  }
  if (options.value === undefined) return site.fail(`@flatten needs "value", such as ${EXAMPLE}`);
  const omitArrays = readBoolean(options, 'omitArrays', false, site, '@flatten');
  const node = site.at('value').compile(options.value);
  return (root) => {
    const out: Record<string, unknown> = {};
    const value = node(root);
    if (!isContainer(value, omitArrays)) return out;
    return flattenInto(out, value, '', separator, omitArrays, 0) === TOO_DEEP ? undefined : out;
  };
};

function isContainer(value: unknown, omitArrays: boolean): value is Record<string, unknown> {
  return isPlainObject(value) || (!omitArrays && Array.isArray(value));
}

function flattenInto(
  out: Record<string, unknown>,
  value: Record<string, unknown>,
  prefix: string,
  separator: string,
  omitArrays: boolean,
  depth: number,
): typeof TOO_DEEP | undefined {
  if (depth >= MAX_VALUE_DEPTH) return TOO_DEEP;
  for (const key of Object.keys(value)) {
    const item = value[key];
    // Segment joins with the separator only when the prefix is non-empty, so a "" key adds nothing.
    const name = prefix === '' ? key : prefix + separator + key;
    if (isContainer(item, omitArrays)) {
      if (flattenInto(out, item, name, separator, omitArrays, depth + 1) === TOO_DEEP) return TOO_DEEP;
    } else if (item !== undefined) {
      setOwn(out, name, item);
    }
  }
  return undefined;
}
