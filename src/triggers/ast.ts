/**
 * The syntax tree of a trigger. It mirrors what was written (`= null` stays a comparison with
 * `null`, `exists` stays `exists`, parentheses keep their grouping) so that `explain` and the
 * printer can show the user their own condition; the compiler decides what each form means.
 * Every node carries the 0-based offset of its first character in the source.
 */

/** A value written in a trigger: a double-quoted string, a number, `true`, `false` or `null`. */
export type TriggerLiteral = string | number | boolean | null;

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** A dotted field such as `properties.plan`, with its segments already split and unescaped. */
export interface FieldPath {
  /** The segments, unescaped: `properties.first\ name` gives `["properties", "first name"]`. */
  readonly segments: readonly string[];
  /** The path as written in the source (escapes kept), used in messages. */
  readonly text: string;
  readonly position: number;
}

export interface OrNode {
  readonly kind: 'or';
  /** Two or more alternatives, in source order (`a or b or c` is one node with three children). */
  readonly children: readonly TriggerAst[];
  readonly position: number;
}

export interface AndNode {
  readonly kind: 'and';
  /** Two or more conditions, in source order. */
  readonly children: readonly TriggerAst[];
  readonly position: number;
}

export interface NotNode {
  readonly kind: 'not';
  readonly operand: TriggerAst;
  /** How the negation was spelled, so the printer can give it back: `not x` or `!x`. */
  readonly spelling: 'not' | '!';
  readonly position: number;
}

/** A parenthesised group, kept so the printer and `explain` show the user's own grouping. */
export interface GroupNode {
  readonly kind: 'group';
  readonly inner: TriggerAst;
  readonly position: number;
}

export interface CompareNode {
  readonly kind: 'compare';
  readonly field: FieldPath;
  readonly operator: ComparisonOperator;
  /** For `<`, `<=`, `>`, `>=` the parser guarantees a number. */
  readonly value: TriggerLiteral;
  readonly position: number;
}

/** `field exists`. (`field != null` is a CompareNode with the same meaning.) */
export interface ExistsNode {
  readonly kind: 'exists';
  readonly field: FieldPath;
  readonly position: number;
}

/** `contains(field, "text")`: the field is a string that contains the text, or a list holding it. */
export interface ContainsNode {
  readonly kind: 'contains';
  readonly field: FieldPath;
  readonly value: string;
  readonly position: number;
}

/** `match(field, "glob")`: the whole string matches the glob (`*` any run, `?` one character). */
export interface MatchNode {
  readonly kind: 'match';
  readonly field: FieldPath;
  readonly pattern: string;
  readonly position: number;
}

export type ConditionNode = CompareNode | ExistsNode | ContainsNode | MatchNode;

export type TriggerAst = OrNode | AndNode | NotNode | GroupNode | ConditionNode;
