import { expect } from 'vitest';
import { InvalidConfigError, validateConfig } from '../../src/config/index.js';

/** The smallest valid configuration, with overrides merged in at the top level. */
export function minimal(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sources: [{ name: 'web', writeKey: 'write-key-web-0001' }],
    destinations: [{ name: 'production', siteId: 'site-0001', apiKey: 'api-key-0001' }],
    ...overrides,
  };
}

/** A configuration with one destination whose keys are merged over the minimal one's. */
export function withDestination(destination: Record<string, unknown>): Record<string, unknown> {
  return minimal({
    destinations: [{ name: 'production', siteId: 'site-0001', apiKey: 'api-key-0001', ...destination }],
  });
}

/** The problems validateConfig reports for `raw` (fails the test if it accepts it). */
export function problemsOf(raw: unknown): { path: string; message: string }[] {
  try {
    validateConfig(raw, {});
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    return [...(error as InvalidConfigError).problems];
  }
  throw new Error('expected the configuration to be refused');
}

export function messagesOf(raw: unknown): string[] {
  return problemsOf(raw).map((p) => p.message);
}

export { tempFile } from '../temp-files.js';
