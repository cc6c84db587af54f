import { checkAbsolutePath, pathReader } from '../path.js';
import type { DirectiveCompiler } from '../types.js';

/**
 * `{"@path": "$.properties.plan"}`: the value at that path, or undefined. The path must be a
 * literal: Segment also accepts a directive that computes the path per event, which would mean
 * parsing paths at run time; nobody needs it and it is rejected.
 */
export const compilePathDirective: DirectiveCompiler = (argument, site) => {
  const parsed = checkAbsolutePath(argument, '@path');
  if ('problem' in parsed) return site.fail(parsed.problem);
  return pathReader(parsed.keys);
};
