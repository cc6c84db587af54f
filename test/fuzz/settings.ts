/**
 * How much the fuzz suite runs, and with which seed. Every property takes its share of a budget
 * from BASE_RUNS (at least 10,000 cases per `npm test`, checked by budget.test.ts) and counts the
 * cases it really ran, so a property that silently stopped running would fail.
 *
 * - FUZZ_SEED=n   another fixed seed (default: one fixed seed, so CI runs are reproducible).
 * - FUZZ_RUNS=n   about n cases in total, shared in the same proportions (e.g. 200000 to explore).
 * - FUZZ_PATH=p   with FUZZ_SEED, replays the exact failing case fast-check reported as `path`.
 *
 * On failure fast-check's error (printed by vitest) holds the seed, the path and the shrunk
 * counterexample; rerun with FUZZ_SEED and FUZZ_PATH to get it again.
 */
import fc from 'fast-check';
import { expect } from 'vitest';

export const DEFAULT_SEED = 20_261_122;

/** A property's time limit: seconds when the machine is idle, far more on a busy shared one. */
export const FUZZ_TIMEOUT_MS = 300_000;

/** Cases per property in a default run. */
export const BASE_RUNS = {
  'ingest: any request': 2500,
  'ingest: mixed batches': 700,
  'ingest: mixed batches (PostgreSQL)': 200,
  'mapping core: presets of every profile': 2000,
  'mapping core: random mappings': 1500,
  'compilers: trigger source text': 3000,
  'compilers: mapping source text': 1000,
} as const;

export type FuzzName = keyof typeof BASE_RUNS;

export const BASE_TOTAL = Object.values(BASE_RUNS).reduce((sum, runs) => sum + runs, 0);

function positiveInteger(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer (got ${text})`);
  return value;
}

export const FUZZ_SEED = positiveInteger('FUZZ_SEED') ?? DEFAULT_SEED;
const TOTAL = positiveInteger('FUZZ_RUNS') ?? BASE_TOTAL;
const PATH = process.env.FUZZ_PATH || undefined;

/** This property's number of cases (its share of FUZZ_RUNS). */
export function runsOf(name: FuzzName): number {
  return Math.max(1, Math.round((BASE_RUNS[name] * TOTAL) / BASE_TOTAL));
}

/** fast-check parameters for one property: fixed seed, its number of runs, a readable report. */
export function fuzzParameters<T>(name: FuzzName): fc.Parameters<T> {
  return {
    seed: FUZZ_SEED,
    numRuns: runsOf(name),
    ...(PATH === undefined ? {} : { path: PATH }),
    reporter: shortReport,
  };
}

/** Longest counterexample shown: a generated body can be 500 KB. */
const MAX_REPORT_CHARS = 4000;

/** fast-check's report (seed, path, counterexample, error), with long values cut in the middle. */
function shortReport<T>(details: fc.RunDetails<T>): void {
  if (!details.failed) return;
  const report = fc.defaultReportMessage(details) ?? 'property failed';
  const text =
    report.length <= MAX_REPORT_CHARS
      ? report
      : `${report.slice(0, MAX_REPORT_CHARS / 2)}\n[... ${report.length - MAX_REPORT_CHARS} characters cut ...]\n${report.slice(-MAX_REPORT_CHARS / 2)}`;
  throw new Error(
    `${text}\nReplay: FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath ?? ''}`,
    {
      cause: details.errorInstance,
    },
  );
}

/**
 * Counts the cases a property ran, so that a test can assert all of them ran (fast-check stops
 * early only on failure, and then the test fails anyway).
 */
export class CaseCounter {
  count = 0;

  constructor(readonly name: FuzzName) {}

  tick(): void {
    this.count++;
  }

  /**
   * Fails when fewer than `share` of the cases reached `what` (e.g. past validation): a generator
   * that drifted towards inputs refused at the door would test less than it claims.
   */
  expectShare(what: string, reached: number, share: number): void {
    if (PATH !== undefined) return;
    expect(reached, `${this.name}: cases that ${what}`).toBeGreaterThanOrEqual(
      Math.floor(this.count * share),
    );
  }

  expectAllRan(): void {
    // With FUZZ_PATH, fast-check replays one case only.
    if (PATH !== undefined) return;
    expect(this.count, `${this.name}: cases run`).toBe(runsOf(this.name));
  }
}
