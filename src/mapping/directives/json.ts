import { describe } from '../describe.js';
import { MAX_JSON_DECODE_LENGTH, MAX_VALUE_DEPTH } from '../limits.js';
import { readChoice, readOptions } from '../options.js';
import type { DirectiveCompiler } from '../types.js';

const EXAMPLE = '{"mode": "encode", "value": {"@path": "$.properties.cart"}}';

/**
 * `{"@json": {"mode": "encode" | "decode", "value": v}}`.
 * encode: JSON.stringify(v); undefined stays undefined, and a value JSON cannot encode (too deep
 * for the stack, a BigInt, a cycle) gives undefined instead of throwing.
 * decode: a string is parsed; text that is not JSON is returned unchanged (as in Segment); a
 * non-string value is returned unchanged. Text longer than MAX_JSON_DECODE_LENGTH or nested deeper
 * than MAX_VALUE_DEPTH gives undefined: V8 parses a million nested arrays without complaint and
 * the next recursive step (ours, or JSON.stringify when sending) would overflow the stack.
 * JSON.parse makes a "__proto__" key an ordinary own key, so decoding cannot pollute prototypes.
 */
export const compileJson: DirectiveCompiler = (argument, site) => {
  const options = readOptions(argument, site, {
    directive: '@json',
    options: ['mode', 'value'],
    example: EXAMPLE,
  });
  const mode = readChoice(options, 'mode', ['encode', 'decode'] as const, site, '@json');
  const value = options.value;
  // Segment throws on every event when "value" is missing or a falsy literal (it tests truthiness).
  if (value === undefined || value === null || value === false || value === 0 || value === '') {
    const where = value === undefined ? site : site.at('value');
    return where.fail(
      `@json needs "value": a directive or a non-empty value such as ${EXAMPLE} (got ${describe(value)})`,
    );
  }
  const node = site.at('value').compile(value);
  if (mode === 'encode') return (root) => encode(node(root));
  return (root) => decode(node(root));
};

function encode(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function decode(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (value.length > MAX_JSON_DECODE_LENGTH || nestingDepth(value) > MAX_VALUE_DEPTH) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** Deepest [ / { nesting in JSON text, ignoring brackets inside strings; one linear scan. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c)
        i++; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return deepest;
}
