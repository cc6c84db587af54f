import type { ConfigError } from '../errors.js';
import type {
  CompareNode,
  ComparisonOperator,
  ConditionNode,
  FieldPath,
  TriggerAst,
  TriggerLiteral,
} from './ast.js';
import { globProblem } from './glob.js';
import { type Keyword, lex, type Token } from './lexer.js';
import { printLiteral } from './print.js';
import { triggerError, triggerProblem } from './syntax-error.js';

/**
 * Recursive descent over the grammar below, with the usual precedence (`not` > `and` > `or`).
 *
 *   trigger   = or-expr END
 *   or-expr   = and-expr { "or" and-expr }
 *   and-expr  = unary { "and" unary }
 *   unary     = { "not" | "!" } primary
 *   primary   = "(" or-expr ")" | function | condition
 *   function  = ( "contains" | "match" ) "(" field "," string ")"
 *   condition = field ( "exists" | operator value )
 *   operator  = "=" | "!=" | "<" | "<=" | ">" | ">="
 *   value     = string | number | "true" | "false" | "null"
 *
 * `and`/`or` chains are collected in loops (n-ary nodes), so only parentheses and `not` make the
 * parser recurse; both count towards MAX_DEPTH, which bounds the stack whatever the input.
 */

export const MAX_DEPTH = 64;
/** Far above any real trigger (the longest preset is ~600 characters); bounds parse time. */
export const MAX_SOURCE_LENGTH = 65_536;

const EMPTY =
  'trigger is empty; use `type = "track"` to match every track call, or a condition such as ' +
  '`event = "Order Completed"`';

export function parse(source: unknown, path?: string): TriggerAst {
  if (typeof source !== 'string') {
    throw triggerProblem(
      `trigger must be a string such as \`type = "track"\`, got ${typeName(source)}`,
      path,
    );
  }
  if (source.length > MAX_SOURCE_LENGTH) {
    throw triggerProblem(
      `trigger is ${source.length} characters long; the limit is ${MAX_SOURCE_LENGTH}`,
      path,
    );
  }
  if (/^[ \t\r\n]*$/.test(source)) throw triggerProblem(EMPTY, path);
  return new Parser(source, lex(source, path), path).parseTrigger();
}

function typeName(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isKeyword(token: Token, keyword: Keyword): boolean {
  return token.kind === 'keyword' && token.keyword === keyword;
}

/** How a token reads in a message. */
function show(token: Token): string {
  switch (token.kind) {
    case 'field':
    case 'string':
    case 'number':
      return token.kind === 'string' ? token.text : `"${token.text}"`;
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

/** A field token written where a keyword was meant: `AND`, `Or`, `NOT`... */
function miscasedKeyword(token: Token, keywords: readonly string[]): string | undefined {
  if (token.kind !== 'field' || token.segments.length !== 1) return undefined;
  const lower = token.text.toLowerCase();
  return keywords.includes(lower) ? lower : undefined;
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
    private readonly path: string | undefined,
  ) {}

  parseTrigger(): TriggerAst {
    const ast = this.parseOr();
    const token = this.peek();
    if (token.kind !== 'end') throw this.notAConjunction(token, undefined);
    return ast;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  /** The lexer always ends the list with an `end` token; reading never moves past it. */
  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private fail(what: string, position: number, hint?: string): ConfigError {
    return triggerError(this.source, what, position, this.path, hint);
  }

  private enter(position: number): void {
    this.depth++;
    if (this.depth > MAX_DEPTH) {
      throw this.fail(
        `more than ${MAX_DEPTH} nested levels of parentheses and "not"`,
        position,
        'simplify the trigger',
      );
    }
  }

  private parseOr(): TriggerAst {
    const first = this.parseAnd();
    if (!isKeyword(this.peek(), 'or')) return first;
    const children = [first];
    while (isKeyword(this.peek(), 'or')) {
      this.next();
      children.push(this.parseAnd());
    }
    return { kind: 'or', children, position: first.position };
  }

  private parseAnd(): TriggerAst {
    const first = this.parseUnary();
    if (!isKeyword(this.peek(), 'and')) return first;
    const children = [first];
    while (isKeyword(this.peek(), 'and')) {
      this.next();
      children.push(this.parseUnary());
    }
    return { kind: 'and', children, position: first.position };
  }

  private parseUnary(): TriggerAst {
    // Negations are collected in a loop, not by recursion, so `not not not ...` cannot grow
    // the stack; each still counts as a level of depth because compile and explain nest them.
    const negations: { spelling: 'not' | '!'; position: number }[] = [];
    for (let token = this.peek(); isKeyword(token, 'not') || token.kind === '!'; token = this.peek()) {
      this.enter(token.start);
      negations.push({ spelling: token.kind === '!' ? '!' : 'not', position: token.start });
      this.next();
    }
    let node = this.parsePrimary();
    for (let k = negations.length - 1; k >= 0; k--) {
      const { spelling, position } = negations[k]!;
      node = { kind: 'not', operand: node, spelling, position };
    }
    this.depth -= negations.length;
    return node;
  }

  private parsePrimary(): TriggerAst {
    const previous = this.tokens[this.index - 1];
    const token = this.next();
    if (token.kind === '(') {
      this.enter(token.start);
      const inner = this.parseOr();
      const close = this.peek();
      if (close.kind !== ')') throw this.notAConjunction(close, token);
      this.next();
      this.depth--;
      return { kind: 'group', inner, position: token.start };
    }
    if (token.kind === 'field') {
      return this.peek().kind === '(' ? this.parseFunction(token) : this.parseCondition(token);
    }
    throw this.notACondition(token, previous);
  }

  private parseFunction(name: Extract<Token, { kind: 'field' }>): ConditionNode {
    const fn = name.text;
    if (fn !== 'contains' && fn !== 'match') {
      const lower = fn.toLowerCase();
      const hint =
        lower === 'contains' || lower === 'match'
          ? `function names are lower case: ${lower}(...)`
          : 'use contains(field, "x") or match(field, "x*")';
      throw this.fail(`unknown function "${fn}"`, name.start, hint);
    }
    this.next(); // "("
    const field = this.next();
    if (field.kind !== 'field') {
      if (field.kind === 'string') {
        throw this.fail(`${fn}() takes the field first`, field.start, `write ${fn}(event, ${field.text})`);
      }
      throw this.fail(`expected a field as the first argument of ${fn}(), found ${show(field)}`, field.start);
    }
    const comma = this.next();
    if (comma.kind !== ',') {
      throw this.fail(`expected "," after ${field.text} in ${fn}(), found ${show(comma)}`, comma.start);
    }
    const value = this.next();
    if (value.kind !== 'string') {
      const hint =
        value.kind === 'number' || value.kind === 'field'
          ? `write it as a string: ${fn}(${field.text}, ${JSON.stringify(value.kind === 'number' ? value.text : value.segments.join('.'))})`
          : `e.g. ${fn}(${field.text}, "Order")`;
      throw this.fail(
        `${fn}() needs a string as its second argument, found ${show(value)}`,
        value.start,
        hint,
      );
    }
    const close = this.next();
    if (close.kind !== ')') {
      throw this.fail(`expected ")" to close ${fn}(, found ${show(close)}`, close.start);
    }
    const fieldPath = toFieldPath(field);
    if (fn === 'contains')
      return { kind: 'contains', field: fieldPath, value: value.value, position: name.start };
    const problem = globProblem(value.value);
    if (problem !== undefined) throw this.fail(`invalid match() pattern ${value.text}`, value.start, problem);
    return { kind: 'match', field: fieldPath, pattern: value.value, position: name.start };
  }

  private parseCondition(fieldToken: Extract<Token, { kind: 'field' }>): ConditionNode {
    const field = toFieldPath(fieldToken);
    const op = this.next();
    if (isKeyword(op, 'exists')) return { kind: 'exists', field, position: fieldToken.start };
    if (op.kind !== 'operator') {
      if (isKeyword(op, 'not') && isKeyword(this.peek(), 'exists')) {
        throw this.fail(
          '"not exists" is written before the field',
          op.start,
          `write not ${field.text} exists, or ${field.text} = null`,
        );
      }
      throw this.fail(
        `expected an operator after "${field.text}", found ${show(op)}`,
        op.start,
        'use =, !=, <, <=, >, >= or "exists"',
      );
    }
    const value = this.parseValue(field, op.operator);
    return { kind: 'compare', field, operator: op.operator, value, position: fieldToken.start };
  }

  private parseValue(field: FieldPath, operator: ComparisonOperator): CompareNode['value'] {
    const token = this.next();
    let value: TriggerLiteral;
    if (token.kind === 'string' || token.kind === 'number') {
      value = token.value;
    } else if (isKeyword(token, 'true') || isKeyword(token, 'false') || isKeyword(token, 'null')) {
      value = isKeyword(token, 'null') ? null : isKeyword(token, 'true');
    } else if (token.kind === 'field') {
      // Segment accepts `type = track`; we do not (see docs/behaviour.md): an unquoted word is
      // too easily a misspelt keyword or a field, so the fix is spelled out instead.
      const lower = miscasedKeyword(token, ['true', 'false', 'null']);
      const hint =
        lower === undefined
          ? `write it as a string: ${field.text} ${operator} ${JSON.stringify(token.segments.join('.'))}`
          : `write ${lower} in lower case, or "${token.text}" for the text`;
      throw this.fail(`unquoted value "${token.text}"`, token.start, hint);
    } else {
      throw this.fail(
        `expected a value after "${operator}", found ${show(token)}`,
        token.start,
        'a value is a string in double quotes, a number, true, false or null',
      );
    }
    if (operator !== '=' && operator !== '!=' && typeof value !== 'number') {
      // Ordering is numeric only (as in Segment); a quoted number is refused rather than coerced
      // so that the trigger says what it does.
      const numeric = typeof value === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value);
      throw this.fail(
        `"${operator}" compares numbers, but ${printLiteral(value)} is ${typeof value === 'string' ? 'a string' : 'not a number'}`,
        token.start,
        numeric
          ? `write ${value} without quotes`
          : typeof value === 'string'
            ? 'compare text with =, !=, contains() or match()'
            : `write a number: ${field.text} ${operator} 10`,
      );
    }
    return value;
  }

  /** The token after a complete condition is neither `and`, `or`, nor what closes the group. */
  private notAConjunction(token: Token, open: Token | undefined): ConfigError {
    if (token.kind === 'end' && open !== undefined) {
      return this.fail('"(" is never closed', open.start, 'add ")"');
    }
    if (token.kind === ')') return this.fail('unexpected ")"', token.start, 'no "(" is open');
    const lower = miscasedKeyword(token, ['and', 'or', 'not']);
    if (lower !== undefined) {
      return this.fail(`unexpected ${show(token)}`, token.start, `keywords are lower case: write "${lower}"`);
    }
    const expected = open === undefined ? '"and" or "or"' : '"and", "or" or ")"';
    return this.fail(`expected ${expected} before ${show(token)}`, token.start);
  }

  /** A condition was expected (start of the trigger, after `and`/`or`/`not`/`(`). */
  private notACondition(token: Token, previous: Token | undefined): ConfigError {
    const after = previous === undefined ? '' : ` after ${show(previous)}`;
    if (token.kind === 'end') {
      if (previous !== undefined && (isKeyword(previous, 'and') || isKeyword(previous, 'or'))) {
        return this.fail(
          `unexpected ${show(previous)} at the end of the trigger`,
          previous.start,
          'remove it or add a condition after it',
        );
      }
      return this.fail(`expected a condition${after}`, token.start);
    }
    if (token.kind === ')' && previous?.kind === '(') {
      return this.fail('empty parentheses', previous.start, 'put a condition inside: (type = "track")');
    }
    const literal = isKeyword(token, 'true') || isKeyword(token, 'false') || isKeyword(token, 'null');
    if (token.kind === 'string' || token.kind === 'number' || literal) {
      return this.fail(
        `expected a field before ${show(token)}`,
        token.start,
        'conditions are written field = value, e.g. event = "Order Completed"',
      );
    }
    return this.fail(
      `expected a condition${after}, found ${show(token)}`,
      token.start,
      'a condition is e.g. type = "track", properties.plan exists or contains(event, "Order")',
    );
  }
}

function toFieldPath(token: Extract<Token, { kind: 'field' }>): FieldPath {
  return { segments: token.segments, text: token.text, position: token.start };
}
