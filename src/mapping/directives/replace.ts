import { describe } from '../describe.js';
import { readBoolean, readOptions } from '../options.js';
import type { Site } from '../site.js';
import type { DirectiveCompiler } from '../types.js';
import { hasDirectiveKey } from '../values.js';

/** Segment's limits on pattern and replacement length (its validator rejects longer ones). */
export const MAX_PATTERN_LENGTH = 10;
export const MAX_REPLACEMENT_LENGTH = 10;

const EXAMPLE = '{"pattern": "-", "replacement": "_", "value": {"@path": "$.properties.sku"}}';
const OPTIONS = ['pattern', 'replacement', 'pattern2', 'replacement2', 'ignorecase', 'global', 'value'];

/**
 * `{"@replace": {"pattern", "replacement", "pattern2", "replacement2", "ignorecase", "global",
 * "value"}}`, as in Segment: the pattern is plain text, not a regular expression (so it can never
 * be an invalid regex); "replacement" defaults to "", "global" to true (every occurrence),
 * "ignorecase" to false; "pattern2"/"replacement2" run a second replacement on the result with the
 * same flags. Replacements are String#replace replacement strings, so "$&" inserts the match and
 * "$$" a dollar. Numbers and booleans are converted to text first; any other value (missing, null,
 * object) gives "". A literal "" value gives undefined (Segment tests `opts.value` for truthiness).
 */
export const compileReplace: DirectiveCompiler = (argument, site) => {
  const options = readOptions(argument, site, { directive: '@replace', options: OPTIONS, example: EXAMPLE });
  const pattern = readText(options, 'pattern', 1, MAX_PATTERN_LENGTH, site, true)!;
  const replacement = readText(options, 'replacement', 0, MAX_REPLACEMENT_LENGTH, site, false) ?? '';
  const pattern2 = readText(options, 'pattern2', 1, MAX_PATTERN_LENGTH, site, false);
  const replacement2 = readText(options, 'replacement2', 0, MAX_REPLACEMENT_LENGTH, site, false);
  if (pattern2 === undefined && replacement2 !== undefined) {
    site
      .at('replacement2')
      .fail('@replace "replacement2" is only used with "pattern2"; add "pattern2" or remove it');
  }
  const flags =
    (readBoolean(options, 'global', true, site, '@replace') ? 'g' : '') +
    (readBoolean(options, 'ignorecase', false, site, '@replace') ? 'i' : '');
  // Built once; String#replace resets lastIndex of a global regex, so sharing it is safe.
  const first = new RegExp(escapeRegExp(pattern), flags);
  const second = pattern2 === undefined ? undefined : new RegExp(escapeRegExp(pattern2), flags);
  const run = (text: string): string => {
    const once = text.replace(first, replacement);
    return second === undefined ? once : once.replace(second, replacement2 ?? '');
  };

  const value = options.value;
  if (typeof value === 'string') {
    const result = value === '' ? undefined : run(value);
    return () => result;
  }
  if (!hasDirectiveKey(value)) {
    const where = value === undefined ? site : site.at('value');
    return where.fail(
      `@replace needs "value": text or a directive such as {"@path": "$.properties.sku"} (got ${describe(value)})`,
    );
  }
  const node = site.at('value').compile(value);
  return (root) => {
    const resolved = node(root);
    if (typeof resolved === 'string') return run(resolved);
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return run(String(resolved));
    return '';
  };
};

function readText(
  options: Readonly<Record<string, unknown>>,
  key: string,
  min: number,
  max: number,
  site: Site,
  required: boolean,
): string | undefined {
  const value = options[key];
  if (value === undefined && !required) return undefined;
  if (typeof value === 'string' && value.length >= min && value.length <= max) return value;
  const size = min === 0 ? `at most ${max} characters` : `${min} to ${max} characters`;
  const where = value === undefined ? site : site.at(key);
  return where.fail(
    `@replace needs "${key}": plain text of ${size} (Segment's limit) (got ${describe(value)})`,
  );
}

/** Every character with a meaning in a regular expression, so the pattern matches literally. */
function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}
