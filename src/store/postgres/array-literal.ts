/**
 * A JS array as a PostgreSQL array literal (`{…}`), the text a `$1::text[]` parameter takes.
 *
 * pg encodes array parameters itself, with two regular-expression replacements per element; for
 * the event bodies and request bodies of a group that was a tenth of a relay's CPU. An array of
 * strings without control characters or surrogates, as JSON.stringify writes it (natively, fast),
 * is already a valid array literal once its brackets become braces: inside double quotes a
 * PostgreSQL array element takes `\"` and `\\` as JSON does, and JSON writes no other escape for
 * such strings. JSON's `null` is an array's NULL. Anything else (a string with a control
 * character, whose `\n` PostgreSQL would read as `n`; a non-finite number) takes the slow path.
 */

export type ArrayElement = string | number | boolean | null | undefined;

/** Characters JSON.stringify writes as escapes PostgreSQL's array input reads differently. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const JSON_ESCAPED = /[\u0000-\u001f\ud800-\udfff]/;

export function arrayLiteral(values: readonly ArrayElement[]): string {
  for (const value of values) {
    if (typeof value === 'string' ? JSON_ESCAPED.test(value) : !jsonSafeScalar(value))
      return slowLiteral(values);
  }
  const json = JSON.stringify(values);
  return `{${json.slice(1, -1)}}`;
}

function jsonSafeScalar(value: ArrayElement): boolean {
  // Integers beyond 1e21 would be written with an exponent that integer columns refuse; ids and
  // epoch milliseconds stay far below 2^53.
  return value == null || (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < 1e21);
}

function slowLiteral(values: readonly ArrayElement[]): string {
  const parts = values.map((value) => {
    if (value == null) return 'NULL';
    if (typeof value === 'boolean') return value ? 't' : 'f';
    return `"${String(value).replace(/[\\"]/g, '\\$&')}"`;
  });
  return `{${parts.join(',')}}`;
}
