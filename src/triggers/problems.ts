import type { ComparisonOperator, FieldPath, TriggerLiteral } from './ast.js';
import type { Keyword, Token } from './lexer.js';
import { printLiteral } from './print.js';

/**
 * The sentences of the parser's errors, kept apart from the grammar so that each reads as a
 * whole. Every one says what was found where, and, when there is an obvious fix, what to write
 * instead (the `hint`, shown after the position).
 */

export interface Problem {
  readonly what: string;
  readonly position: number;
  readonly hint?: string;
}

export type FieldToken = Extract<Token, { kind: 'field' }>;

export function isKeyword(token: Token | undefined, ...keywords: Keyword[]): boolean {
  return token?.kind === 'keyword' && keywords.includes(token.keyword);
}

/** How a token reads in a message. */
export function show(token: Token): string {
  switch (token.kind) {
    case 'string':
      return token.text;
    case 'field':
    case 'number':
      return `"${token.text}"`;
    case 'keyword':
      return `"${token.keyword}"`;
    case 'operator':
      return `"${token.operator}"`;
    case 'end':
      return 'the end of the trigger';
    default:
      return `"${token.kind}"`;
  }
}

/** A field token written where a keyword was meant (`AND`, `Or`, `TRUE`): the keyword, or undefined. */
function miscased(token: Token, keywords: readonly Keyword[]): string | undefined {
  if (token.kind !== 'field' || token.segments.length !== 1) return undefined;
  const lower = token.text.toLowerCase();
  return keywords.find((keyword) => keyword === lower);
}

export function tooDeep(maxDepth: number, position: number): Problem {
  return {
    what: `more than ${maxDepth} nested levels of parentheses and "not"`,
    position,
    hint: 'simplify the trigger',
  };
}

/** A condition was expected (at the start, after `and`/`or`/`not`/`(`), and `token` came. */
export function notACondition(token: Token, previous: Token | undefined): Problem {
  const after = previous === undefined ? '' : ` after ${show(previous)}`;
  if (token.kind === 'end') {
    if (previous !== undefined && isKeyword(previous, 'and', 'or')) {
      return {
        what: `unexpected ${show(previous)} at the end of the trigger`,
        position: previous.start,
        hint: 'remove it or add a condition after it',
      };
    }
    return { what: `expected a condition${after}`, position: token.start };
  }
  if (token.kind === ')' && previous?.kind === '(') {
    return {
      what: 'empty parentheses',
      position: previous.start,
      hint: 'put a condition inside: (type = "track")',
    };
  }
  if (token.kind === 'string' || token.kind === 'number' || isKeyword(token, 'true', 'false', 'null')) {
    return {
      what: `expected a field before ${show(token)}`,
      position: token.start,
      hint: 'conditions are written field = value, e.g. event = "Order Completed"',
    };
  }
  return {
    what: `expected a condition${after}, found ${show(token)}`,
    position: token.start,
    hint: 'a condition is e.g. type = "track", properties.plan exists or contains(event, "Order")',
  };
}

/** After a complete condition, `token` is neither `and`, `or`, nor what closes the open group. */
export function notAConjunction(token: Token, open: Token | undefined): Problem {
  if (token.kind === 'end' && open !== undefined) {
    return { what: '"(" is never closed', position: open.start, hint: 'add ")"' };
  }
  if (token.kind === ')') return { what: 'unexpected ")"', position: token.start, hint: 'no "(" is open' };
  const keyword = miscased(token, ['and', 'or', 'not']);
  if (keyword !== undefined) {
    return {
      what: `unexpected ${show(token)}`,
      position: token.start,
      hint: `keywords are lower case: write "${keyword}"`,
    };
  }
  const expected = open === undefined ? '"and" or "or"' : '"and", "or" or ")"';
  return { what: `expected ${expected} before ${show(token)}`, position: token.start };
}

export function notAnOperator(field: FieldPath, token: Token, next: Token): Problem {
  if (isKeyword(token, 'not') && isKeyword(next, 'exists')) {
    return {
      what: '"not exists" is written before the field',
      position: token.start,
      hint: `write not ${field.text} exists, or ${field.text} = null`,
    };
  }
  return {
    what: `expected an operator after "${field.text}", found ${show(token)}`,
    position: token.start,
    hint: 'use =, !=, <, <=, >, >= or "exists"',
  };
}

export function notAValue(field: FieldPath, operator: ComparisonOperator, token: Token): Problem {
  if (token.kind === 'field') {
    // Segment accepts `type = track`; we do not (docs/behaviour.md): an unquoted word is too
    // easily a misspelt keyword or a field, so the fix is spelled out instead.
    const keyword = miscased(token, ['true', 'false', 'null']);
    return {
      what: `unquoted value "${token.text}"`,
      position: token.start,
      hint:
        keyword === undefined
          ? `write it as a string: ${field.text} ${operator} ${JSON.stringify(token.segments.join('.'))}`
          : `write ${keyword} in lower case, or "${token.text}" for the text`,
    };
  }
  return {
    what: `expected a value after "${operator}", found ${show(token)}`,
    position: token.start,
    hint: 'a value is a string in double quotes, a number, true, false or null',
  };
}

/** `<`, `<=`, `>`, `>=` with a literal that is not a number. */
export function notANumber(
  field: FieldPath,
  operator: ComparisonOperator,
  value: TriggerLiteral,
  position: number,
): Problem {
  const isString = typeof value === 'string';
  const numeric = isString && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value);
  return {
    what: `"${operator}" compares numbers, but ${printLiteral(value)} is ${isString ? 'a string' : 'not a number'}`,
    position,
    hint: numeric
      ? `write ${value} without quotes`
      : isString
        ? 'compare text with =, !=, contains() or match()'
        : `write a number: ${field.text} ${operator} 10`,
  };
}

export function unknownFunction(name: FieldToken): Problem {
  const lower = name.text.toLowerCase();
  return {
    what: `unknown function "${name.text}"`,
    position: name.start,
    hint:
      lower === 'contains' || lower === 'match'
        ? `function names are lower case: ${lower}(...)`
        : 'use contains(field, "x") or match(field, "x*")',
  };
}

/** A wrong token inside `contains(...)` / `match(...)`; `step` says which place it was in. */
export function badArgument(
  fn: string,
  step: 'field' | ',' | 'string' | ')',
  token: Token,
  field?: FieldPath,
): Problem {
  const position = token.start;
  switch (step) {
    case 'field':
      if (token.kind === 'string') {
        return { what: `${fn}() takes the field first`, position, hint: `write ${fn}(event, ${token.text})` };
      }
      return { what: `expected a field as the first argument of ${fn}(), found ${show(token)}`, position };
    case ',':
      return {
        what: `expected "," after ${field?.text ?? 'the field'} in ${fn}(), found ${show(token)}`,
        position,
      };
    case 'string': {
      const text =
        token.kind === 'number' ? token.text : token.kind === 'field' ? token.segments.join('.') : undefined;
      return {
        what: `${fn}() needs a string as its second argument, found ${show(token)}`,
        position,
        hint:
          text === undefined
            ? `e.g. ${fn}(${field?.text ?? 'event'}, "Order")`
            : `write it as a string: ${fn}(${field?.text ?? 'event'}, ${JSON.stringify(text)})`,
      };
    }
    case ')':
      return { what: `expected ")" to close ${fn}(, found ${show(token)}`, position };
  }
}
