import { describe } from '../describe.js';
import { readChoice, readOptions } from '../options.js';
import type { DirectiveCompiler } from '../types.js';
import { hasDirectiveKey } from '../values.js';

const EXAMPLE = '{"operator": "lower", "value": {"@path": "$.traits.email"}}';

/**
 * `{"@case": {"operator": "lower" | "upper", "value": v}}`: a string value lower- or upper-cased
 * (String#toLowerCase / toUpperCase, locale-independent); any other value is returned unchanged.
 * As in Segment, a literal "" value gives undefined (Segment tests `opts.value` for truthiness).
 */
export const compileCase: DirectiveCompiler = (argument, site) => {
  const options = readOptions(argument, site, {
    directive: '@case',
    options: ['operator', 'value'],
    example: EXAMPLE,
  });
  const operator = readChoice(options, 'operator', ['lower', 'upper'] as const, site, '@case');
  const convert =
    operator === 'lower' ? (text: string) => text.toLowerCase() : (text: string) => text.toUpperCase();
  const value = options.value;
  if (typeof value === 'string') {
    const converted = value === '' ? undefined : convert(value);
    return () => converted;
  }
  if (!hasDirectiveKey(value)) {
    const where = value === undefined ? site : site.at('value');
    return where.fail(
      `@case needs "value": text or a directive such as {"@path": "$.traits.email"} (got ${describe(value)})`,
    );
  }
  const node = site.at('value').compile(value);
  return (root) => {
    const resolved = node(root);
    return typeof resolved === 'string' ? convert(resolved) : resolved;
  };
};
