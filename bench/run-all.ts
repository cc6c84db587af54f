/**
 * `npm run bench`: every benchmark, one after the other, each in its own process (so one's memory
 * and JIT state do not skew the next), each writing its results as JSON (`--json`); then the
 * report: docs/benchmarks.md with its charts in docs/images/bench-*.svg, and the collected results
 * in bench/results/benchmarks.json (to render the report again without running anything).
 *
 *   npm run bench                       # the full run (about 15 minutes), rewrites the report
 *   npm run bench -- --quick            # short windows, small backlogs: a smoke run (~3 minutes)
 *   npm run bench -- --only map,drain   # some of the benchmarks
 *   npm run bench -- --out DIR          # the report, charts and results into DIR instead
 *   npm run bench -- --render FILE      # no benchmark: the report from saved results
 *
 * Only a full run of every benchmark writes docs/ by default; --quick and --only write to a
 * temporary folder unless --out says where, so a partial or quick run never replaces the report.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMachine } from './report/machine.js';
import { writeReport } from './report/render.js';
import type { BenchmarkName, BenchmarkRun, RunResults } from './report/results.js';

interface Benchmark {
  name: BenchmarkName;
  script: string;
  args: string[];
  command: string;
  /** Settings of the quick run (the full run uses each benchmark's defaults). */
  quick: Record<string, string>;
}

const BENCHMARKS: Benchmark[] = [
  {
    name: 'map',
    script: 'bench/map.ts',
    args: [],
    command: 'npm run bench:map',
    quick: { BENCH_EVENTS: '5000', BENCH_ROUNDS: '3', BENCH_SEGMENT_EVENTS: '500' },
  },
  {
    name: 'emulator-sink',
    script: 'bench/emulator-sink.ts',
    args: [],
    command: 'npm run bench:emulator',
    quick: { BENCH_SECONDS: '1', BENCH_ROUNDS: '1', BENCH_BATCHES: '3000' },
  },
  {
    name: 'store',
    script: 'bench/store.ts',
    args: [],
    command: 'npm run bench:store',
    quick: { BENCH_EVENTS: '20000' },
  },
  {
    name: 'e2e',
    script: 'bench/e2e.ts',
    args: [],
    command: 'npm run bench:e2e',
    quick: { BENCH_SCALE: '0.05', BENCH_LATENCY_LEVELS: '0.25,0.5,1' },
  },
  {
    name: 'e2e-postgres',
    script: 'bench/e2e.ts',
    args: ['--store', 'postgres'],
    command: 'npm run bench:e2e -- --store postgres',
    quick: { BENCH_SECONDS: '2', BENCH_WARMUP: '1' },
  },
  {
    name: 'drain',
    script: 'bench/drain.ts',
    args: [],
    command: 'npm run bench:drain',
    quick: { BENCH_DRAIN_EVENTS: '20000' },
  },
];

const argv = process.argv.slice(2);
/** A wrong command line: say what is wrong and how to write it, without a stack trace. */
function usage(problem: string): never {
  console.error(`npm run bench: ${problem}`);
  console.error('usage: npm run bench -- [--quick] [--only NAMES] [--out DIR] [--render FILE]');
  process.exit(2);
}
const option = (name: string) => {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const value = argv[i + 1];
  if (!value || value.startsWith('--')) usage(`${name} needs a value`);
  return value;
};
const known = new Set(['--quick', '--only', '--out', '--render']);
for (const arg of argv) {
  if (arg.startsWith('--') && !known.has(arg)) usage(`unknown option ${arg}`);
}
const quick = argv.includes('--quick');
const only = option('--only')?.split(',');
for (const name of only ?? []) {
  if (!BENCHMARKS.some((b) => b.name === name))
    usage(`--only ${name}: no such benchmark (${BENCHMARKS.map((b) => b.name).join(', ')})`);
}
const published = !quick && !only;
const outDir = option('--out') ?? (published ? undefined : join(tmpdir(), 'cio-relay-bench'));
const paths = outDir
  ? {
      markdown: join(outDir, 'benchmarks.md'),
      images: join(outDir, 'images'),
      results: join(outDir, 'benchmarks.json'),
    }
  : { markdown: 'docs/benchmarks.md', images: 'docs/images', results: 'bench/results/benchmarks.json' };
const TIME_LIMIT_MS = (quick ? 5 : 20) * 60_000;

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
    });
    return dirty.trim() ? `${head}, with uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}

let current: ChildProcess | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    current?.kill('SIGTERM'); // each benchmark stops its own servers on SIGTERM
    process.exit(130);
  });
}

/** Run one benchmark to its end (or the time limit), echoing its output; its run record. */
async function runOne(bench: Benchmark, dir: string): Promise<BenchmarkRun> {
  const json = join(dir, `${bench.name}.json`);
  const start = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', bench.script, ...bench.args, '--json', json], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(quick ? bench.quick : {}) },
  });
  current = child;
  let tail = '';
  const echo = (chunk: Buffer, to: NodeJS.WriteStream) => {
    to.write(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout.on('data', (chunk: Buffer) => echo(chunk, process.stdout));
  child.stderr.on('data', (chunk: Buffer) => echo(chunk, process.stderr));
  const timer = setTimeout(() => child.kill('SIGTERM'), TIME_LIMIT_MS);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  current = undefined;
  const seconds = (performance.now() - start) / 1000;
  let results = null;
  try {
    results = JSON.parse(readFileSync(json, 'utf8')).results;
  } catch {
    // no results: reported below
  }
  const ok = code === 0 && results !== null;
  const error = ok
    ? undefined
    : `exit ${code ?? 'by signal'}${seconds * 1000 >= TIME_LIMIT_MS ? ' (time limit)' : ''}: ${tail.trim().split('\n').slice(-5).join('\n')}`;
  return { command: bench.command, seconds, ok, ...(error && { error }), results };
}

async function runAll(): Promise<RunResults> {
  const dir = join(tmpdir(), `cio-relay-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const selected = BENCHMARKS.filter((b) => !only || only.includes(b.name));
  const run: RunResults = {
    quick,
    commit: commit(),
    startedAt: new Date().toISOString(),
    finishedAt: '',
    machine: describeMachine(),
    loadStart: loadavg(),
    loadEnd: [],
    benchmarks: {},
  };
  console.log(
    `npm run bench${quick ? ' --quick' : ''}: ${selected.map((b) => b.name).join(', ')}; ` +
      `${run.machine.cores} cores, load average ${run.loadStart.map((x) => x.toFixed(2)).join(' ')}\n`,
  );
  for (const bench of selected) {
    console.log(`=== ${bench.name}: ${bench.command}${quick ? ' (quick)' : ''}`);
    const result = await runOne(bench, dir);
    (run.benchmarks as Record<string, BenchmarkRun>)[bench.name] = result;
    console.log(`=== ${bench.name}: ${result.ok ? 'done' : 'FAILED'} in ${result.seconds.toFixed(0)} s\n`);
  }
  run.loadEnd = loadavg();
  run.finishedAt = new Date().toISOString();
  rmSync(dir, { recursive: true, force: true }); // each benchmark's JSON is in `run` now
  return run;
}

const renderFrom = option('--render');
const run: RunResults = renderFrom ? JSON.parse(readFileSync(renderFrom, 'utf8')) : await runAll();
if (!renderFrom) {
  mkdirSync(join(paths.results, '..'), { recursive: true });
  writeFileSync(paths.results, `${JSON.stringify(run, null, 2)}\n`);
}
const files = writeReport(run, paths.markdown, paths.images);
console.log(`report: ${files.markdown}, charts: ${files.images.join(', ') || 'none'}`);
if (!renderFrom) console.log(`results: ${paths.results}`);
const failed = Object.entries(run.benchmarks).filter(([, b]) => !b.ok);
if (failed.length > 0) {
  console.log(`failed: ${failed.map(([name]) => name).join(', ')}`);
  process.exitCode = 1;
}
