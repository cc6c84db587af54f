import type { Site } from './site.js';

/**
 * A compiled piece of a mapping. `root` is what `$` means at this point: the event, or the current
 * item inside an `@arrayPath` shape. A node never parses anything: all the work that depends only
 * on the configuration was done when it was compiled.
 */
export type Node = (root: unknown) => unknown;

/** A compiled mapping, as handed to the rest of the relay. */
export type Mapper = (event: Readonly<Record<string, unknown>>) => unknown;

/**
 * Compiles the argument of one directive (`{"@name": argument}`) into a node. `site` points at
 * the directive inside the configuration; it reports errors there and compiles nested mappings.
 */
export type DirectiveCompiler = (argument: unknown, site: Site) => Node;
