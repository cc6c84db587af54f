import { describe } from '../describe.js';
import { checkAbsolutePath, pathReader } from '../path.js';
import type { DirectiveCompiler, Node } from '../types.js';
import { hasDirectiveKey, isPlainObject } from '../values.js';

const EXAMPLE = '["$.properties.products", {"sku": {"@path": "$.product_id"}}]';

/**
 * `{"@arrayPath": [source, shape]}`: source is a "$." path or a directive. When the source value
 * is an array (or an object, treated as a one-item array) and a non-empty shape is given, the
 * result is a new array with the shape mapped over each item, "$" in the shape meaning the item;
 * otherwise the source value is returned unchanged.
 */
export const compileArrayPath: DirectiveCompiler = (argument, site) => {
  if (!Array.isArray(argument) || argument.length < 1 || argument.length > 2) {
    return site.fail(
      `@arrayPath needs an array of a path and an optional item shape such as ${EXAMPLE} (got ${describe(argument)})`,
    );
  }
  const [source, shape] = argument as unknown[];
  const read = compileSource(source, site);
  if (shape === undefined) return read;
  if (!isPlainObject(shape)) {
    return site
      .at(1)
      .fail(
        `@arrayPath item shape must be an object such as {"sku": {"@path": "$.product_id"}} (got ${describe(shape)})`,
      );
  }
  const compiled = site.at(1).compile(shape);
  // Segment ignores an empty shape: the source is returned as it is.
  if (Object.keys(shape).length === 0) return read;
  return (root) => {
    const value = read(root);
    if (Array.isArray(value)) {
      const out: unknown[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) out[i] = compiled(value[i]);
      return out;
    }
    if (isPlainObject(value)) return [compiled(value)];
    return value;
  };
};

function compileSource(source: unknown, site: Parameters<DirectiveCompiler>[1]): Node {
  if (hasDirectiveKey(source)) return site.at(0).compile(source);
  if (typeof source !== 'string') {
    return site
      .at(0)
      .fail(
        `@arrayPath source must be a path such as "$.properties.products" or a directive (got ${describe(source)})`,
      );
  }
  const parsed = checkAbsolutePath(source, '@arrayPath source');
  if ('problem' in parsed) return site.at(0).fail(parsed.problem);
  return pathReader(parsed.keys);
}
