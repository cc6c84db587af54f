import { ConfigError } from '../errors.js';
import { describe } from './describe.js';
import type { Node } from './types.js';
import { readOwn } from './values.js';

/**
 * The path language of `@path`, `@arrayPath` and `@template` placeholders, compiled to an array of
 * keys once. Segment reads paths with a regex split that silently does odd things (`a..b` is
 * `a.b`, quotes are deleted anywhere, `["a.b"]` is split at the dot, `x[y]` is the key "x[y]"),
 * so we accept only the forms whose meaning is clear and the same in Segment, and reject the rest
 * with a message:
 *
 *   key          any characters except . [ ] " '      ($.properties.first name is fine)
 *   .key         a nested key
 *   [12]         an array index (digits only)
 *   ["key"]      a quoted key, with ' or ", holding no . [ ] " '
 */

export type ParsedPath = { readonly keys: readonly string[] } | { readonly problem: string };

export const PATH_EXAMPLES = '"$.properties.plan", "$.products[0].sku" or "$.properties[\\"first name\\"]"';

function isNameChar(char: string): boolean {
  return char !== '.' && char !== '[' && char !== ']' && char !== '"' && char !== "'";
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

/**
 * Parses a path relative to a root (`properties.plan`), as found after `$.` or in `{{...}}`.
 * `offset` is where `text` starts in what the user wrote, so that positions in messages match.
 */
export function parseRelativePath(text: string, offset = 0): ParsedPath {
  const keys: string[] = [];
  let i = 0;
  let needKey = true; // at the start, and right after a "."
  let afterDot = false;
  const at = (index: number) => `at character ${offset + index + 1}`;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '[') {
      if (afterDot) return { problem: `"[" ${at(i)} cannot follow "." (write a[0], not a.[0])` };
      const bracket = parseBracket(text, i, at(i));
      if ('problem' in bracket) return bracket;
      keys.push(bracket.key);
      i = bracket.end;
      needKey = false;
      afterDot = false;
    } else if (char === '.') {
      if (needKey) return { problem: `it has an empty key ${at(i)}` };
      needKey = true;
      afterDot = true;
      i++;
    } else if (char === ']') {
      return { problem: `"]" ${at(i)} has no matching "["` };
    } else if (char === '"' || char === "'") {
      return {
        problem: `the quote ${at(i)} is not allowed outside brackets (quote a key as ["first name"])`,
      };
    } else if (!needKey) {
      return { problem: `${JSON.stringify(char)} ${at(i)} must be preceded by "."` };
    } else {
      let end = i;
      while (end < text.length && isNameChar(text[end]!)) end++;
      keys.push(text.slice(i, end));
      i = end;
      needKey = false;
      afterDot = false;
    }
  }
  if (needKey) return { problem: keys.length === 0 ? 'it names no key' : 'it ends with "."' };
  return { keys };
}

type Bracket = { readonly key: string; readonly end: number } | { readonly problem: string };

function parseBracket(text: string, open: number, where: string): Bracket {
  const first = text[open + 1];
  if (isDigit(first)) {
    let end = open + 1;
    while (isDigit(text[end])) end++;
    if (text[end] !== ']') return { problem: `the index in brackets ${where} must be digits only, like [0]` };
    return { key: text.slice(open + 1, end), end: end + 1 };
  }
  if (first === '"' || first === "'") {
    let end = open + 2;
    while (end < text.length && isNameChar(text[end]!)) end++;
    const key = text.slice(open + 2, end);
    if (text[end] === first && text[end + 1] === ']' && key !== '') return { key, end: end + 2 };
    return {
      problem:
        text[end] === '.'
          ? `the quoted key ${where} contains ".", which Segment splits into two keys (write nested keys as .a.b)`
          : `the quoted key ${where} must be non-empty text without . [ ] or quotes, closed as ["key"]`,
    };
  }
  return { problem: `the brackets ${where} must hold an index like [0] or a quoted key like ["first name"]` };
}

/** Parses `$`, `$.` (both: the whole root) or `$.` followed by a relative path. */
export function parseAbsolutePath(text: string): ParsedPath {
  if (text === '$' || text === '$.') return { keys: [] };
  if (!text.startsWith('$.')) return { problem: 'it does not start with "$."' };
  return parseRelativePath(text.slice(2), 2);
}

/**
 * Checks a configured path value and returns its keys, or the sentence that explains what is
 * wrong (prefixed with `what`, e.g. "@path").
 */
export function checkAbsolutePath(value: unknown, what: string): ParsedPath {
  if (typeof value !== 'string' || !(value === '$' || value.startsWith('$.'))) {
    return {
      problem: `${what} must be a string starting with "$." such as "$.properties.plan" (got ${describe(value)})`,
    };
  }
  const parsed = parseAbsolutePath(value);
  if ('problem' in parsed) {
    return {
      problem: `${what} ${JSON.stringify(value)} is not a valid path: ${parsed.problem}; write paths like ${PATH_EXAMPLES}`,
    };
  }
  return parsed;
}

/**
 * A reader for pre-split keys. Only own properties of objects and arrays are read; anything else
 * on the way (a string, a number, null, a missing key) makes the result `undefined`. This differs
 * from Segment on purpose: Segment returns a falsy value met on the way (`$.a.b` with a = 0 gives
 * 0, with a = null gives null) and reads inherited properties ("abc".length, {}.constructor).
 */
export function pathReader(keys: readonly string[]): Node {
  const [first, second, third] = keys;
  switch (keys.length) {
    case 0:
      return (root) => root;
    case 1:
      return (root) => readOwn(root, first!);
    case 2:
      return (root) => readOwn(readOwn(root, first!), second!);
    case 3:
      return (root) => readOwn(readOwn(readOwn(root, first!), second!), third!);
    default:
      return (root) => {
        let current = root;
        for (const key of keys) {
          current = readOwn(current, key);
          if (current === undefined) return undefined;
        }
        return current;
      };
  }
}

/**
 * Compiles a `$.`-path (as in `@path`) into a reader. The result may be a reference into the
 * event: callers must not mutate it. Throws ConfigError `invalid_mapping` at `options.path`.
 */
export function compilePath(path: string, options: { path?: string } = {}): (root: unknown) => unknown {
  const parsed = checkAbsolutePath(path, 'The path');
  if ('problem' in parsed) throw new ConfigError('invalid_mapping', parsed.problem, { path: options.path });
  return pathReader(parsed.keys);
}
