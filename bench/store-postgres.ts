/**
 * The PostgreSQL store's cost per event, without HTTP, mapping or the emulator: what bench:e2e
 * --store postgres spends in the store and the database, measured as CPU time so that two runs on
 * a busy machine can be compared (wall-clock rates there depend on the neighbours).
 *
 * First every event is appended, 100 per call and 8 calls at once (as ingest's senders do, so they
 * share group commits); then, as a relay's destination worker does, one claim of 100 at a time with up
 * to 4 results on their way, each completing its jobs delivered with an exchange (the log is
 * written), until the queue is empty. For each phase: events/s, and µs of CPU
 * per event of this process (the store's JavaScript, pg) and of PostgreSQL (the database's
 * backends and the server's background writers, from /proc: a local server only), and WAL bytes
 * per event (server-wide: quiet only when nothing else writes to the server). Between the phases,
 * how long one `stats` call takes with every job queued.
 *
 *   npx tsx bench/store-postgres.ts            # BENCH_EVENTS (default 40,000), BENCH_PG (server)
 *   BENCH_RELAYS=2 npx tsx bench/store-postgres.ts   # stores (relays) delivering together, default 1
 */
import { loadavg } from 'node:os';
import pg from 'pg';
import { openPostgresStore, type PostgresStore } from '../src/store/postgres/index.js';
import type { NewEvent } from '../src/store/types.js';
import { mixedEvents } from './events.js';
import { postgresCpuSeconds } from './postgres-cpu.js';

const COUNT = Number(process.env['BENCH_EVENTS'] ?? 40_000);
const SERVER = process.env['BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CALL = 100;
const APPENDERS = 8;
const DELIVERERS = 4;
const RELAYS = Number(process.env['BENCH_RELAYS'] ?? 1);
const DEDUPE_WINDOW_MS = 24 * 3600 * 1000;

async function onServer<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const tag = Date.now().toString(36);
const events: NewEvent[] = mixedEvents(COUNT).map((e, i) => ({
  source: 'web',
  messageId: `${tag}-${i}`,
  personKey: (e['userId'] ?? e['anonymousId']) as string,
  body: JSON.stringify(e),
  receivedAt: Date.now(),
  destinations: ['prod'],
}));

const database = `cio_relay_store_bench_${process.pid}`;
await onServer((client) => client.query(`CREATE DATABASE ${database}`));
const url = new URL(SERVER);
url.pathname = `/${database}`;
const stores = await Promise.all(
  Array.from({ length: RELAYS }, () => openPostgresStore({ url: url.toString() })),
);
const store = stores[0]!;
// Each store learns how many relays share the queue at its lease renewals (every 10 s): now.
for (const s of stores) await s.renewLease();
/** The server's WAL position in bytes (server-wide: other databases' writes count too). */
async function walBytes(): Promise<number> {
  return onServer(async (client) => {
    const { rows } = await client.query<{ bytes: string }>(
      "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS bytes",
    );
    return Number(rows[0]!.bytes);
  });
}

interface Measure {
  seconds: number;
  cpu: number;
  pg: number;
  wal: number;
}

/** Run `work` and measure it: wall seconds, CPU seconds of this process and of PostgreSQL, WAL bytes. */
async function measured(work: () => Promise<unknown>): Promise<Measure> {
  const cpuBefore = process.cpuUsage();
  const pgBefore = await postgresCpuSeconds(SERVER, database);
  const walBefore = await walBytes();
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    seconds,
    cpu: (cpu.user + cpu.system) / 1e6,
    pg: (await postgresCpuSeconds(SERVER, database)) - pgBefore,
    wal: (await walBytes()) - walBefore,
  };
}

/** Milliseconds one `stats` call takes with the whole backlog queued (median of 5). */
async function statsMs(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await store.stats('prod', Date.now());
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[2]!;
}

async function appendAll(): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: APPENDERS }, async () => {
      while (next < events.length) {
        const slice = events.slice(next, next + CALL);
        next += CALL;
        await store.append(slice, { dedupeWindowMs: DEDUPE_WINDOW_MS });
      }
    }),
  );
}

let delivered = 0;
/** Claims made and the wall time they took (a claim waiting for another relay's buckets shows here). */
const claims = { count: 0, ms: 0 };

function deliverAll(): Promise<unknown> {
  return Promise.all(stores.map(deliverOn));
}

/** As a relay's destination worker does: one claim at a time, up to DELIVERERS results on their way. */
async function deliverOn(store: PostgresStore): Promise<void> {
  const running = new Set<Promise<void>>();
  while (delivered < events.length) {
    if (running.size >= DELIVERERS) await Promise.race(running);
    const now = Date.now();
    const started = performance.now();
    const jobs = await store.claim('prod', { limit: CALL, now, ordered: true });
    claims.count++;
    claims.ms += performance.now() - started;
    if (jobs.length === 0) {
      await (running.size > 0 ? Promise.race(running) : new Promise((resolve) => setTimeout(resolve, 2)));
      continue;
    }
    delivered += jobs.length;
    const completing = store
      .complete({
        destination: 'prod',
        now,
        results: jobs.map((job) => ({
          jobId: job.id,
          outcome: 'delivered' as const,
          exchange: {
            method: 'POST',
            url: 'http://127.0.0.1/api/v2/batch',
            requestBody: job.body.slice(0, 300),
            status: 200,
            responseBody: '{}',
            durationMs: 3.5,
          },
        })),
      })
      .finally(() => running.delete(completing));
    running.add(completing);
  }
  await Promise.all(running);
}

try {
  const perEvent = (s: number) => ((s / COUNT) * 1e6).toFixed(1).padStart(6);
  console.log(
    `store-postgres: ${COUNT} events, ${RELAYS} relay(s); load average ${loadavg()[0]!.toFixed(1)}`,
  );
  for (const [name, work] of [
    ['append ', appendAll],
    ['deliver', deliverAll],
  ] as const) {
    const m = await measured(work);
    console.log(
      `  ${name} ${String(Math.round(COUNT / m.seconds)).padStart(6)} events/s; µs of CPU per event: ` +
        `store ${perEvent(m.cpu)}, PostgreSQL ${perEvent(m.pg)}; WAL bytes per event ${Math.round(m.wal / COUNT)}`,
    );
    if (name === 'deliver')
      console.log(`  ${claims.count} claims, ${(claims.ms / claims.count).toFixed(2)} ms each on average`);
    if (name === 'append ')
      console.log(`  stats with ${COUNT} jobs queued: ${(await statsMs()).toFixed(2)} ms`);
  }
} finally {
  await Promise.all(stores.map((s) => s.close()));
  await onServer((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
}
