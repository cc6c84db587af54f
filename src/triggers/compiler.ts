import type { ConditionNode, TriggerAst } from './ast.js';
import { compileGetter } from './field.js';
import { valueTest } from './semantics.js';

/**
 * Turns a syntax tree into one closure, once, when the configuration loads. The closure is what
 * runs for every subscription on every event, so: paths are split in advance, and/or chains
 * become a loop over an array (never a deep tree of closures, so no stack growth for long
 * chains), parentheses vanish, and the most common condition, `field = "literal"` on a top-level
 * field, is one `===` (plus an own-property check only when it is equal). Nothing allocates.
 */

export type Predicate = (event: Readonly<Record<string, unknown>>) => boolean;

export function compile(node: TriggerAst): Predicate {
  switch (node.kind) {
    case 'group':
      return compile(node.inner);
    case 'not': {
      const inner = compile(node.operand);
      return (event) => !inner(event);
    }
    case 'and':
      return every(flatten(node).map(compile));
    case 'or':
      return some(flatten(node).map(compile));
    default:
      return compileCondition(node);
  }
}

/** `(a and b) and c` is `a and b and c`: one loop instead of nested ones. */
function flatten(node: Extract<TriggerAst, { kind: 'and' | 'or' }>): TriggerAst[] {
  const out: TriggerAst[] = [];
  for (let child of node.children) {
    while (child.kind === 'group') child = child.inner;
    if (child.kind === node.kind) out.push(...flatten(child));
    else out.push(child);
  }
  return out;
}

function every(tests: readonly Predicate[]): Predicate {
  const [a, b, c] = tests;
  if (tests.length === 2 && a && b) return (event) => a(event) && b(event);
  if (tests.length === 3 && a && b && c) return (event) => a(event) && b(event) && c(event);
  return (event) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(event)) return false;
    return true;
  };
}

function some(tests: readonly Predicate[]): Predicate {
  const [a, b, c] = tests;
  if (tests.length === 2 && a && b) return (event) => a(event) || b(event);
  if (tests.length === 3 && a && b && c) return (event) => a(event) || b(event) || c(event);
  return (event) => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(event)) return true;
    return false;
  };
}

function compileCondition(node: ConditionNode): Predicate {
  const segments = node.field.segments;
  const key = segments[0];
  if (node.kind === 'compare' && node.value !== null && (node.operator === '=' || node.operator === '!=')) {
    const literal = node.value;
    if (segments.length === 1 && key !== undefined) {
      // Read first, check ownership only on a hit: a miss (the usual case) costs one `===`.
      if (node.operator === '=') return (event) => event[key] === literal && Object.hasOwn(event, key);
      return (event) => !(event[key] === literal && Object.hasOwn(event, key));
    }
    const get = compileGetter(segments);
    if (node.operator === '=') return (event) => get(event) === literal;
    return (event) => get(event) !== literal;
  }
  const get = compileGetter(segments);
  const test = valueTest(node);
  return (event) => test(get(event));
}
