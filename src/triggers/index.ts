/**
 * The trigger language of subscriptions: Segment's Destination Actions FQL subset
 * (`type = "track" and event != "Application Installed"`), parsed once when the configuration
 * loads and compiled to a closure that runs on every event. See docs/behaviour.md for where it
 * deliberately differs from Segment (precedence, typed equality, quoting, `not`).
 */
import type { TriggerAst } from './ast.js';
import { compile, type Predicate } from './compiler.js';
import { type Explanation, explain } from './explain.js';
import { parse } from './parser.js';

export type {
  AndNode,
  CompareNode,
  ComparisonOperator,
  ConditionNode,
  ContainsNode,
  ExistsNode,
  FieldPath,
  GroupNode,
  MatchNode,
  NotNode,
  OrNode,
  TriggerAst,
  TriggerLiteral,
} from './ast.js';
export type { Predicate } from './compiler.js';
export type { Explanation } from './explain.js';
export { MAX_DEPTH, MAX_SOURCE_LENGTH } from './parser.js';
export { printTrigger } from './print.js';
export { INVALID_TRIGGER } from './syntax-error.js';

export interface Trigger {
  readonly source: string;
  /** The hot path: a compiled closure; no parsing and no tree walking per event. */
  readonly test: Predicate;
  /** Why the trigger matches the event or not, naming the deciding condition (for the console). */
  explain(event: Readonly<Record<string, unknown>>): Explanation;
}

/**
 * Parses and compiles a trigger. Throws ConfigError (code `invalid_trigger`, with `position` and
 * the given `path`) when the text is not a valid trigger.
 */
export function compileTrigger(source: string, options: { path?: string } = {}): Trigger {
  const ast = parse(source, options.path);
  const test = compile(ast);
  return Object.freeze({
    source,
    test,
    explain: (event: Readonly<Record<string, unknown>>) => explain(ast, event),
  });
}

/** Parses a trigger into its syntax tree. Throws ConfigError (code `invalid_trigger`). */
export function parseTrigger(source: string): TriggerAst {
  return parse(source);
}
