import type { ComparisonOperator, ConditionNode, TriggerLiteral } from './ast.js';
import { compileGlob } from './glob.js';

/**
 * What each condition means for the value found at its field (`undefined` when the field is
 * missing). This is the single definition used by both the compiled predicate and `explain`;
 * the compiler only adds shortcuts that a property test checks against it.
 *
 * - A literal equals only a value of its own JSON type: `"10"` never equals 10, `true` never
 *   equals "true". (Segment compares `actual === String(literal)` for type/event/name/userId and
 *   by type for properties/traits/context; one rule for every field is easier to predict.)
 * - `!=` is exactly `not =`, so it is true when the field is missing (as in Segment).
 * - `= null` is true when the field is missing or null; `!= null` and `exists` the opposite.
 * - `<`, `<=`, `>`, `>=` need a number value (a string "20" is not > 10, as in Segment); the
 *   parser only accepts a number literal for them.
 * - `match` needs a string value; anything else (missing, number, array) is false.
 * - `contains` is true for a string value containing the text, or for an array value with an
 *   element equal to it (RudderStack's `context.consentManagement.deniedConsentIds` is a list);
 *   anything else is false. Segment's `contains` reads strings only.
 */

export type ValueTest = (value: unknown) => boolean;

export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export function valueTest(node: ConditionNode): ValueTest {
  switch (node.kind) {
    case 'exists':
      return isPresent;
    case 'contains': {
      const needle = node.value;
      return (value) =>
        typeof value === 'string' ? value.includes(needle) : Array.isArray(value) && value.includes(needle);
    }
    case 'match': {
      const matches = compileGlob(node.pattern);
      return (value) => typeof value === 'string' && matches(value);
    }
    case 'compare':
      return compareTest(node.operator, node.value);
  }
}

function compareTest(operator: ComparisonOperator, literal: TriggerLiteral): ValueTest {
  if (literal === null) {
    if (operator === '=') return (value) => !isPresent(value);
    if (operator === '!=') return isPresent;
    return () => false; // unreachable: the parser refuses ordering against null
  }
  if (operator === '=') return (value) => value === literal;
  if (operator === '!=') return (value) => value !== literal;
  if (typeof literal !== 'number') return () => false; // unreachable, as above
  switch (operator) {
    case '<':
      return (value) => typeof value === 'number' && value < literal;
    case '<=':
      return (value) => typeof value === 'number' && value <= literal;
    case '>':
      return (value) => typeof value === 'number' && value > literal;
    default:
      return (value) => typeof value === 'number' && value >= literal;
  }
}
