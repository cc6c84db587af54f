import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { compileTrigger, MAX_DEPTH, MAX_SOURCE_LENGTH, parseTrigger } from '../../src/triggers/index.js';

function failure(source: unknown, path?: string): ConfigError {
  try {
    compileTrigger(source as string, path === undefined ? {} : { path });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`compiled: ${String(source)}`);
}

/** The first line of the message without the " at position ... (line, column)" part. */
function sentence(error: ConfigError): string {
  const first = error.message.split('\n')[0]!;
  return first.replace(/ at position \d+ \(line \d+, column \d+\)/, '').replace(/:$/, '');
}

describe('error format', () => {
  it('leads with the configuration path, names the position three ways and shows a caret', () => {
    const error = failure('type = "track" and event =', 'destinations[0].subscriptions[2].trigger');
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('invalid_trigger');
    expect(error.position).toBe(26);
    expect(error.path).toBe('destinations[0].subscriptions[2].trigger');
    expect(error.message).toBe(
      'destinations[0].subscriptions[2].trigger: expected a value after "=", found the end of the trigger at position 26 (line 1, column 27); ' +
        'a value is a string in double quotes, a number, true, false or null:\n' +
        'type = "track" and event =\n' +
        '                          ^',
    );
  });

  it('counts lines and columns in multi-line triggers and shows the line of the error', () => {
    const error = failure('type = "track"\n  and event = track');
    expect(error.position).toBe(29);
    expect(error.message.split('\n')).toEqual([
      'trigger: unquoted value "track" at position 29 (line 2, column 15); write it as a string: event = "track":',
      '  and event = track',
      '              ^',
    ]);
  });

  it('cuts long lines to a window around the caret', () => {
    const long = `${'event != "Some Long Event Name" and '.repeat(10)}event = Oops`;
    const error = failure(long);
    const [, excerpt, caret] = error.message.split('\n');
    expect(excerpt!.length).toBeLessThan(110);
    expect(excerpt!.startsWith('…')).toBe(true);
    expect(excerpt![caret!.length - 1]).toBe('O');
  });

  it('path is undefined when not given; parseTrigger throws the same errors', () => {
    expect(failure('type =').path).toBeUndefined();
    expect(() => parseTrigger('type =')).toThrow(ConfigError);
  });
});

describe('every error, with its position', () => {
  it.each<[string, number, string]>([
    // values
    [
      'type = ',
      7,
      'trigger: expected a value after "=", found the end of the trigger; a value is a string in double quotes, a number, true, false or null',
    ],
    ['type = track', 7, 'trigger: unquoted value "track"; write it as a string: type = "track"'],
    [
      'type = context.device',
      7,
      'trigger: unquoted value "context.device"; write it as a string: type = "context.device"',
    ],
    ['x = TRUE', 4, 'trigger: unquoted value "TRUE"; write true in lower case, or "TRUE" for the text'],
    ['x = Null', 4, 'trigger: unquoted value "Null"; write null in lower case, or "Null" for the text'],
    ['properties.n > "5"', 15, 'trigger: ">" compares numbers, but "5" is a string; write 5 without quotes'],
    [
      'properties.n > "abc"',
      15,
      'trigger: ">" compares numbers, but "abc" is a string; compare text with =, !=, contains() or match()',
    ],
    [
      'properties.n < true',
      15,
      'trigger: "<" compares numbers, but true is not a number; write a number: properties.n < 10',
    ],
    [
      'properties.n >= null',
      16,
      'trigger: ">=" compares numbers, but null is not a number; write a number: properties.n >= 10',
    ],
    // numbers
    [
      'properties.n = 1.2.3',
      15,
      'trigger: malformed number "1.2.3"; write numbers like 42, -1.5 or 1e3, or quote text: "1.2.3"',
    ],
    [
      'properties.n = 10px',
      15,
      'trigger: malformed number "10px"; write numbers like 42, -1.5 or 1e3, or quote text: "10px"',
    ],
    ['properties.n = .5', 15, 'trigger: malformed number ".5"; write 0.5'],
    ['properties.n = -', 15, 'trigger: "-" not followed by a number'],
    ['properties.n = +5', 15, 'trigger: unexpected "+"; write positive numbers without a sign: 5'],
    ['properties.n = 1e999', 15, 'trigger: number "1e999" is too large'],
    // strings
    ['event = "abc', 8, 'trigger: unterminated string starting; close it with a double quote'],
    ['event = "abc\\"', 8, 'trigger: unterminated string starting; close it with a double quote'],
    [
      'event = "a\\qb"',
      10,
      'trigger: invalid escape "\\q" in a string; use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX',
    ],
    ['event = "\\u12"', 9, 'trigger: invalid escape "\\u"; write 4 hex digits: \\u00e9'],
    ["type = 'track'", 7, 'trigger: unexpected single quote; strings are written in double quotes: "track"'],
    [
      'type = \u201ctrack\u201d',
      7,
      'trigger: unexpected curly quote "\u201c" (U+201C); strings are written in straight double quotes: "track"',
    ],
    // operators
    [
      'type',
      4,
      'trigger: expected an operator after "type", found the end of the trigger; use =, !=, <, <=, >, >= or "exists"',
    ],
    [
      'type "track"',
      5,
      'trigger: expected an operator after "type", found "track"; use =, !=, <, <=, >, >= or "exists"',
    ],
    ['type == "x"', 5, 'trigger: "==" is not an operator; use "=" to compare'],
    ['type <> "x"', 5, 'trigger: "<>" is not an operator; use "!="'],
    ['type = "x" && event = "y"', 11, 'trigger: "&&" is not an operator; use "and"'],
    ['type = "x" || event = "y"', 11, 'trigger: "||" is not an operator; use "or"'],
    ['type = "x" & y = 1', 11, 'trigger: "&" is not an operator; use "and"'],
    [
      'properties.x not exists',
      13,
      'trigger: "not exists" is written before the field; write not properties.x exists, or properties.x = null',
    ],
    // functions
    [
      'startswith(event, "x")',
      0,
      'trigger: unknown function "startswith"; use contains(field, "x") or match(field, "x*")',
    ],
    [
      'Contains(event, "x")',
      0,
      'trigger: unknown function "Contains"; function names are lower case: contains(...)',
    ],
    ['contains("x", event)', 9, 'trigger: contains() takes the field first; write contains(event, "x")'],
    ['contains(event "x")', 15, 'trigger: expected "," after event in contains(), found "x"'],
    [
      'contains(event, 5)',
      16,
      'trigger: contains() needs a string as its second argument, found "5"; write it as a string: contains(event, "5")',
    ],
    ['contains(event, "x"', 19, 'trigger: expected ")" to close contains(, found the end of the trigger'],
    ['contains(, "x")', 9, 'trigger: expected a field as the first argument of contains(), found ","'],
    [
      'match(event, "a\\\\")',
      13,
      'trigger: invalid match() pattern "a\\\\"; the pattern ends with "\\", which escapes nothing',
    ],
    // conjunctions
    [
      'type = "track" and',
      15,
      'trigger: unexpected "and" at the end of the trigger; remove it or add a condition after it',
    ],
    [
      'type = "track" or',
      15,
      'trigger: unexpected "or" at the end of the trigger; remove it or add a condition after it',
    ],
    [
      'and type = "track"',
      0,
      'trigger: expected a condition, found "and"; a condition is e.g. type = "track", properties.plan exists or contains(event, "Order")',
    ],
    [
      'type = "track" and and event = "x"',
      19,
      'trigger: expected a condition after "and", found "and"; a condition is e.g. type = "track", properties.plan exists or contains(event, "Order")',
    ],
    ['type = "x" and not', 18, 'trigger: expected a condition after "not"'],
    ['type = "x" AND event = "y"', 11, 'trigger: unexpected "AND"; keywords are lower case: write "and"'],
    ['type = "x" Or event = "y"', 11, 'trigger: unexpected "Or"; keywords are lower case: write "or"'],
    ['type = "x" event = "y"', 11, 'trigger: expected "and" or "or" before "event"'],
    ['type = "x" exists', 11, 'trigger: expected "and" or "or" before "exists"'],
    // parentheses
    ['(', 1, 'trigger: expected a condition after "("'],
    ['(type = "track"', 0, 'trigger: "(" is never closed; add ")"'],
    ['((type = "track") and (event = "x")', 0, 'trigger: "(" is never closed; add ")"'],
    ['type = "track")', 14, 'trigger: unexpected ")"; no "(" is open'],
    ['()', 0, 'trigger: empty parentheses; put a condition inside: (type = "track")'],
    ['(type = "x" event = "y")', 12, 'trigger: expected "and", "or" or ")" before "event"'],
    // fields and stray characters
    ['properties. = 1', 11, 'trigger: expected a field name after "."'],
    ['properties..x = 1', 11, 'trigger: expected a field name before "."'],
    ['x\\', 1, 'trigger: "\\" at the end of the trigger escapes nothing'],
    [
      '"track" = type',
      0,
      'trigger: expected a field before "track"; conditions are written field = value, e.g. event = "Order Completed"',
    ],
    [
      '42',
      0,
      'trigger: expected a field before "42"; conditions are written field = value, e.g. event = "Order Completed"',
    ],
    ['type = "x" # comment', 11, 'trigger: unexpected character "#"'],
    ['event = "é" and ü = 1', 16, 'trigger: unexpected character "ü" (U+00FC)'],
    ['event =\u00a0"x"', 7, 'trigger: unexpected character U+00A0; replace it with a plain space'],
  ])('%s → position %i', (source, position, expected) => {
    const error = failure(source);
    expect(error.code).toBe('invalid_trigger');
    expect(sentence(error)).toBe(expected);
    expect(error.position).toBe(position);
  });
});

describe('errors without a place in the source', () => {
  it.each(['', '   ', ' \n\t\r\n '])(
    'an empty trigger (%j) is an error that shows how to write one',
    (source) => {
      const error = failure(source);
      expect(error.code).toBe('invalid_trigger');
      expect(error.position).toBe(0);
      expect(error.message).toBe(
        'trigger is empty; use `type = "track"` to match every track call, or a condition such as `event = "Order Completed"`',
      );
    },
  );

  it.each<[unknown, string]>([
    [undefined, 'nothing'],
    [null, 'null'],
    [42, 'a number'],
    [{ type: 'track' }, 'an object'],
    [['type = "track"'], 'an array'],
  ])('a trigger that is not a string (%j) is an error', (source, type) => {
    expect(failure(source).message).toBe(`trigger must be a string such as \`type = "track"\`, got ${type}`);
  });

  it(`a trigger longer than ${MAX_SOURCE_LENGTH} characters is refused before parsing`, () => {
    const error = failure(`event = "${'x'.repeat(MAX_SOURCE_LENGTH)}"`);
    expect(error.message).toBe(
      `trigger is ${MAX_SOURCE_LENGTH + 10} characters long; the limit is ${MAX_SOURCE_LENGTH}`,
    );
  });
});

describe('pathological nesting is refused, never a stack overflow', () => {
  it(`more than ${MAX_DEPTH} levels of parentheses`, () => {
    const source = `${'('.repeat(MAX_DEPTH + 1)}type = "track"${')'.repeat(MAX_DEPTH + 1)}`;
    const error = failure(source);
    expect(sentence(error)).toBe(
      `trigger: more than ${MAX_DEPTH} nested levels of parentheses and "not"; simplify the trigger`,
    );
    expect(error.position).toBe(MAX_DEPTH);
  });

  it('a 10 KB trigger of nested parentheses is refused quickly', () => {
    const source = `${'('.repeat(5000)}type = "track"${')'.repeat(5000)}`;
    const started = performance.now();
    const error = failure(source);
    expect(performance.now() - started).toBeLessThan(250);
    expect(error.position).toBe(MAX_DEPTH);
  });

  it('10 000 opening parentheses alone, and 10 000 "not"s', () => {
    expect(failure('('.repeat(10_000)).position).toBe(MAX_DEPTH);
    expect(failure('not '.repeat(10_000) + 'x exists').position).toBe(MAX_DEPTH * 4);
    expect(failure('!'.repeat(10_000) + 'x exists').position).toBe(MAX_DEPTH);
  });

  it('parentheses and "not" count together', () => {
    const ok = `${'not ('.repeat(MAX_DEPTH / 2)}x exists${')'.repeat(MAX_DEPTH / 2)}`;
    expect(() => compileTrigger(ok)).not.toThrow();
    expect(() => compileTrigger(`not ${ok}`)).toThrow(ConfigError);
  });
});
