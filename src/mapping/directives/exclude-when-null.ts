import { setOwn } from '../../objects.js';
import { MAX_VALUE_DEPTH } from '../limits.js';
import type { DirectiveCompiler } from '../types.js';
import { isPlainObject } from '../values.js';

/**
 * `{"@excludeWhenNull": v}`: undefined when v is null; for an object, a copy without the keys
 * whose value is null, recursively through nested objects (not through arrays, whose items are
 * kept as they are, as in Segment); any other value unchanged. An object nested deeper than
 * MAX_VALUE_DEPTH gives undefined.
 */
export const compileExcludeWhenNull: DirectiveCompiler = (argument, site) => {
  const node = site.compile(argument);
  return (root) => {
    const value = node(root);
    if (value === null) return undefined;
    return isPlainObject(value) ? withoutNulls(value, 0) : value;
  };
};

function withoutNulls(object: Record<string, unknown>, depth: number): Record<string, unknown> | undefined {
  if (depth >= MAX_VALUE_DEPTH) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    let item = object[key];
    if (item === null || item === undefined) continue;
    if (isPlainObject(item)) {
      item = withoutNulls(item, depth + 1);
      if (item === undefined) return undefined;
    }
    setOwn(out, key, item);
  }
  return out;
}
