/**
 * "No crash, no unhandled rejection" (issue 9), asserted by the fuzz files themselves rather than
 * left to the test runner's defaults: every unhandled rejection and uncaught exception raised while
 * a file's properties ran is collected, and the file fails after its tests if there was any.
 */
import { afterAll, beforeAll, expect } from 'vitest';

/** Call at the top of a test file. */
export function failOnUnhandledErrors(): void {
  const seen: string[] = [];
  const record = (error: unknown) => {
    seen.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
  };
  beforeAll(() => {
    process.on('unhandledRejection', record);
    process.on('uncaughtException', record);
  });
  afterAll(async () => {
    // A rejection is reported once the microtasks of its turn have run.
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', record);
    process.off('uncaughtException', record);
    expect(seen, 'unhandled rejections and uncaught exceptions').toEqual([]);
  });
}
