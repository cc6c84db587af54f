import { setOwn } from '../objects.js';
import { describe, quoteList } from './describe.js';
import { DIRECTIVES, UNSUPPORTED_DIRECTIVES } from './directives/registry.js';
import { MAX_MAPPING_DEPTH } from './limits.js';
import { Site } from './site.js';
import type { Mapper, Node } from './types.js';
import { isPlainObject } from './values.js';

const returnUndefined: Node = () => undefined;

/**
 * Compiles one mapping value: a literal, an array or object of mappings, or a directive object.
 * Validation happens here, once; the nodes it returns do no checking beyond what depends on the
 * event.
 */
export function compileNode(value: unknown, site: Site): Node {
  if (site.location.length > MAX_MAPPING_DEPTH) {
    site.fail(`The mapping is nested more than ${MAX_MAPPING_DEPTH} levels deep here; simplify it`);
  }
  switch (typeof value) {
    case 'undefined':
      return returnUndefined;
    case 'string':
    case 'boolean':
      return () => value;
    case 'number':
      if (!Number.isFinite(value)) break;
      return () => value;
    case 'object':
      if (value === null) return () => null;
      if (Array.isArray(value)) return compileArray(value, site);
      if (isPlainObject(value)) return compileObject(value, site);
      break;
  }
  return site.fail(
    `A mapping value must be JSON: text, a number, true/false, null, an array, an object or a directive (got ${describe(value)})`,
  );
}

/** Arrays keep their length: an item that maps to undefined stays undefined (JSON: null), as in Segment. */
function compileArray(items: readonly unknown[], site: Site): Node {
  const nodes = items.map((item, index) => compileNode(item, site.at(index)));
  return (root) => {
    const out: unknown[] = new Array(nodes.length);
    for (let i = 0; i < nodes.length; i++) out[i] = nodes[i]!(root);
    return out;
  };
}

function compileObject(object: Record<string, unknown>, site: Site): Node {
  const keys = Object.keys(object);
  if (keys.some((key) => key.startsWith('@'))) return compileDirective(object, keys, site);
  const nodes = keys.map((key) => compileNode(object[key], site.at(key)));
  // A fresh object per event (callers may keep it), without the keys that mapped to undefined.
  return (root) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < nodes.length; i++) {
      const value = nodes[i]!(root);
      if (value !== undefined) setOwn(out, keys[i]!, value);
    }
    return out;
  };
}

function compileDirective(object: Record<string, unknown>, keys: readonly string[], site: Site): Node {
  const names = keys.filter((key) => key.startsWith('@'));
  const others = keys.filter((key) => !key.startsWith('@') && key !== '_metadata');
  if (names.length > 1) {
    site.fail(
      `An object can hold only one directive but this one has ${quoteList(names)}; give each its own field`,
    );
  }
  const name = names[0]!;
  if (others.length > 0) {
    site.fail(
      `An object with the directive ${JSON.stringify(name)} cannot have other keys (found ${quoteList(others)}); ` +
        `move them out, or put the directive under a key of its own`,
    );
  }
  const compiler = DIRECTIVES.get(name);
  if (compiler === undefined) {
    const advice = UNSUPPORTED_DIRECTIVES.get(name) ?? unknownAdvice(name);
    return site.fail(advice);
  }
  // `_metadata` (Segment's editor state) is ignored, as in Segment.
  return compiler(object[name], site.at(name));
}

function unknownAdvice(name: string): string {
  const known = [...DIRECTIVES.keys()];
  const near = known.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  const hint = near === undefined ? '' : ` Did you mean ${JSON.stringify(near)}?`;
  return `Unknown directive ${JSON.stringify(name)}.${hint} The directives are ${known.join(', ')}`;
}

/**
 * Compiles a whole mapping, validating all of it. Throws ConfigError `invalid_mapping` whose path
 * is `options.path` plus the location inside the mapping.
 */
export function compileMapping(mapping: unknown, options: { path?: string } = {}): Mapper {
  return compileNode(mapping, new Site(options.path, [], compileNode));
}
