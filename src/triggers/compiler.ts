import type { CompareNode, ConditionNode, TriggerAst } from './ast.js';
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
      return every(compileChildren(flatten(node), '!='));
    case 'or':
      return some(compileChildren(flatten(node), '='));
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

/**
 * Compiles the children of an `and` (fusing `f != a and f != b ...`) or of an `or` (fusing
 * `f = a or f = b ...`) into as few closures as possible. Conditions have no side effects, so
 * regrouping them cannot change the result; each fused group sits where its first member was.
 * This turns the Track Event preset (twelve `event != ...`) into two closures and one Set lookup.
 */
function compileChildren(children: readonly TriggerAst[], fusable: '=' | '!='): Predicate[] {
  const groups = new Map<string, CompareNode[]>();
  const order: (TriggerAst | string)[] = [];
  for (const child of children) {
    if (child.kind !== 'compare' || child.operator !== fusable || child.value === null) {
      order.push(child);
      continue;
    }
    const key = JSON.stringify(child.field.segments);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, [child]);
      order.push(key);
    } else {
      group.push(child);
    }
  }
  return order.map((item) => {
    if (typeof item !== 'string') return compile(item);
    const group = groups.get(item)!;
    return group.length === 1 ? compile(group[0]!) : compileMembership(group, fusable);
  });
}

/** `f = a or f = b` is `f in {a, b}`; `f != a and f != b` is its negation. Sets compare with
 *  SameValueZero, which equals `===` for every literal a trigger can hold (there is no NaN). */
function compileMembership(group: readonly CompareNode[], operator: '=' | '!='): Predicate {
  const literals = new Set<unknown>(group.map((node) => node.value));
  const segments = group[0]!.field.segments;
  const key = segments[0];
  let isIn: Predicate;
  if (segments.length === 1 && key !== undefined) {
    isIn = (event) => literals.has(event[key]) && Object.hasOwn(event, key);
  } else {
    const get = compileGetter(segments);
    isIn = (event) => literals.has(get(event));
  }
  if (operator === '=') return isIn;
  return (event) => !isIn(event);
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
