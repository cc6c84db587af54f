/**
 * `--json FILE` for every benchmark: besides its human output, a benchmark writes what it measured
 * as JSON, which bench/run-all.ts collects into the report. The file holds `{ benchmark, at,
 * loadAverage, results }`; `results` is the benchmark's own shape (see bench/report/results.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';

/** The path after `--json` on the command line, if any. */
export function jsonOutPath(argv: readonly string[] = process.argv): string | undefined {
  const i = argv.indexOf('--json');
  if (i < 0) return undefined;
  const path = argv[i + 1];
  if (!path || path.startsWith('--')) throw new Error('--json needs a file name: --json results.json');
  return path;
}

/** Write `results` to the `--json` file when one was given; a no-op otherwise. */
export function writeJsonResults(benchmark: string, results: unknown, argv = process.argv): void {
  const path = jsonOutPath(argv);
  if (!path) return;
  mkdirSync(dirname(path), { recursive: true });
  const body = { benchmark, at: new Date().toISOString(), loadAverage: loadavg(), results };
  writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`);
}
