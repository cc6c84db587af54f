/**
 * Bounds that keep a hostile configuration or event from exhausting the stack or the heap. They
 * are far above anything a real mapping or event needs.
 */

/** Deepest nesting accepted inside one mapping (object keys, array items, directive options). */
export const MAX_MAPPING_DEPTH = 64;

/**
 * Deepest event value that the recursive directives (@flatten, @excludeWhenNull, @json decode,
 * arrays rendered by @template) walk into. Deeper values give `undefined` (or '' in a template):
 * the alternative, recursing without a bound, lets one event crash the process with a stack
 * overflow, and V8's JSON.parse happily builds a million levels.
 */
export const MAX_VALUE_DEPTH = 64;

/** Longest string that `@json` decode parses (in UTF-16 code units); longer gives `undefined`. */
export const MAX_JSON_DECODE_LENGTH = 1_000_000;
