import type { ConfigError } from '../errors.js';
import type { ConditionNode, FieldPath, TriggerAst, TriggerLiteral } from './ast.js';
import { globProblem } from './glob.js';
import { lex, type Token } from './lexer.js';
import {
  badArgument,
  type FieldToken,
  isKeyword,
  notACondition,
  notAConjunction,
  notANumber,
  notAnOperator,
  notAValue,
  type Problem,
  tooDeep,
  unknownFunction,
} from './problems.js';
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
    if (token.kind !== 'end') throw this.raise(notAConjunction(token, undefined));
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

  private raise(problem: Problem): ConfigError {
    return triggerError(this.source, problem.what, problem.position, this.path, problem.hint);
  }

  private enter(position: number): void {
    this.depth++;
    if (this.depth > MAX_DEPTH) throw this.raise(tooDeep(MAX_DEPTH, position));
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
      if (close.kind !== ')') throw this.raise(notAConjunction(close, token));
      this.next();
      this.depth--;
      return { kind: 'group', inner, position: token.start };
    }
    if (token.kind === 'field') {
      return this.peek().kind === '(' ? this.parseFunction(token) : this.parseCondition(token);
    }
    throw this.raise(notACondition(token, previous));
  }

  private parseFunction(name: FieldToken): ConditionNode {
    const fn = name.text;
    if (fn !== 'contains' && fn !== 'match') throw this.raise(unknownFunction(name));
    this.next(); // "("
    const fieldToken = this.next();
    if (fieldToken.kind !== 'field') throw this.raise(badArgument(fn, 'field', fieldToken));
    const field = toFieldPath(fieldToken);
    const comma = this.next();
    if (comma.kind !== ',') throw this.raise(badArgument(fn, ',', comma, field));
    const value = this.next();
    if (value.kind !== 'string') throw this.raise(badArgument(fn, 'string', value, field));
    const close = this.next();
    if (close.kind !== ')') throw this.raise(badArgument(fn, ')', close, field));
    if (fn === 'contains') return { kind: 'contains', field, value: value.value, position: name.start };
    const problem = globProblem(value.value);
    if (problem !== undefined) {
      throw this.raise({
        what: `invalid match() pattern ${value.text}`,
        position: value.start,
        hint: problem,
      });
    }
    return { kind: 'match', field, pattern: value.value, position: name.start };
  }

  private parseCondition(fieldToken: FieldToken): ConditionNode {
    const field = toFieldPath(fieldToken);
    const op = this.next();
    if (isKeyword(op, 'exists')) return { kind: 'exists', field, position: fieldToken.start };
    if (op.kind !== 'operator') throw this.raise(notAnOperator(field, op, this.peek()));
    const operator = op.operator;
    const token = this.next();
    let value: TriggerLiteral;
    if (token.kind === 'string' || token.kind === 'number') value = token.value;
    else if (isKeyword(token, 'true', 'false')) value = isKeyword(token, 'true');
    else if (isKeyword(token, 'null')) value = null;
    else throw this.raise(notAValue(field, operator, token));
    // Ordering is numeric only (as in Segment); a quoted number is refused rather than coerced,
    // so that the trigger says what it does.
    if (operator !== '=' && operator !== '!=' && typeof value !== 'number') {
      throw this.raise(notANumber(field, operator, value, token.start));
    }
    return { kind: 'compare', field, operator, value, position: fieldToken.start };
  }
}

function toFieldPath(token: FieldToken): FieldPath {
  return { segments: token.segments, text: token.text, position: token.start };
}
