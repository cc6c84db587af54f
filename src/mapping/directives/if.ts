import { describe } from '../describe.js';
import { readOptions } from '../options.js';
import { isBlank } from '../text.js';
import type { DirectiveCompiler, Node } from '../types.js';
import { hasDirectiveKey } from '../values.js';

const EXAMPLE =
  '{"exists": {"@path": "$.traits.email"}, "then": {"@path": "$.traits.email"}, "else": "none"}';

/** Segment's "exists": neither undefined nor null (0, '' and false exist). */
const exists = (value: unknown): boolean => value !== undefined && value !== null;
/** Segment's "blank" condition is true when the value is NOT blank (loosely != ''). */
const notBlank = (value: unknown): boolean => !isBlank(value);

/**
 * `{"@if": {"exists" | "blank": condition, "then": a, "else": b}}`. Segment quirks kept: a missing
 * "then" gives undefined, and an "else" that is a falsy literal (false, 0, "", null) is ignored
 * (Segment tests `opts.else` for truthiness), so the result is undefined.
 */
export const compileIf: DirectiveCompiler = (argument, site) => {
  const options = readOptions(argument, site, {
    directive: '@if',
    options: ['exists', 'blank', 'then', 'else'],
    example: EXAMPLE,
  });
  const hasExists = options.exists !== undefined;
  const hasBlank = options.blank !== undefined;
  if (hasExists && hasBlank) {
    site.fail('@if takes one condition, "exists" or "blank", not both; split it into two nested @if');
  }
  if (!hasExists && !hasBlank) {
    site.fail(`@if needs a condition, "exists" or "blank", such as ${EXAMPLE}`);
  }
  const key = hasExists ? 'exists' : 'blank';
  const condition = options[key];
  // Segment would accept a literal, but a constant condition is always a mistake, typically
  // "exists": "$.traits.email" where {"@path": ...} was meant.
  if (!hasDirectiveKey(condition)) {
    site
      .at(key)
      .fail(
        `@if "${key}" must be a directive such as {"@path": "$.traits.email"} (got ${describe(condition)})`,
      );
  }
  const test = hasExists ? exists : notBlank;
  const check = site.at(key).compile(condition);
  const then = options.then === undefined ? undefined : site.at('then').compile(options.then);
  const otherwise = isFalsyLiteral(options.else) ? undefined : site.at('else').compile(options.else);
  return branch(check, test, then, otherwise);
};

function isFalsyLiteral(value: unknown): boolean {
  return value === undefined || value === null || value === false || value === 0 || value === '';
}

function branch(
  check: Node,
  test: (value: unknown) => boolean,
  then: Node | undefined,
  otherwise: Node | undefined,
): Node {
  if (then === undefined && otherwise === undefined) return () => undefined;
  if (otherwise === undefined) return (root) => (test(check(root)) ? then!(root) : undefined);
  if (then === undefined) return (root) => (test(check(root)) ? undefined : otherwise(root));
  return (root) => (test(check(root)) ? then(root) : otherwise(root));
}
