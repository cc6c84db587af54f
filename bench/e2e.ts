/**
 * bench/e2e — the relay end to end on this machine: Segment `/v1/batch` requests (100 events of
 * bench/events.ts's mix, ~700 bytes each, 1,000 people) into `cio-relay serve` (its own process, a
 * fresh SQLite file), delivered to `cio-relay emulator --sink` (its own process), against, in the
 * same run, a floor: a bare node:http server (its own process) that parses the same requests and
 * appends them to a file (bench/e2e-floor.ts), driven by the same load generator for the same time.
 *
 * Phases (127.0.0.1 only; every child is killed at the end, also on failure or Ctrl-C). Each relay
 * below is a fresh one (new process, new SQLite file), so no part inherits another's backlog.
 *   floor    closed loop: SENDERS keep-alive senders, WARMUP s, then SECONDS s measured.
 *   relay    1. end to end: the same senders, held back while the relay's backlog is at or above
 *               BACKLOG_LIMIT jobs, so that accepted = delivered over the window: the sustained
 *               rate, and the Customer.io requests per 100 events at that steady state;
 *            2. ingest at full speed (the backlog grows): events accepted (200 answers) and
 *               delivered meanwhile; then the load stops and the backlog is delivered (delivery
 *               alone, bounded to DRAIN_SECONDS).
 *   latency  open loop (requests sent on schedule, whatever the answers take) on the relay of
 *            relay.1 at a series of fractions of its sustained rate, beyond it too, to show where it
 *            saturates (BENCH_LATENCY_LEVELS, default 10% to 150%, each for
 *            BENCH_LATENCY_SECONDS after a short paced warm-up, the backlog drained in between), and
 *            on a fresh relay at half the 30,000/s target; latency measured from when each request
 *            was due: p50, p95, p99; and the rates accepted and delivered at each load.
 *   backlog  the destination is down (the emulator answers 503 to everything): BACKLOG events pushed
 *            as fast as the relay accepts them, its RSS sampled every 200 ms (/proc VmRSS); then the
 *            fault is cleared and the backlog delivered for at most DRAIN_SECONDS.
 *
 *   npm run bench:e2e                          # about 5 minutes
 *   BENCH_SCALE=0.2 npm run bench:e2e          # a fifth of the durations and of the backlog
 *   BENCH_SECONDS=10 BENCH_WARMUP=2 BENCH_BACKLOG=300000 BENCH_DRAIN_SECONDS=30 npm run bench:e2e
 *   BENCH_CONNECTIONS=16 BENCH_BACKLOG_LIMIT=20000 npm run bench:e2e
 *   BENCH_PHASES=relay,latency npm run bench:e2e   # any of floor, relay, latency, backlog
 *   BENCH_LATENCY_RATES=5000,15000 npm run bench:e2e
 *   BENCH_LATENCY_LEVELS=0.25,0.5,1 BENCH_LATENCY_SECONDS=5 npm run bench:e2e
 *   npm run bench:e2e -- --json FILE           # also what was measured, as JSON (bench/report/json-out.ts)
 *   BENCH_TIMING=1 npm run bench:e2e           # the store and event loop timed inside the relay
 *   BENCH_RELAY=source npm run bench:e2e       # the relay from the sources through tsx (default: dist/,
 *                                              # built by the npm script first)
 *   npm run bench:e2e -- --store postgres      # SQLite, PostgreSQL with 1 and 2 relays (e2e-postgres.ts)
 *   BENCH_RELAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench:e2e
 *     then: npx tsx bench/e2e-profile.ts /tmp/prof/CPU.*.cpuprofile
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eJson } from './e2e-json.js';
import {
  BodyFactory,
  Counters,
  closedLoop,
  EVENTS_PER_REQUEST,
  openLoop,
  openPool,
  PEOPLE,
  percentile,
  type Target,
} from './e2e-load.js';
import { machineBusySeconds, procSample, RssSampler, sleep, stopAll } from './e2e-procs.js';
import {
  type BacklogResult,
  type DrainResult,
  type FloorResult,
  fmt,
  type LatencyResult,
  loadProblems,
  printBacklog,
  printFloor,
  printLatency,
  printSummary,
  printWindow,
  type Results,
  TARGET,
  type WindowResult,
} from './e2e-report.js';
import {
  BacklogGate,
  EmulatorProcess,
  expectedOpsOf,
  FloorProcess,
  RelayProcess,
  type RelaySettings,
  WRITE_KEY,
} from './e2e-servers.js';
import { writeJsonResults } from './report/json-out.js';

// `npm run bench:e2e -- --store postgres`: SQLite beside PostgreSQL with 1 and 2 relays instead.
if (process.argv.includes('--store')) {
  const store = process.argv[process.argv.indexOf('--store') + 1];
  if (store !== 'postgres') throw new Error(`--store ${store}: only --store postgres is known`);
  await import('./e2e-postgres.js');
  process.exit();
}

const env = process.env;
const SCALE = Number(env['BENCH_SCALE'] ?? 1);
const SECONDS = Number(env['BENCH_SECONDS'] ?? Math.max(2, Math.round(20 * SCALE)));
const WARMUP = Number(env['BENCH_WARMUP'] ?? Math.max(1, Math.round(3 * SCALE)));
const SENDERS = Number(env['BENCH_CONNECTIONS'] ?? 8);
const BACKLOG =
  Math.round(Number(env['BENCH_BACKLOG'] ?? 1_000_000 * SCALE) / EVENTS_PER_REQUEST) * EVENTS_PER_REQUEST;
const BACKLOG_LIMIT = Number(env['BENCH_BACKLOG_LIMIT'] ?? 10_000);
const DRAIN_SECONDS = Number(env['BENCH_DRAIN_SECONDS'] ?? Math.max(5, Math.round(30 * SCALE)));
const PHASES = new Set((env['BENCH_PHASES'] ?? 'floor,relay,latency,backlog').split(','));
const LATENCY_RATES = env['BENCH_LATENCY_RATES']?.split(',').map(Number);
const LATENCY_LEVELS = (env['BENCH_LATENCY_LEVELS'] ?? '0.1,0.25,0.5,0.75,0.9,1,1.25,1.5')
  .split(',')
  .map(Number);
const LATENCY_SECONDS = Number(env['BENCH_LATENCY_SECONDS'] ?? Math.max(2, Math.round(10 * SCALE)));

const dir = mkdtempSync(join(tmpdir(), 'cio-relay-e2e-'));
const relaySettings: RelaySettings = {
  dir,
  // Users run the built relay; from the sources, tsx's transpiler adds ~40 MB to each thread's RSS.
  mode: env['BENCH_RELAY'] === 'source' || env['BENCH_TIMING'] === '1' ? 'source' : 'dist',
  timing: env['BENCH_TIMING'] === '1',
  nodeArgs: (env['BENCH_RELAY_NODE_ARGS'] ?? '').split(' ').filter(Boolean),
  logLevel: env['LOG_LEVEL'] ?? 'info',
};

const target = (url: string): Target => ({ url, writeKey: WRITE_KEY });
const cpuOf = (pid: number) => {
  try {
    return procSample(pid).cpuSeconds;
  } catch {
    return Number.NaN;
  }
};
const benchCpu = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

async function floorPhase(factory: BodyFactory): Promise<FloorResult> {
  const floor = await FloorProcess.start(dir);
  const pool = openPool(floor.url, SENDERS);
  const counters = new Counters();
  let stop = false;
  const load = closedLoop(pool, target(floor.url), factory, counters, { senders: SENDERS, stop: () => stop });
  await sleep(WARMUP * 1000);
  const edge = () => ({
    load: counters.snapshot(),
    floor: cpuOf(floor.child.pid),
    bench: benchCpu(),
    machine: machineBusySeconds(),
  });
  const a = edge();
  await sleep(SECONDS * 1000);
  const b = edge();
  stop = true;
  await load;
  await pool.close();
  await floor.child.stop();
  rmSync(join(dir, 'floor.ndjson'), { force: true });
  const seconds = (b.load.at - a.load.at) / 1000;
  const floorCpu = b.floor - a.floor;
  const bench = b.bench - a.bench;
  return {
    eventsPerSecond: (b.load.acceptedEvents - a.load.acceptedEvents) / seconds,
    cpu: {
      floor: floorCpu / seconds,
      bench: bench / seconds,
      others: (b.machine - a.machine - floorCpu - bench) / seconds,
    },
    failed: counters.failedRequests,
  };
}

/** A closed loop against the relay: WARMUP s, then SECONDS s measured second by second. */
async function relayWindow(
  relay: RelayProcess,
  emulator: EmulatorProcess,
  factory: BodyFactory,
  gate: BacklogGate | undefined,
): Promise<WindowResult> {
  const pool = openPool(relay.url, SENDERS);
  const counters = new Counters();
  const rss = new RssSampler(relay.child.pid);
  let stop = false;
  const load = closedLoop(pool, target(relay.url), factory, counters, {
    senders: SENDERS,
    stop: () => stop,
    ...(gate && { gate: () => gate.wait() }),
  });
  await sleep(WARMUP * 1000);
  const edge = async () => {
    const [stats, emulatorStats] = await Promise.all([relay.stats(), emulator.stats()]);
    return {
      load: counters.snapshot(),
      expected: { ...counters.expected },
      finished: stats.delivered + stats.filtered,
      backlog: stats.queued + stats.inFlight + stats.retrying,
      ops: emulatorStats.operations.accepted,
      requests: emulatorStats.requests.total,
      relay: cpuOf(relay.child.pid),
      emulator: cpuOf(emulator.child.pid),
      bench: benchCpu(),
      machine: machineBusySeconds(),
    };
  };
  const a = await edge();
  await relay.timing(); // starts the window of BENCH_TIMING
  const timeline: WindowResult['timeline'] = [];
  let previous = a;
  for (let s = 0; s < SECONDS; s++) {
    await sleep(1000 - ((performance.now() - a.load.at) % 1000));
    const now = await edge();
    timeline.push({
      accepted: now.load.acceptedEvents - previous.load.acceptedEvents,
      finished: now.finished - previous.finished,
      backlog: now.backlog,
    });
    previous = now;
  }
  const b = previous;
  const timing = await relay.timing();
  stop = true;
  await load;
  await pool.close();
  rss.stop();
  const seconds = (b.load.at - a.load.at) / 1000;
  const used = (key: 'relay' | 'emulator' | 'bench' | 'machine') => b[key] - a[key];
  return {
    seconds,
    accepted: b.load.acceptedEvents - a.load.acceptedEvents,
    finished: b.finished - a.finished,
    emulatorOps: b.ops - a.ops,
    emulatorRequests: b.requests - a.requests,
    expected: { v2: b.expected.v2 - a.expected.v2, metrics: b.expected.metrics - a.expected.metrics },
    backlogEnd: b.backlog,
    cpu: {
      relay: used('relay') / seconds,
      emulator: used('emulator') / seconds,
      bench: used('bench') / seconds,
      others: (used('machine') - used('relay') - used('emulator') - used('bench')) / seconds,
    },
    peakRssMb: rss.peakMb,
    timeline,
    counters,
    timing,
  };
}

async function drain(relay: RelayProcess): Promise<DrainResult> {
  const before = await relay.finished();
  const start = performance.now();
  const drained = await relay.drain(DRAIN_SECONDS);
  const seconds = drained ?? (performance.now() - start) / 1000;
  return { jobs: (await relay.finished()) - before, seconds, completed: drained !== undefined };
}

async function latencyPhase(
  relay: RelayProcess,
  factory: BodyFactory,
  eventsPerSecond: number,
  why: string,
  measuredSeconds: number,
): Promise<LatencyResult> {
  const requestsPerSecond = eventsPerSecond / EVENTS_PER_REQUEST;
  const pool = openPool(relay.url, 64);
  // A short paced warm-up at this rate (connections, JIT), not measured.
  await openLoop(pool, target(relay.url), factory, new Counters(), {
    requestsPerSecond,
    seconds: Math.min(WARMUP, 2),
  });
  const counters = new Counters();
  const finishedA = await relay.finished();
  await relay.timing();
  const cpuA = { relay: cpuOf(relay.child.pid), machine: machineBusySeconds() };
  const start = performance.now();
  await openLoop(pool, target(relay.url), factory, counters, { requestsPerSecond, seconds: measuredSeconds });
  // The scheduled window, or longer if the answers came late: the last request is due one interval
  // before the window ends, so the time to its answer alone would overstate the rates at light load.
  const seconds = Math.max(measuredSeconds, (performance.now() - start) / 1000);
  const relayCpu = cpuOf(relay.child.pid) - cpuA.relay;
  const machineCpu = machineBusySeconds() - cpuA.machine;
  const timing = await relay.timing();
  const stats = await relay.stats();
  await pool.close();
  const sorted = [...counters.latenciesMs].sort((x, y) => x - y);
  return {
    offered: eventsPerSecond,
    eventsPerSecond: counters.acceptedEvents / seconds,
    why,
    requests: counters.requests,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    finishedPerSecond: (stats.delivered + stats.filtered - finishedA) / seconds,
    backlogEnd: stats.queued + stats.inFlight + stats.retrying,
    failed: counters.failedRequests,
    cpu: { relay: relayCpu / seconds, rest: (machineCpu - relayCpu) / seconds },
    timing,
  };
}

async function backlogPhase(emulator: EmulatorProcess, factory: BodyFactory): Promise<BacklogResult> {
  await emulator.faults({ errorRate: 1, errorStatuses: [503] });
  const relay = await RelayProcess.start('relay-backlog', emulator.url, relaySettings);
  try {
    const rss = new RssSampler(relay.child.pid);
    const pool = openPool(relay.url, SENDERS);
    const counters = new Counters();
    const first = factory.issued;
    const cpuA = cpuOf(relay.child.pid);
    const start = performance.now();
    await closedLoop(pool, target(relay.url), factory, counters, {
      senders: SENDERS,
      stop: () => factory.issued - first >= BACKLOG,
    });
    const ingestSeconds = (performance.now() - start) / 1000;
    const relayCpu = (cpuOf(relay.child.pid) - cpuA) / ingestSeconds;
    await pool.close();
    // The destination stays down a little longer: retries keep coming while nothing gets through.
    await sleep(2000);
    const waiting = await relay.backlog();
    const peakRssMb = rss.peakMb;
    const every = Math.max(1, Math.floor(rss.timeline.length / 15));
    const rssSeries = rss.timeline
      .filter((_, i) => i % every === 0)
      .map((p) => `${p.atS.toFixed(0)}s:${p.rssMb.toFixed(0)}`)
      .join(' ');
    const thin = Math.max(1, Math.ceil(rss.timeline.length / 100));
    const rssTimeline = rss.timeline.filter((_, i) => i % thin === 0);

    await emulator.faults({});
    const drained = await drain(relay);
    rss.stop();
    const hwmMb = procSample(relay.child.pid).peakRssMb;
    return {
      events: BACKLOG,
      ingestSeconds,
      accepted: counters.acceptedEvents,
      peakRssMb,
      rssSeries,
      rssTimeline,
      relayCpu,
      waiting,
      drain: { ...drained, peakRssMb: rss.peakMb },
      hwmMb,
      stop: await relay.stop(),
      failed: counters.failedRequests,
      firstError: counters.firstError,
    };
  } finally {
    await relay.stop();
  }
}

async function main(): Promise<Results> {
  const factory = new BodyFactory(`e2e-${Date.now().toString(36)}`, expectedOpsOf());
  const how =
    relaySettings.mode === 'dist'
      ? 'node bin/cio-relay.js serve (dist/)'
      : `cio-relay serve from the sources (node --import tsx bench/${relaySettings.timing ? 'e2e-timed' : 'e2e-cli'}.ts)`;
  console.log(
    `bench/e2e: /v1/batch of ${EVENTS_PER_REQUEST} events (~${fmt(factory.averageEventBytes)} bytes each, ${PEOPLE} people), ` +
      `${SENDERS} keep-alive senders, ${WARMUP} s warm-up + ${SECONDS} s measured per window, drains bounded to ${DRAIN_SECONDS} s, ` +
      `backlog ${fmt(BACKLOG)} events; phases: ${[...PHASES].join(', ')}`,
  );
  console.log(
    `relay: ${how}, SQLite in ${dir}, batch.maxOperations 100, concurrency 4, rateLimit 10,000/s, ` +
      `LOG_LEVEL=${relaySettings.logLevel}${relaySettings.nodeArgs.length ? `, node ${relaySettings.nodeArgs.join(' ')}` : ''}`,
  );
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
  console.log(`machine: ${cpus().length} cores, load average ${load()} at start\n`);
  const results: Results = { problems: [], backlogLimit: BACKLOG_LIMIT, latency: [] };
  const emulator = await EmulatorProcess.start(dir);

  if (PHASES.has('floor')) {
    process.stdout.write('floor ... ');
    results.floor = await floorPhase(factory);
    if (results.floor.failed) results.problems.push(`floor: ${results.floor.failed} requests failed`);
    printFloor(results.floor);
  }

  // Each part runs on a fresh relay (new process, new file), so none inherits another's backlog.
  const withRelay = async (name: string, work: (relay: RelayProcess) => Promise<void>) => {
    const relay = await RelayProcess.start(name, emulator.url, relaySettings);
    try {
      await work(relay);
      const dead = (await relay.stats()).dead;
      if (dead > 0) results.problems.push(`${name}: ${dead} jobs dead-lettered (see its log)`);
    } finally {
      await relay.stop();
    }
  };
  const latency = async (relay: RelayProcess, rate: number, why: string, seconds = SECONDS) => {
    process.stdout.write(`latency at ${fmt(rate)} events/s (${why}) ... `);
    const result = await latencyPhase(relay, factory, rate, why, seconds);
    results.latency.push(result);
    printLatency(result);
    if (result.failed) results.problems.push(`latency at ${rate}/s: ${result.failed} requests failed`);
  };

  if (PHASES.has('relay')) {
    await withRelay('relay-steady', async (relay) => {
      process.stdout.write(`relay, end to end with the backlog under ${fmt(BACKLOG_LIMIT)} jobs ... `);
      const gate = new BacklogGate(relay, BACKLOG_LIMIT);
      try {
        results.steady = await relayWindow(relay, emulator, factory, gate);
      } finally {
        await gate.stop();
      }
      printWindow(results.steady);
      results.problems.push(...loadProblems('relay end to end', results.steady.counters));
      if (PHASES.has('latency') && !LATENCY_RATES) {
        // Latency and throughput against offered load: fractions of the rate just sustained, each
        // level starting with the backlog drained so that none inherits the previous one's.
        const s = results.steady;
        const sustained = Math.min(s.accepted, s.finished) / s.seconds;
        for (const level of LATENCY_LEVELS) {
          const rate = Math.max(100, Math.round((sustained * level) / 100) * 100);
          await relay.drain(DRAIN_SECONDS);
          await latency(relay, rate, `${fmt(level * 100)}% of the sustained rate`, LATENCY_SECONDS);
        }
      }
    });
    await withRelay('relay-ingest', async (relay) => {
      process.stdout.write('relay, ingest at full speed ... ');
      results.ingest = await relayWindow(relay, emulator, factory, undefined);
      results.problems.push(...loadProblems('relay ingest', results.ingest.counters));
      printWindow(results.ingest);
      process.stdout.write('relay, then delivery alone ... ');
      results.drain = await drain(relay);
      console.log(
        `${fmt(results.drain.jobs)} jobs in ${fmt(results.drain.seconds, 1)} s (${fmt(results.drain.jobs / results.drain.seconds)}/s)` +
          (results.drain.completed ? ', all of them' : `, stopped at the ${DRAIN_SECONDS} s bound`),
      );
    });
  }

  if (PHASES.has('latency')) {
    const rates = LATENCY_RATES?.map((rate) => ({ rate, why: 'BENCH_LATENCY_RATES' })) ?? [];
    const halfTarget = TARGET.eventsPerSecond / 2;
    const near = results.latency.some((l) => Math.abs(l.offered - halfTarget) / halfTarget <= 0.1);
    if (!LATENCY_RATES && !near) {
      rates.push({ rate: halfTarget, why: 'half the 30,000/s target' });
    }
    for (const { rate, why } of rates)
      await withRelay(`relay-latency-${rate}`, (relay) => latency(relay, rate, why));
  }

  if (PHASES.has('backlog')) {
    process.stdout.write(`backlog of ${fmt(BACKLOG)} events, destination down (503) ... `);
    results.backlog = await backlogPhase(emulator, factory);
    printBacklog(results.backlog, DRAIN_SECONDS);
    if (results.backlog.failed) {
      results.problems.push(
        `backlog: ${results.backlog.failed} requests failed; first: ${results.backlog.firstError}`,
      );
    }
  }

  const final = await emulator.stats();
  await emulator.child.stop();
  printSummary(results);
  writeJsonResults(
    'e2e',
    e2eJson(results, { senders: SENDERS, seconds: SECONDS, warmup: WARMUP, mode: relaySettings.mode }),
  );
  const statuses = Object.entries(final.requests.byStatus)
    .map(([status, n]) => `${status}: ${fmt(n)}`)
    .join(', ');
  console.log(
    `\nthe emulator counted ${fmt(final.operations.accepted)} operations accepted, ${fmt(final.operations.rejected)} rejected, ` +
      `${fmt(final.requests.total)} requests (${statuses}) over the whole run; load average ${load()} at the end`,
  );
  return results;
}

// Logs and databases are removed at exit (also on Ctrl-C), unless something went wrong.
let keepDir = false;
process.on('exit', () => {
  if (!keepDir) rmSync(dir, { recursive: true, force: true });
});
try {
  const results = await main();
  if (results.problems.length > 0) {
    keepDir = true;
    console.log(`logs and databases kept in ${dir}`);
  }
} catch (error) {
  keepDir = true;
  console.error(`\nbench/e2e failed: ${(error as Error).stack ?? error}`);
  console.error(`logs and databases kept in ${dir}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
