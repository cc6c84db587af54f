/**
 * Mapping directives (Segment's mapping-kit): a subscription's mapping, compiled once into a
 * function of the event. See README.md in this folder for every directive's exact semantics.
 *
 * Results: objects, arrays and text built by the mapper are fresh for every call, but a value read
 * with `@path` (or returned unchanged by @arrayPath, @case, @json decode...) is the event's own
 * value, not a copy. Callers must not mutate what a mapper returns. Keys whose value is undefined
 * are left out of built objects. A mapper does not throw for an event made of JSON values.
 */
export { compileMapping } from './compiler.js';
export { MAX_JSON_DECODE_LENGTH, MAX_MAPPING_DEPTH, MAX_VALUE_DEPTH } from './limits.js';
export { compilePath } from './path.js';
export type { Mapper } from './types.js';
export { isDirective } from './values.js';
