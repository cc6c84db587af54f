/**
 * `npm run bench:e2e -- --store postgres`: end-to-end events per second with the PostgreSQL store,
 * with 1 and with 2 relay processes sharing one database, beside the SQLite store, in the same run
 * (same machine, same load generator, same emulator process; the ratio to SQLite is the figure to
 * compare across machines), and the floor of bench/e2e (a bare node:http server appending the same
 * requests to a file) driven by the same senders for the same time. Each part gets fresh relays and, for PostgreSQL, a fresh database on
 * BENCH_PG (default the local server, trust auth), dropped afterwards.
 *
 * Each part is bench/e2e's "end to end" window: SENDERS keep-alive senders spread over the relays,
 * held back while the backlog is at or above BENCH_BACKLOG_LIMIT jobs, so accepted = delivered over
 * the window; WARMUP s, then SECONDS s measured. Last, each part's CPU per event (relays,
 * PostgreSQL and the rest of the machine together) and the cores the 15,000/s target would take at
 * that cost: with more cores than the machine has, that part cannot reach the target on it.
 *
 *   npm run bench:e2e -- --store postgres
 *   BENCH_SECONDS=10 BENCH_WARMUP=2 npm run bench:e2e -- --store postgres
 *   BENCH_PARTS=postgres-1 npm run bench:e2e -- --store postgres   # any of floor, sqlite, postgres-1, postgres-2
 *   npm run bench:e2e -- --store postgres --json FILE   # also the rates as JSON (bench/report/json-out.ts)
 *   BENCH_RELAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof-pg" …   # node options of the relays
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { BodyFactory, Counters, closedLoop, EVENTS_PER_REQUEST, openPool, PEOPLE } from './e2e-load.js';
import { machineBusySeconds, procSample, sleep, stopAll } from './e2e-procs.js';
import { fmt } from './e2e-report.js';
import {
  BacklogGate,
  EmulatorProcess,
  expectedOpsOf,
  FloorProcess,
  RelayProcess,
  WRITE_KEY,
} from './e2e-servers.js';
import { postgresCpuSeconds } from './postgres-cpu.js';
import { writeJsonResults } from './report/json-out.js';

const env = process.env;
const SECONDS = Number(env['BENCH_SECONDS'] ?? 20);
const WARMUP = Number(env['BENCH_WARMUP'] ?? 3);
const SENDERS = Number(env['BENCH_CONNECTIONS'] ?? 8);
const BACKLOG_LIMIT = Number(env['BENCH_BACKLOG_LIMIT'] ?? 10_000);
const SERVER = env['BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TARGET = 15_000;

interface Part {
  name: string;
  relays: number;
  postgres: boolean;
}

interface PartResult extends Part {
  accepted: number;
  delivered: number;
  seconds: number;
  /** CPU (cores) of the relays, of the PostgreSQL server's processes (when local), and of the rest. */
  relayCpu: number;
  postgresCpu: number;
  otherCpu: number;
}

const PARTS: Part[] = [
  { name: 'sqlite', relays: 1, postgres: false },
  { name: 'postgres-1', relays: 1, postgres: true },
  { name: 'postgres-2', relays: 2, postgres: true },
];

const dir = mkdtempSync(join(tmpdir(), 'cio-relay-e2e-pg-'));
const settings = {
  dir,
  mode: 'source' as const,
  timing: false,
  nodeArgs: (env['BENCH_RELAY_NODE_ARGS'] ?? '').split(' ').filter(Boolean),
  logLevel: env['LOG_LEVEL'] ?? 'warn',
};

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function databaseUrl(name: string): string {
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

async function runPart(part: Part, emulator: EmulatorProcess, factory: BodyFactory): Promise<PartResult> {
  const database = `cio_relay_bench_${process.pid}_${part.relays}`;
  if (part.postgres) await onServer(`CREATE DATABASE ${database}`);
  const relays: RelayProcess[] = [];
  try {
    const store = part.postgres ? { postgres: databaseUrl(database) } : undefined;
    for (let i = 0; i < part.relays; i++) {
      relays.push(
        await RelayProcess.start(`${part.name}-${i}`, emulator.url, { ...settings, ...(store && { store }) }),
      );
    }
    // One database: any relay's stats are the whole queue's.
    const gate = new BacklogGate(relays[0]!, BACKLOG_LIMIT);
    const counters = new Counters();
    let stop = false;
    const pools = relays.map((relay) => openPool(relay.url, Math.ceil(SENDERS / relays.length)));
    const loads = relays.map((relay, i) =>
      closedLoop(pools[i]!, { url: relay.url, writeKey: WRITE_KEY }, factory, counters, {
        senders: Math.ceil(SENDERS / relays.length),
        stop: () => stop,
        gate: () => gate.wait(),
      }),
    );
    await sleep(WARMUP * 1000);
    const edge = async () => {
      const stats = await relays[0]!.stats();
      const relayCpu = relays.reduce((sum, r) => sum + procSample(r.child.pid).cpuSeconds, 0);
      const postgresCpu = part.postgres ? await postgresCpuSeconds(SERVER, database) : 0;
      return {
        postgresCpu,
        at: performance.now(),
        accepted: counters.acceptedEvents,
        finished: stats.delivered + stats.filtered,
        relayCpu,
        machine: machineBusySeconds(),
      };
    };
    const a = await edge();
    await sleep(SECONDS * 1000);
    const b = await edge();
    stop = true;
    await Promise.all(loads);
    await gate.stop();
    await Promise.all(pools.map((pool) => pool.close()));
    const seconds = (b.at - a.at) / 1000;
    if (counters.failedRequests > 0)
      console.log(`  ${counters.failedRequests} failed requests: ${counters.firstError}`);
    return {
      ...part,
      seconds,
      accepted: (b.accepted - a.accepted) / seconds,
      delivered: (b.finished - a.finished) / seconds,
      relayCpu: (b.relayCpu - a.relayCpu) / seconds,
      postgresCpu: (b.postgresCpu - a.postgresCpu) / seconds,
      otherCpu:
        (b.machine - a.machine - (b.relayCpu - a.relayCpu) - (b.postgresCpu - a.postgresCpu)) / seconds,
    };
  } finally {
    await Promise.all(relays.map((relay) => relay.stop()));
    if (part.postgres) await onServer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

/** The floor: SENDERS closed-loop senders against a bare server that appends to a file. */
async function floorPart(factory: BodyFactory): Promise<number> {
  const floor = await FloorProcess.start(dir);
  try {
    const pool = openPool(floor.url, SENDERS);
    const counters = new Counters();
    let stop = false;
    const load = closedLoop(pool, { url: floor.url, writeKey: WRITE_KEY }, factory, counters, {
      senders: SENDERS,
      stop: () => stop,
    });
    await sleep(WARMUP * 1000);
    const a = counters.snapshot();
    await sleep(SECONDS * 1000);
    const b = counters.snapshot();
    stop = true;
    await load;
    await pool.close();
    return ((b.acceptedEvents - a.acceptedEvents) / (b.at - a.at)) * 1000;
  } finally {
    await floor.child.stop();
    rmSync(join(dir, 'floor.ndjson'), { force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `bench/e2e --store postgres: /v1/batch of ${EVENTS_PER_REQUEST} events, ${PEOPLE} people, ${SENDERS} senders, ` +
      `backlog held under ${fmt(BACKLOG_LIMIT)} jobs, ${WARMUP} s warm-up + ${SECONDS} s measured per part; ` +
      `PostgreSQL ${new URL(SERVER).host}; ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(2)}\n`,
  );
  const factory = new BodyFactory(`e2e-pg-${Date.now().toString(36)}`, expectedOpsOf());
  const emulator = await EmulatorProcess.start(dir);
  const only = env['BENCH_PARTS']?.split(',');
  const parts = PARTS.filter((part) => only === undefined || only.includes(part.name));
  let floor: number | undefined;
  if (only === undefined || only.includes('floor')) {
    process.stdout.write('floor (node:http + JSON.parse + append to a file) ... ');
    floor = await floorPart(factory);
    console.log(`${fmt(floor)} events/s`);
  }
  const results: PartResult[] = [];
  for (const part of parts) {
    process.stdout.write(`${part.name} (${part.relays} relay${part.relays > 1 ? 's' : ''}) ... `);
    const result = await runPart(part, emulator, factory);
    results.push(result);
    // Per event: comparable across runs on a busy machine, where the rate depends on the neighbours.
    const perEvent = (cores: number) => fmt((cores / result.accepted) * 1e6);
    console.log(
      `accepted ${fmt(result.accepted)}/s, delivered ${fmt(result.delivered)}/s; CPU (cores): relays ${fmt(result.relayCpu, 2)}, ` +
        `PostgreSQL ${fmt(result.postgresCpu, 2)}, everything else ${fmt(result.otherCpu, 2)}; µs per event: ` +
        `relays ${perEvent(result.relayCpu)}, PostgreSQL ${perEvent(result.postgresCpu)}`,
    );
  }
  await emulator.child.stop();
  const baseline = results.find((r) => !r.postgres);
  const sqlite = baseline ? Math.min(baseline.accepted, baseline.delivered) : Number.NaN;
  console.log('\nend to end (the lower of accepted and delivered), against SQLite in this run:');
  for (const r of results) {
    const rate = Math.min(r.accepted, r.delivered);
    console.log(
      `  ${r.name.padEnd(11)} ${fmt(rate).padStart(7)} events/s  ×${fmt(rate / sqlite, 2)} of SQLite` +
        (floor ? `  ${fmt(rate / floor, 3)} of the floor` : '') +
        (r.postgres ? `  (target ${fmt(TARGET)}/s: ${rate >= TARGET ? 'met' : 'not met'})` : ''),
    );
  }
  // What the target asks of the machine at the CPU cost per event each part measured: relays,
  // PostgreSQL and everything else (load generator, emulator) share these cores.
  console.log(
    `\nCPU per event of all processes, and the cores ${fmt(TARGET)}/s would take at that cost (${cpus().length} here):`,
  );
  for (const r of results) {
    const perEvent = (r.relayCpu + r.postgresCpu + r.otherCpu) / r.accepted;
    console.log(
      `  ${r.name.padEnd(11)} ${fmt(perEvent * 1e6).padStart(4)} µs  ${fmt(perEvent * TARGET, 2)} cores`,
    );
  }
  writeJsonResults('e2e-postgres', {
    run: { senders: SENDERS, seconds: SECONDS, warmup: WARMUP, backlogLimit: BACKLOG_LIMIT },
    floorPerSecond: floor ?? null,
    parts: results.map((r) => ({ ...r, sustainedPerSecond: Math.min(r.accepted, r.delivered) })),
  });
}

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  console.error(`\nbench/e2e --store postgres failed: ${(error as Error).stack ?? error}`);
  console.error(`logs kept in ${dir}`);
  process.exitCode = 1;
} finally {
  await stopAll();
  if (!failed) rmSync(dir, { recursive: true, force: true });
}
