/**
 * The fuzz suite's size: at least 10,000 generated cases per default run (issue 9). Each property
 * asserts that it ran its share (settings.ts CaseCounter); this adds the shares up and prints them.
 */
import { describe, expect, it } from 'vitest';
import { BASE_RUNS, BASE_TOTAL, FUZZ_SEED, runsOf } from './settings.js';

describe('fuzz budget', () => {
  it('runs at least 10,000 cases by default, with a fixed seed', () => {
    expect(BASE_TOTAL).toBeGreaterThanOrEqual(10_000);
    const shares = Object.keys(BASE_RUNS).map(
      (name) => [name, runsOf(name as keyof typeof BASE_RUNS)] as const,
    );
    const total = shares.reduce((sum, [, runs]) => sum + runs, 0);
    console.log(
      `fuzz: ${total} cases this run (seed ${FUZZ_SEED}; FUZZ_RUNS and FUZZ_SEED change them)\n` +
        shares.map(([name, runs]) => `  ${String(runs).padStart(6)}  ${name}`).join('\n'),
    );
    if (process.env.FUZZ_RUNS === undefined) expect(total).toBeGreaterThanOrEqual(10_000);
  });
});
