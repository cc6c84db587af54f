/**
 * bench/held-back — claims when much of the queue is held back behind persons' earlier jobs, for
 * both stores, in process (no HTTP, no emulator): a destination worker's loop of claims of 100 with
 * up to 4 batches in flight, each delivered at once.
 *   - few people: a backlog of BENCH_HELD_BACK_EVENTS events (default 50,000) of 20 people. While
 *     their batches are in flight everything else is held back, so every other claim finds nothing;
 *     what those claims cost is the point (src/store/walk-on.ts).
 *   - one waiting: one person's job waits for a retry (due in an hour) with 30,000 of their jobs
 *     queued behind it, then as many jobs of 1,000 other people: these must all be delivered.
 * Times are wall clock on a shared machine: compare runs of two commits interleaved.
 *
 *   npx tsx bench/held-back.ts          # BENCH_PG for the PostgreSQL server (default the local one)
 *   BENCH_HELD_BACK_STORE=PostgreSQL npx tsx bench/held-back.ts   # or SQLite: that store only
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openSqliteStore } from '../src/store/index.js';
import { openPostgresStore } from '../src/store/postgres/index.js';
import type { Job, NewEvent, Store } from '../src/store/types.js';

const SERVER = process.env['BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const EVENTS = Number(process.env['BENCH_HELD_BACK_EVENTS'] ?? 50_000);
const ONLY = process.env['BENCH_HELD_BACK_STORE'];
const T0 = 1_700_000_000_000;
const started = performance.now();
/** The claims' clock: the pause of walk-on.ts runs in real time. */
const now = () => T0 + Math.round(performance.now() - started);

let seq = 0;
const event = (person: string): NewEvent => ({
  source: 'web',
  messageId: `m-${seq++}`,
  personKey: person,
  body: JSON.stringify({ type: 'track', event: 'Held back', userId: person, pad: 'x'.repeat(300) }),
  receivedAt: T0,
  destinations: ['prod'],
});

async function append(store: Store, count: number, person: (i: number) => string): Promise<void> {
  for (let i = 0; i < count; i += 1000) {
    const n = Math.min(1000, count - i);
    await store.append(
      Array.from({ length: n }, (_, k) => event(person(i + k))),
      { dedupeWindowMs: 0 },
    );
  }
}

/** Claim and deliver until `wanted` jobs are delivered; answers seconds, claims and empty claims. */
async function drain(store: Store, wanted: number): Promise<string> {
  const start = performance.now();
  const inFlight: Job[][] = [];
  let delivered = 0;
  let claims = 0;
  let empty = 0;
  while (delivered < wanted) {
    while (inFlight.length < 4) {
      const jobs = await store.claim('prod', { limit: 100, now: now(), ordered: true });
      claims++;
      if (jobs.length === 0) {
        empty++;
        break;
      }
      inFlight.push(jobs);
    }
    const jobs = inFlight.shift();
    if (jobs === undefined) return `stopped: ${delivered} of ${wanted} delivered, the rest held back`;
    await store.complete({
      destination: 'prod',
      now: now(),
      results: jobs.map((j) => ({ jobId: j.id, outcome: 'delivered' as const })),
    });
    delivered += jobs.length;
  }
  return `${((performance.now() - start) / 1000).toFixed(2)} s, ${claims} claims (${empty} found nothing)`;
}

async function fewPeople(store: Store): Promise<string> {
  await append(store, EVENTS, (i) => `few-${i % 20}`);
  return drain(store, EVENTS);
}

async function oneWaiting(store: Store): Promise<string> {
  await store.append([event('busy')], { dedupeWindowMs: 0 });
  const [first] = await store.claim('prod', { limit: 1, now: now(), ordered: true });
  await store.complete({
    destination: 'prod',
    now: now(),
    results: [
      {
        jobId: first!.id,
        outcome: 'retry',
        dueAt: now() + 3_600_000,
        error: { code: 'http_500', message: '500' },
      },
    ],
  });
  await append(store, 30_000, () => 'busy');
  await append(store, 30_000, (i) => `other-${i % 1000}`);
  return drain(store, 30_000);
}

const admin = new pg.Client({ connectionString: SERVER });
await admin.connect();
const database = `cio_relay_held_back_${process.pid}`;
await admin.query(`CREATE DATABASE ${database}`);
const url = new URL(SERVER);
url.pathname = `/${database}`;
let schemas = 0;
const dir = mkdtempSync(join(tmpdir(), 'cio-relay-held-back-'));
const stores: Record<string, () => Promise<Store>> = {
  SQLite: async () => openSqliteStore({ file: join(dir, `store-${++schemas}.db`) }),
  PostgreSQL: () => openPostgresStore({ url: url.toString(), schema: `held_back_${++schemas}` }),
};
try {
  console.log(
    `bench/held-back: claims of 100, 4 in flight; ${EVENTS} events of 20 people, and one person waiting`,
  );
  for (const [name, open] of Object.entries(stores).filter(([n]) => (ONLY ?? n) === n)) {
    for (const [scenario, run] of [
      ['few people', fewPeople],
      ['one waiting', oneWaiting],
    ] as const) {
      const store = await open();
      try {
        console.log(`  ${name.padEnd(10)} ${scenario.padEnd(11)} ${await run(store)}`);
      } finally {
        await store.close();
      }
    }
  }
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
