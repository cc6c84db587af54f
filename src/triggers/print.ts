import type { TriggerAst, TriggerLiteral } from './ast.js';

/**
 * Writes a syntax tree back as trigger text, in one canonical spacing. `explain` uses it to quote
 * the condition it talks about; parsing the output gives the same tree again (a tested property),
 * so the console can also show a normalised trigger.
 */

export function printLiteral(value: TriggerLiteral): string {
  // JSON's string escapes are a subset of ours, so JSON.stringify output parses back unchanged.
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

export function printTrigger(node: TriggerAst): string {
  switch (node.kind) {
    case 'or':
      return node.children.map(printTrigger).join(' or ');
    case 'and':
      // Trees from the parser wrap an `or` inside an `and` in a group; trees built by hand might not.
      return node.children
        .map((child) => (child.kind === 'or' ? `(${printTrigger(child)})` : printTrigger(child)))
        .join(' and ');
    case 'not': {
      const operand = node.operand;
      const inner =
        operand.kind === 'and' || operand.kind === 'or'
          ? `(${printTrigger(operand)})`
          : printTrigger(operand);
      return node.spelling === '!' ? `!${inner}` : `not ${inner}`;
    }
    case 'group':
      return `(${printTrigger(node.inner)})`;
    case 'compare':
      return `${node.field.text} ${node.operator} ${printLiteral(node.value)}`;
    case 'exists':
      return `${node.field.text} exists`;
    case 'contains':
      return `contains(${node.field.text}, ${printLiteral(node.value)})`;
    case 'match':
      return `match(${node.field.text}, ${printLiteral(node.pattern)})`;
  }
}
