import type { ConditionNode, TriggerAst } from './ast.js';
import { compileGetter } from './field.js';
import { printTrigger } from './print.js';
import { valueTest } from './semantics.js';

/**
 * Says why a trigger matched an event or not, for the console and the delivery log. It walks the
 * tree (this is not the hot path) in the same order and with the same short-circuits as the
 * compiled predicate, and names the condition that decided:
 *
 *   event != "Application Installed" is false: event is "Application Installed"
 *   properties.total > 10 is false: properties.total is "20" (a string, not a number)
 */

export interface Explanation {
  readonly matched: boolean;
  readonly reason: string;
}

type Event = Readonly<Record<string, unknown>>;

export function explain(node: TriggerAst, event: Event): Explanation {
  switch (node.kind) {
    case 'group':
      return explain(node.inner, event);
    case 'not': {
      const inner = explain(node.operand, event);
      const matched = !inner.matched;
      return { matched, reason: `${printTrigger(node)} is ${matched} because ${inner.reason}` };
    }
    case 'and':
    case 'or': {
      // `and` is decided by its first false child, `or` by its first true one; when no child
      // decides, every child contributed, so every reason is given.
      const decisive = node.kind === 'or';
      const reasons: string[] = [];
      for (const child of node.children) {
        const result = explain(child, event);
        if (result.matched === decisive) return result;
        reasons.push(result.reason);
      }
      return { matched: !decisive, reason: reasons.join('; ') };
    }
    default:
      return explainCondition(node, event);
  }
}

function explainCondition(node: ConditionNode, event: Event): Explanation {
  const value = compileGetter(node.field.segments)(event);
  const matched = valueTest(node)(value);
  return {
    matched,
    reason: `${printTrigger(node)} is ${matched}: ${node.field.text} is ${describe(node, value)}`,
  };
}

const MAX_SHOWN = 80;

function describe(node: ConditionNode, value: unknown): string {
  if (value === undefined) return 'missing';
  const shown = show(value);
  const wanted = wantedType(node, value);
  const actual = typeOf(value);
  if (wanted === undefined || value === null || actual === wanted) return shown;
  if (actual === 'array' || actual === 'object') return `${shown}, not ${article(wanted)}`;
  return `${shown} (${article(actual)}, not ${article(wanted)})`;
}

/** The JSON type a condition can be true for, when it has one. */
function wantedType(node: ConditionNode, value: unknown): string | undefined {
  if (node.kind === 'match') return 'string';
  if (node.kind === 'contains') return Array.isArray(value) ? undefined : 'string';
  if (node.kind === 'exists' || node.value === null) return undefined;
  return typeof node.value;
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function article(type: string): string {
  return type === 'array' || type === 'object' ? `an ${type}` : `a ${type}`;
}

function show(value: unknown): string {
  if (typeof value === 'string') {
    const text = JSON.stringify(value.length > MAX_SHOWN ? value.slice(0, MAX_SHOWN) : value);
    return value.length > MAX_SHOWN ? `${text.slice(0, -1)}…" (${value.length} characters)` : text;
  }
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
