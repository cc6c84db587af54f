import { describe } from '../describe.js';
import { parseRelativePath, pathReader } from '../path.js';
import type { Site } from '../site.js';
import { toText } from '../text.js';
import type { DirectiveCompiler, Node } from '../types.js';

// Segment's placeholders, found in two passes: {{{path}}} first, then {{path}} in the text left.
const TRIPLE = /\{\{\{([^}]+)\}\}\}/g;
const DOUBLE = /\{\{([^}]+)\}\}/g;

type Part = string | Node;

/**
 * `{"@template": "Hi {{traits.first_name}}"}`: the text with each placeholder replaced by the
 * value at its path (read from the root, without "$."), missing or null giving '' and other values
 * converted as JavaScript's String() does ("[object Object]", arrays joined with commas). Unlike
 * Segment, a value is never itself scanned for placeholders (Segment's second pass re-reads the
 * output of {{{...}}}, letting event data inject placeholders).
 */
export const compileTemplate: DirectiveCompiler = (argument, site) => {
  if (typeof argument !== 'string') {
    return site.fail(
      `@template must be text with placeholders such as "{{traits.first_name}}" (got ${describe(argument)})`,
    );
  }
  const parts: Part[] = [];
  for (const chunk of split(argument, TRIPLE, site)) {
    if (typeof chunk === 'string') parts.push(...split(chunk, DOUBLE, site));
    else parts.push(chunk);
  }
  const merged = mergeText(parts);
  if (merged.length === 0) return () => '';
  const [only] = merged;
  if (merged.length === 1 && typeof only === 'string') return () => only;
  return (root) => {
    let out = '';
    for (const part of merged) out += typeof part === 'string' ? part : toText(part(root));
    return out;
  };
};

function split(text: string, pattern: RegExp, site: Site): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const index = match.index;
    parts.push(text.slice(last, index));
    parts.push(placeholder(match[0], match[1] ?? '', site));
    last = index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

function placeholder(whole: string, inner: string, site: Site): Node {
  const path = inner.trim();
  if (path === '')
    return site.fail(`@template placeholder ${whole} is empty; put a path in it such as {{traits.email}}`);
  const parsed = parseRelativePath(path);
  if ('problem' in parsed) {
    return site.fail(
      `@template placeholder ${whole} is not a valid path: ${parsed.problem}; write placeholders like {{traits.email}} or {{properties["first name"]}}`,
    );
  }
  if (parsed.keys[0] === '$') {
    return site.fail(
      `@template placeholder ${whole} starts with "$", but placeholders are read from the event without "$."; write {{${path.replace(/^\$\.?/, '')}}}`,
    );
  }
  return pathReader(parsed.keys);
}

function mergeText(parts: readonly Part[]): Part[] {
  const out: Part[] = [];
  for (const part of parts) {
    const previous = out[out.length - 1];
    if (typeof part === 'string') {
      if (part === '') continue;
      if (typeof previous === 'string') out[out.length - 1] = previous + part;
      else out.push(part);
    } else {
      out.push(part);
    }
  }
  return out;
}
