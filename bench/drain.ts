/**
 * bench/drain — how long the relay takes to deliver a backlog of BENCH_DRAIN_EVENTS events (default
 * 1,000,000) at the destination's configured rate limit, against the theoretical time at that rate.
 *
 * The backlog is written into a fresh SQLite store before the relay starts, through the relay's
 * own ingest path minus HTTP (validate, normalise, `store.append` in groups of 1,000), as after an
 * outage or a bulk import. Then `cio-relay serve` (dist/, its own process) starts on that file with
 * the destination's defaults (batch of 100 operations, `rateLimit.requestsPerSecond` 100: the
 * configuration's default, Customer.io's fair-use reading of its Track API limit) and delivers to
 * `cio-relay emulator --sink` (its own process). Measured: the time from the relay answering its
 * health check to an empty queue (bounded), the requests made, the relay's peak RSS, and the
 * remaining backlog second by second (for the report's chart).
 *
 * The theoretical time is the fewest requests that can carry the operations (v2 operations in
 * full batches, plus one request per metric, which goes to /api/v1/metrics alone), divided by the
 * rate limit. The ratio theoretical / measured is the share of the rate limit the relay used.
 *
 *   npm run build && npx tsx bench/drain.ts [--json FILE]
 *   BENCH_DRAIN_EVENTS=100000 BENCH_DRAIN_RATE=50 npx tsx bench/drain.ts
 *   BENCH_DRAIN_BOUND_SECONDS=120 npx tsx bench/drain.ts   # default: twice the theory + 60 s
 *   BENCH_DRAIN_ERROR_RATE=0.02 npx tsx bench/drain.ts    # a flaky Customer.io: that share of requests
 *                                                          # answered 503 (seeded), retried by the relay
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../src/config/index.js';
import { acceptEvents } from '../src/server/accept.js';
import { openSqliteStore } from '../src/store/index.js';
import { BodyFactory, EVENTS_PER_REQUEST, PEOPLE } from './e2e-load.js';
import { RssSampler, sleep, stopAll } from './e2e-procs.js';
import { fmt } from './e2e-report.js';
import { EmulatorProcess, expectedOpsOf, RelayProcess, relayConfig } from './e2e-servers.js';
import { writeJsonResults } from './report/json-out.js';

const env = process.env;
const EVENTS = Math.round(Number(env['BENCH_DRAIN_EVENTS'] ?? 1_000_000) / 1000) * 1000;
const APPEND_GROUP = 1000;
const DEDUPE_WINDOW_MS = 86_400_000;
const RELAY = 'relay-drain';
const ERROR_RATE = Number(env['BENCH_DRAIN_ERROR_RATE'] ?? 0);
const DESTINATION = 'cio';

// The destination as a user configures it: everything but the endpoint at its default, unless
// BENCH_DRAIN_RATE sets the rate limit. Retry backoffs stay short as in bench/e2e.
const destination: Record<string, unknown> = {
  batch: undefined,
  concurrency: undefined,
  rateLimit: env['BENCH_DRAIN_RATE'] ? { requestsPerSecond: Number(env['BENCH_DRAIN_RATE']) } : undefined,
};
const configured = validateConfig(
  JSON.parse(JSON.stringify(relayConfig(1, 'http://127.0.0.1:1', ':memory:', {}, destination))),
  {},
).destinations[0]!;
const RATE = configured.rateLimit.requestsPerSecond;
const MAX_OPERATIONS = configured.batch.maxOperations;

const dir = mkdtempSync(join(tmpdir(), 'cio-relay-drain-'));

/** Fill the relay's store with EVENTS events for DESTINATION; returns the operations they make. */
async function prefill(factory: BodyFactory): Promise<{ seconds: number; v2: number; metrics: number }> {
  const start = performance.now();
  const store = openSqliteStore({ file: join(dir, `${RELAY}.db`) });
  try {
    for (let sent = 0; sent < EVENTS; sent += APPEND_GROUP) {
      const receivedAt = Date.now();
      const arrival = { source: 'web', receivedAt, receivedAtIso: new Date(receivedAt).toISOString() };
      const raw: unknown[] = [];
      for (let i = 0; i < APPEND_GROUP; i += EVENTS_PER_REQUEST) {
        raw.push(...(JSON.parse(factory.next().body) as { batch: unknown[] }).batch);
      }
      const accepted = acceptEvents(raw, arrival, [DESTINATION]);
      if (accepted.rejected.length > 0)
        throw new Error(`the generator made invalid events: ${JSON.stringify(accepted.rejected[0])}`);
      await store.append(accepted.events, { dedupeWindowMs: DEDUPE_WINDOW_MS });
    }
  } finally {
    await store.close();
  }
  const ops = factory.expectedOps(0, EVENTS);
  return { seconds: (performance.now() - start) / 1000, ...ops };
}

async function main(): Promise<void> {
  console.log(
    `bench/drain: a backlog of ${fmt(EVENTS)} events (${PEOPLE} people) written to a fresh SQLite store, then ` +
      `delivered by cio-relay serve (dist/) at rateLimit.requestsPerSecond ${fmt(RATE, 1)}, batch.maxOperations ` +
      `${MAX_OPERATIONS}, to cio-relay emulator --sink` +
      (ERROR_RATE > 0 ? ` answering ${fmt(ERROR_RATE * 100, 1)} % of requests 503` : '') +
      `; load average ${loadavg()[0]!.toFixed(2)}`,
  );
  const factory = new BodyFactory(`drain-${Date.now().toString(36)}`, expectedOpsOf());
  process.stdout.write('writing the backlog into the store ... ');
  const filled = await prefill(factory);
  const theoryRequests = Math.ceil(filled.v2 / MAX_OPERATIONS) + filled.metrics;
  const theorySeconds = theoryRequests / RATE;
  const bound = Number(env['BENCH_DRAIN_BOUND_SECONDS'] ?? Math.ceil(theorySeconds * 2 + 60));
  console.log(
    `${fmt(filled.seconds, 1)} s (${fmt(EVENTS / filled.seconds)} events/s); ${fmt(filled.v2)} v2 operations and ` +
      `${fmt(filled.metrics)} metrics to send: at least ${fmt(theoryRequests)} requests, ${fmt(theorySeconds, 1)} s at the rate limit`,
  );

  const emulator = await EmulatorProcess.start(dir);
  if (ERROR_RATE > 0) await emulator.faults({ errorRate: ERROR_RATE, errorStatuses: [503], seed: 1 });
  const relay = await RelayProcess.start(RELAY, emulator.url, {
    dir,
    mode: 'dist',
    timing: false,
    nodeArgs: [],
    logLevel: env['LOG_LEVEL'] ?? 'warn',
    destination,
  });
  const rss = new RssSampler(relay.child.pid);
  const requestsBefore = (await emulator.stats()).requests.total;
  const start = performance.now();
  const timeline: { atS: number; remaining: number }[] = [];
  let remaining = await relay.backlog();
  const initial = remaining;
  process.stdout.write(`draining ${fmt(initial)} jobs (bounded to ${bound} s) ... `);
  for (;;) {
    const atS = (performance.now() - start) / 1000;
    timeline.push({ atS, remaining });
    if (remaining === 0 || atS > bound) break;
    await sleep(remaining < RATE * MAX_OPERATIONS ? 100 : 1000);
    remaining = await relay.backlog();
  }
  const seconds = (performance.now() - start) / 1000;
  rss.stop();
  const stats = await relay.stats();
  const emulatorStats = await emulator.stats();
  const requests = emulatorStats.requests.total - requestsBefore;
  await relay.stop();
  await emulator.child.stop();

  const finished = stats.delivered + stats.filtered;
  const completed = remaining === 0;
  const result = {
    events: EVENTS,
    jobs: initial,
    prefillSeconds: filled.seconds,
    requestsPerSecond: RATE,
    maxOperations: MAX_OPERATIONS,
    operations: { v2: filled.v2, metrics: filled.metrics },
    theoryRequests,
    theorySeconds,
    seconds,
    completed,
    finished,
    dead: stats.dead,
    requests,
    requestsPer100Events: (requests / Math.max(1, finished)) * 100,
    rejectedOperations: emulatorStats.operations.rejected,
    peakRssMb: rss.peakMb,
    boundSeconds: bound,
    timeline: thin(timeline, 120),
  };
  console.log(
    completed
      ? `${fmt(seconds, 1)} s: ${fmt(theorySeconds / seconds, 3)} of the rate limit's pace (theory ${fmt(theorySeconds, 1)} s)`
      : `stopped at the ${bound} s bound with ${fmt(remaining)} jobs left`,
  );
  console.log(
    `  ${fmt(requests)} requests (${fmt(result.requestsPer100Events, 2)} per 100 events, at least ${fmt(theoryRequests)} needed), ` +
      `${fmt(finished)} jobs finished, ${stats.dead} dead, ${emulatorStats.operations.rejected} operations rejected; relay peak RSS ${fmt(rss.peakMb)} MB`,
  );
  writeJsonResults('drain', result);
  if (!completed || stats.dead > 0 || emulatorStats.operations.rejected > 0) process.exitCode = 1;
}

/** At most about `count` points of a series, keeping the last. */
function thin<T>(points: T[], count: number): T[] {
  const every = Math.max(1, Math.ceil(points.length / count));
  return points.filter((_, i) => i % every === 0 || i === points.length - 1);
}

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  console.error(`\nbench/drain failed: ${(error as Error).stack ?? error}`);
  console.error(`logs and databases kept in ${dir}`);
  process.exitCode = 1;
} finally {
  await stopAll();
  if (!failed) rmSync(dir, { recursive: true, force: true });
}
