import type { DirectiveCompiler } from '../types.js';
import { compileArrayPath } from './array-path.js';
import { compileCase } from './case.js';
import { compileExcludeWhenNull } from './exclude-when-null.js';
import { compileFlatten } from './flatten.js';
import { compileIf } from './if.js';
import { compileJson } from './json.js';
import { compileLiteral } from './literal.js';
import { compileMerge } from './merge.js';
import { compilePathDirective } from './path.js';
import { compileReplace } from './replace.js';
import { compileTemplate } from './template.js';
import { compileTransform } from './transform.js';

/** Every supported directive. Adding one means one file and one line here. */
export const DIRECTIVES: ReadonlyMap<string, DirectiveCompiler> = new Map([
  ['@path', compilePathDirective],
  ['@template', compileTemplate],
  ['@if', compileIf],
  ['@case', compileCase],
  ['@replace', compileReplace],
  ['@literal', compileLiteral],
  ['@arrayPath', compileArrayPath],
  ['@merge', compileMerge],
  ['@json', compileJson],
  ['@flatten', compileFlatten],
  ['@excludeWhenNull', compileExcludeWhenNull],
  ['@transform', compileTransform],
]);

/** Segment directives we deliberately do not implement, with what to use instead. */
export const UNSUPPORTED_DIRECTIVES: ReadonlyMap<string, string> = new Map([
  [
    '@liquid',
    'The directive "@liquid" (Liquid templates) is not supported; use "@template" such as {"@template": "{{traits.first_name}}"}, or @if/@case/@replace',
  ],
]);
