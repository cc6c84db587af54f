import { ConfigError } from '../errors.js';
import { formatLocation, type Segment } from './describe.js';
import type { Node } from './types.js';

type CompileFunction = (value: unknown, site: Site) => Node;

/**
 * Where the compiler stands inside the configuration. Directives use it to report errors at the
 * exact spot (`subscriptions[2].mapping.attributes.plan.@if.then`) and to compile nested mappings;
 * the compile function is injected so that directive files never import the compiler (no cycle).
 */
export class Site {
  constructor(
    private readonly base: string | undefined,
    readonly location: readonly Segment[],
    private readonly compileFunction: CompileFunction,
  ) {}

  /** The site of a nested value: `site.at('then')`, `site.at('objects', 2)`. */
  at(...segments: Segment[]): Site {
    return new Site(this.base, [...this.location, ...segments], this.compileFunction);
  }

  get path(): string | undefined {
    return formatLocation(this.base, this.location);
  }

  /** Throws the `invalid_mapping` ConfigError for this site. */
  fail(message: string): never {
    throw new ConfigError('invalid_mapping', message, { path: this.path });
  }

  /** Compiles a nested mapping value located at this site. */
  compile(value: unknown): Node {
    return this.compileFunction(value, this);
  }
}
