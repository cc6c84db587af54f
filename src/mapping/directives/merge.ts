import { setOwn } from '../../objects.js';
import { describe } from '../describe.js';
import { readChoice, readOptions } from '../options.js';
import type { DirectiveCompiler } from '../types.js';
import { isPlainObject } from '../values.js';

const EXAMPLE = '{"objects": [{"@path": "$.traits"}, {"@path": "$.properties"}], "direction": "right"}';

/**
 * `{"@merge": {"objects": [...], "direction": "left" | "right"}}`: a new object with the keys of
 * every object (a shallow merge). With "right" a later object wins a shared key, with "left" an
 * earlier one. Values that are not plain objects are skipped (Segment's Object.assign would spread
 * a string into "0", "1"... keys), and a key whose value is undefined does not erase an earlier
 * value (in Segment it would, once its removeUndefined pass drops the key).
 */
export const compileMerge: DirectiveCompiler = (argument, site) => {
  const options = readOptions(argument, site, {
    directive: '@merge',
    options: ['objects', 'direction'],
    example: EXAMPLE,
  });
  const objects = options.objects;
  if (!Array.isArray(objects)) {
    const where = objects === undefined ? site : site.at('objects');
    return where.fail(
      `@merge needs "objects": an array of objects or directives such as ${EXAMPLE} (got ${describe(objects)})`,
    );
  }
  const direction = readChoice(options, 'direction', ['left', 'right'] as const, site, '@merge');
  const nodes = (objects as unknown[]).map((item, index) => {
    if (!isPlainObject(item)) {
      site
        .at('objects', index)
        .fail(
          `@merge objects must be objects or directives such as {"@path": "$.traits"} (got ${describe(item)})`,
        );
    }
    return site.at('objects', index).compile(item);
  });
  // "left" means the leftmost object wins: apply the objects right to left.
  if (direction === 'left') nodes.reverse();
  return (root) => {
    const out: Record<string, unknown> = {};
    for (const node of nodes) {
      const value = node(root);
      if (!isPlainObject(value)) continue;
      for (const key of Object.keys(value)) {
        const item = value[key];
        if (item !== undefined) setOwn(out, key, item);
      }
    }
    return out;
  };
};
