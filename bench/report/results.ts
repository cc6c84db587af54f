/**
 * The shape of one `npm run bench` run as bench/run-all.ts saves it (bench/results/benchmarks.json
 * for a full run) and as the renderer reads it: the machine, the load around the run, and each
 * benchmark's `--json` output (bench/report/json-out.ts) or why it has none.
 */
import type { e2eJson } from '../e2e-json.js';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
}

export interface MapResults {
  events: number;
  averageEventBytes: number;
  floorPerSecond: number;
  oursPerSecond: number;
  segmentPerSecond: number | null;
  segmentVersion: string | null;
}

export interface EmulatorSinkResults {
  operationsPerBatch: number;
  bareOpsPerSecond: number;
  sinkOpsPerSecond: number;
  stubbedOpsPerSecond: number;
}

interface StorePhase {
  perSecond: number;
  unitP50Ms: number;
  unitP99Ms: number;
}

export interface StoreResults {
  events: number;
  append: { floor: StorePhase; store: StorePhase };
  delivery: { floor: StorePhase; store: StorePhase };
}

export type E2eResults = ReturnType<typeof e2eJson>;

export interface E2ePostgresResults {
  run: { senders: number; seconds: number; warmup: number; backlogLimit: number };
  floorPerSecond: number | null;
  parts: {
    name: string;
    relays: number;
    postgres: boolean;
    accepted: number;
    delivered: number;
    sustainedPerSecond: number;
    relayCpu: number;
    otherCpu: number;
  }[];
}

export interface DrainResults {
  events: number;
  jobs: number;
  prefillSeconds: number;
  requestsPerSecond: number;
  maxOperations: number;
  theoryRequests: number;
  theorySeconds: number;
  seconds: number;
  completed: boolean;
  finished: number;
  dead: number;
  requests: number;
  requestsPer100Events: number;
  peakRssMb: number;
  boundSeconds: number;
  timeline: { atS: number; remaining: number }[];
}

export interface BenchmarkResults {
  map: MapResults;
  'emulator-sink': EmulatorSinkResults;
  store: StoreResults;
  e2e: E2eResults;
  'e2e-postgres': E2ePostgresResults;
  drain: DrainResults;
}

export type BenchmarkName = keyof BenchmarkResults;

export interface BenchmarkRun<N extends BenchmarkName = BenchmarkName> {
  /** The command that runs it alone, for the report. */
  command: string;
  seconds: number;
  /** False when it exited with an error or wrote no results. */
  ok: boolean;
  /** Its last lines of output when it failed. */
  error?: string;
  results: BenchmarkResults[N] | null;
}

export interface RunResults {
  quick: boolean;
  commit: string;
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  /** 1-, 5- and 15-minute load averages when the run started and when it ended. */
  loadStart: number[];
  loadEnd: number[];
  benchmarks: { [N in BenchmarkName]?: BenchmarkRun<N> };
}
