import { expect } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { compileMapping } from '../../src/mapping/index.js';

/** Compiles `mapping` and runs it on `event`. */
export function run(mapping: unknown, event: Record<string, unknown>): unknown {
  return compileMapping(mapping)(event);
}

/** The ConfigError thrown when compiling `mapping` (fails the test if none is thrown). */
export function compileError(mapping: unknown, path?: string): ConfigError {
  try {
    compileMapping(mapping, path === undefined ? {} : { path });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected ${JSON.stringify(mapping)} not to compile`);
}

/** What `fn` throws (fails the test if it returns). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
