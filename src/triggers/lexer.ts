import type { ComparisonOperator } from './ast.js';
import { describeChar, triggerError } from './syntax-error.js';

/**
 * Turns trigger text into tokens. One left-to-right pass, no backtracking, so its time is linear
 * in the length of the source whatever the input. Mistakes that people actually make (`==`, `&&`,
 * single or curly quotes) get a sentence that says what to write instead.
 */

export type Keyword = 'and' | 'or' | 'not' | 'exists' | 'true' | 'false' | 'null';
const KEYWORDS: ReadonlySet<string> = new Set<Keyword>([
  'and',
  'or',
  'not',
  'exists',
  'true',
  'false',
  'null',
]);

export type Token =
  | {
      readonly kind: 'field';
      readonly segments: readonly string[];
      readonly text: string;
      readonly start: number;
    }
  | { readonly kind: 'keyword'; readonly keyword: Keyword; readonly start: number }
  | { readonly kind: 'string'; readonly value: string; readonly text: string; readonly start: number }
  | { readonly kind: 'number'; readonly value: number; readonly text: string; readonly start: number }
  | { readonly kind: 'operator'; readonly operator: ComparisonOperator; readonly start: number }
  | { readonly kind: '(' | ')' | ',' | '!' | 'end'; readonly start: number };

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}
function isFieldStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$' || c === '\\';
}
/** Inside a field name, digits and `-` are allowed too (`properties.items.0`, `context.user-agent`). */
function isFieldChar(c: string): boolean {
  return isFieldStart(c) || (c >= '0' && c <= '9') || c === '-';
}

/** JSON's escapes; a Map so that no escape letter can ever hit an Object.prototype key. */
const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
]);

export function lex(source: string, path: string | undefined): Token[] {
  const fail = (what: string, position: number, hint?: string) =>
    triggerError(source, what, position, path, hint);
  const tokens: Token[] = [];
  const n = source.length;
  let i = 0;

  while (i < n) {
    const c = source[i]!;
    const start = i;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, start });
      i++;
      continue;
    }
    if (c === '"') {
      i = readString(start);
      continue;
    }
    if (c === '=') {
      if (source[i + 1] === '=') throw fail('"==" is not an operator', start, 'use "=" to compare');
      tokens.push({ kind: 'operator', operator: '=', start });
      i++;
      continue;
    }
    if (c === '!') {
      if (source[i + 1] === '=') {
        tokens.push({ kind: 'operator', operator: '!=', start });
        i += 2;
      } else {
        tokens.push({ kind: '!', start });
        i++;
      }
      continue;
    }
    if (c === '<' || c === '>') {
      if (c === '<' && source[i + 1] === '>') throw fail('"<>" is not an operator', start, 'use "!="');
      const orEqual = source[i + 1] === '=';
      const operator: ComparisonOperator = c === '<' ? (orEqual ? '<=' : '<') : orEqual ? '>=' : '>';
      tokens.push({ kind: 'operator', operator, start });
      i += orEqual ? 2 : 1;
      continue;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      i = readNumber(start);
      continue;
    }
    if (isFieldStart(c)) {
      i = readField(start);
      continue;
    }
    const [what, hint] = unexpectedCharacter(source, start);
    throw fail(what, start, hint);
  }
  tokens.push({ kind: 'end', start: n });
  return tokens;

  function readString(start: number): number {
    let value = '';
    let j = start + 1;
    let chunk = j;
    for (;;) {
      if (j >= n) throw fail('unterminated string starting', start, 'close it with a double quote');
      const c = source[j]!;
      if (c === '"') break;
      if (c !== '\\') {
        j++;
        continue;
      }
      value += source.slice(chunk, j);
      const e = source[j + 1];
      if (e === undefined) throw fail('unterminated string starting', start, 'close it with a double quote');
      if (e === 'u') {
        const hex = source.slice(j + 2, j + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex))
          throw fail('invalid escape "\\u"', j, 'write 4 hex digits: \\u00e9');
        value += String.fromCharCode(Number.parseInt(hex, 16));
        j += 6;
      } else {
        const escaped = ESCAPES.get(e);
        if (escaped === undefined) {
          throw fail(
            `invalid escape "\\${e}" in a string`,
            j,
            'use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX',
          );
        }
        value += escaped;
        j += 2;
      }
      chunk = j;
    }
    value += source.slice(chunk, j);
    tokens.push({ kind: 'string', value, text: source.slice(start, j + 1), start });
    return j + 1;
  }

  function readNumber(start: number): number {
    NUMBER.lastIndex = start;
    const m = NUMBER.exec(source);
    let end = m === null ? start : start + m[0].length;
    const next = source[end];
    if (m === null || (next !== undefined && (isFieldChar(next) || next === '.'))) {
      // Show the whole run the user wrote (`1.2.3`, `10px`, `-x`), not just the part that failed.
      end = Math.max(end, start + 1);
      while (end < n && (isFieldChar(source[end]!) || source[end] === '.')) end++;
      const text = source.slice(start, end);
      if (text === '-') throw fail('"-" not followed by a number', start);
      throw fail(
        `malformed number "${text}"`,
        start,
        `write numbers like 42, -1.5 or 1e3, or quote text: "${text}"`,
      );
    }
    const value = Number(m[0]);
    if (!Number.isFinite(value)) throw fail(`number "${m[0]}" is too large`, start);
    tokens.push({ kind: 'number', value, text: m[0], start });
    return end;
  }

  function readField(start: number): number {
    const segments: string[] = [];
    let segment = '';
    let j = start;
    for (;;) {
      const c = source[j];
      if (c === '\\') {
        // A backslash makes the next character part of the name (`properties.first\ name`).
        const next = source.codePointAt(j + 1);
        if (next === undefined) throw fail('"\\" at the end of the trigger escapes nothing', j);
        const char = String.fromCodePoint(next);
        segment += char;
        j += 1 + char.length;
      } else if (c !== undefined && isFieldChar(c)) {
        segment += c;
        j++;
      } else if (c === '.') {
        if (segment === '') throw fail('expected a field name before "."', j);
        segments.push(segment);
        segment = '';
        j++;
      } else {
        break;
      }
    }
    if (segment === '') throw fail('expected a field name after "."', j);
    segments.push(segment);
    const text = source.slice(start, j);
    if (segments.length === 1 && KEYWORDS.has(text)) {
      tokens.push({ kind: 'keyword', keyword: text as Keyword, start });
    } else {
      tokens.push({ kind: 'field', segments, text, start });
    }
    return j;
  }
}

function unexpectedCharacter(source: string, at: number): [string, string | undefined] {
  const c = source[at]!;
  const doubled = source[at + 1] === c;
  const written = doubled ? c + c : c;
  if (c === '&') return [`"${written}" is not an operator`, 'use "and"'];
  if (c === '|') return [`"${written}" is not an operator`, 'use "or"'];
  if (c === "'") return ['unexpected single quote', 'strings are written in double quotes: "track"'];
  if (c === '\u201c' || c === '\u201d' || c === '\u2018' || c === '\u2019') {
    return [
      `unexpected curly quote ${describeChar(c)}`,
      'strings are written in straight double quotes: "track"',
    ];
  }
  if (c === '.') {
    const digits = /^\.\d+/.exec(source.slice(at, at + 32));
    if (digits !== null) return [`malformed number "${digits[0]}"`, `write 0${digits[0]}`];
    return ['expected a field name before "."', undefined];
  }
  if (c === '+') return ['unexpected "+"', 'write positive numbers without a sign: 5'];
  const char = String.fromCodePoint(source.codePointAt(at) ?? 0);
  // A no-break or other Unicode space usually comes from pasting out of a web page or document.
  const hint = /^\s$/u.test(char) ? 'replace it with a plain space' : undefined;
  return [`unexpected character ${describeChar(char)}`, hint];
}
