/**
 * Renders what a client sent, for rejection messages: "(got 42)", "(got an array)", "(it is
 * missing)". Strings are shown quoted and cut short; objects are named, never dumped, so that a
 * message stays one short line and does not echo a payload back.
 */

const MAX_SHOWN = 40;

export function describeValue(value: unknown): string {
  if (value === undefined) return '(it is missing)';
  if (value === null) return '(got null)';
  switch (typeof value) {
    case 'string':
      return `(got ${quote(value)})`;
    case 'number':
    case 'boolean':
      return `(got ${String(value)})`;
    case 'object':
      return Array.isArray(value) ? '(got an array)' : '(got an object)';
    default:
      return `(got a ${typeof value})`;
  }
}

function quote(text: string): string {
  return text.length <= MAX_SHOWN ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, MAX_SHOWN))}…`;
}
