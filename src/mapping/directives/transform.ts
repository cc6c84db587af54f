import { describe } from '../describe.js';
import { readOptions } from '../options.js';
import type { DirectiveCompiler } from '../types.js';
import { isPlainObject } from '../values.js';

const EXAMPLE = '{"apply": {"name": {"@path": "$.traits.name"}}, "mapping": {"@path": "$.name"}}';

/**
 * `{"@transform": {"apply": a, "mapping": m}}`: maps the event with `a`, then maps that result
 * with `m` ("$" in `m` is the result of `a`). Supported because Segment has it; rarely needed.
 */
export const compileTransform: DirectiveCompiler = (argument, site) => {
  const options = readOptions(argument, site, {
    directive: '@transform',
    options: ['apply', 'mapping'],
    example: EXAMPLE,
  });
  for (const key of ['apply', 'mapping']) {
    const value = options[key];
    if (!isPlainObject(value)) {
      const where = value === undefined ? site : site.at(key);
      where.fail(
        `@transform needs "${key}": an object or a directive, such as ${EXAMPLE} (got ${describe(value)})`,
      );
    }
  }
  const apply = site.at('apply').compile(options.apply);
  const mapping = site.at('mapping').compile(options.mapping);
  return (root) => mapping(apply(root));
};
