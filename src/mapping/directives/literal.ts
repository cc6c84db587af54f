import type { DirectiveCompiler } from '../types.js';

/**
 * `{"@literal": value}`: the value itself. Despite the name, Segment resolves directives inside it
 * (`{"@literal": {"@path": "$.userId"}}` is the userId), and so do we.
 */
export const compileLiteral: DirectiveCompiler = (argument, site) => site.compile(argument);
