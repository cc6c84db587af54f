/**
 * bench:store — the SQLite store's throughput against plain SQLite in the same run, same file system,
 * same pragmas:
 *   - append: groups of 1,000 events (one destination) through `append` (dedupe on, fsync per
 *     group) vs the floor: plain INSERTs of the same rows into one table, one fsync'd transaction
 *     per 1,000;
 *   - delivery: `claim` 100 + `complete` 100 delivered (with an exchange, so the log is written) vs
 *     the floor: SELECT 100 rows in id order and DELETE them, one transaction per 100, committed at
 *     the store's level for this path (synchronous=NORMAL, see src/store/sqlite/durability.ts).
 * Budgets (per issue 4): one append group of 1,000 ≲ 5 ms; claim 100 + complete 100 ≲ 3 ms.
 * BENCH_EVENTS sets the number of events (default 100,000); `--json FILE` also writes the rates as
 * JSON (bench/report/json-out.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type JobResult, type NewEvent, openSqliteStore } from '../src/store/index.js';
import { mixedEvents } from './events.js';
import { writeJsonResults } from './report/json-out.js';

const COUNT = Number(process.env.BENCH_EVENTS ?? 100_000);
const GROUP = 1000;
const CLAIM = 100;
const NOW = 1_800_000_000_000;

/** Deterministic UUID-shaped messageIds: SDKs send random ones, which is what dedupe must cope with. */
function messageId(i: number): string {
  const hex = (n: number) => (Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) >>> 0).toString(16).padStart(8, '0');
  const a = hex(i);
  const b = hex(i + 0x51ed27);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-8${a.slice(1, 4)}-${hex(~i)}${b.slice(0, 4)}`;
}

function newEvents(): NewEvent[] {
  return mixedEvents(COUNT).map((e, i) => ({
    source: 'web',
    messageId: messageId(i),
    personKey: (e.userId ?? e.anonymousId) as string,
    body: JSON.stringify(e),
    receivedAt: NOW,
    destinations: ['prod'],
  }));
}

const elapsed = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

interface Phase {
  perSecond: number;
  /** Milliseconds per unit of work (a group of 1,000, or a claim+complete of 100). */
  unitMs: number[];
  /** Process CPU time (all threads) per unit: less sensitive than wall time to other load. */
  cpuMsPerUnit: number;
}

let cpuStart = process.cpuUsage();
/** Call at the start of a phase's timed part. */
function startCpu(): void {
  cpuStart = process.cpuUsage();
}

function phase(count: number, totalMs: number, unitMs: number[]): Phase {
  const cpu = process.cpuUsage(cpuStart);
  return {
    perSecond: (count / totalMs) * 1000,
    unitMs,
    cpuMsPerUnit: (cpu.user + cpu.system) / 1000 / unitMs.length,
  };
}

function floorAppend(file: string, events: NewEvent[]): Phase {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE plain (id INTEGER PRIMARY KEY, source TEXT, message_id TEXT, person TEXT,
    received_at INTEGER, destination TEXT, body TEXT)`);
  const insert = db.prepare('INSERT INTO plain VALUES (NULL, ?, ?, ?, ?, ?, ?)');
  const group = db.transaction((rows: NewEvent[]) => {
    for (const e of rows) insert.run(e.source, e.messageId, e.personKey, e.receivedAt, 'prod', e.body);
  });
  const units: number[] = [];
  startCpu();
  const start = process.hrtime.bigint();
  for (let i = 0; i < events.length; i += GROUP) {
    const t = process.hrtime.bigint();
    group.immediate(events.slice(i, i + GROUP));
    units.push(elapsed(t));
  }
  const total = elapsed(start);
  db.close();
  return phase(events.length, total, units);
}

function floorDeliver(file: string): Phase {
  const db = new Database(file);
  db.pragma('synchronous = NORMAL');
  const select = db.prepare('SELECT id, source, message_id, person, body FROM plain ORDER BY id LIMIT ?');
  const remove = db.prepare('DELETE FROM plain WHERE id = ?');
  const take = db.transaction(() => {
    const rows = select.all(CLAIM) as { id: number }[];
    for (const row of rows) remove.run(row.id);
    return rows.length;
  });
  const units: number[] = [];
  startCpu();
  const start = process.hrtime.bigint();
  let done = 0;
  for (;;) {
    const t = process.hrtime.bigint();
    const n = take.immediate();
    if (n === 0) break;
    units.push(elapsed(t));
    done += n;
  }
  const total = elapsed(start);
  db.close();
  return phase(done, total, units);
}

async function storeAppend(file: string, events: NewEvent[]): Promise<Phase> {
  const store = openSqliteStore({ file });
  const units: number[] = [];
  startCpu();
  const start = process.hrtime.bigint();
  for (let i = 0; i < events.length; i += GROUP) {
    const t = process.hrtime.bigint();
    await store.append(events.slice(i, i + GROUP), { dedupeWindowMs: 86_400_000 });
    units.push(elapsed(t));
  }
  const total = elapsed(start);
  await store.close();
  return phase(events.length, total, units);
}

async function storeDeliver(file: string): Promise<Phase> {
  const store = openSqliteStore({ file });
  const units: number[] = [];
  startCpu();
  const start = process.hrtime.bigint();
  let done = 0;
  for (;;) {
    const t = process.hrtime.bigint();
    const jobs = await store.claim('prod', { limit: CLAIM, now: NOW, ordered: true });
    if (jobs.length === 0) break;
    const results: JobResult[] = jobs.map((job) => ({
      jobId: job.id,
      outcome: 'delivered',
      exchange: {
        method: 'POST',
        url: 'https://track.customer.io/api/v2/batch',
        requestBody: `{"type":"person","identifiers":{"id":${JSON.stringify(job.personKey)}},"action":"event","name":"Order Completed","attributes":{"revenue":42,"currency":"USD"}}`,
        status: 200,
        responseBody: '{}',
        durationMs: 20,
      },
    }));
    await store.complete({ destination: 'prod', now: NOW, results });
    units.push(elapsed(t));
    done += jobs.length;
  }
  const total = elapsed(start);
  await store.close();
  return phase(done, total, units);
}

function report(name: string, floor: Phase, ours: Phase, unit: string, budgetMs: number): void {
  const ratio = ours.perSecond / floor.perSecond;
  const p50 = percentile(ours.unitMs, 50);
  const p99 = percentile(ours.unitMs, 99);
  const row = (label: string, p: Phase) =>
    `| ${label.padEnd(24)} | ${Math.round(p.perSecond).toLocaleString('en-US').padStart(10)} | ${percentile(p.unitMs, 50).toFixed(2).padStart(7)} | ${percentile(p.unitMs, 99).toFixed(2).padStart(7)} | ${p.cpuMsPerUnit.toFixed(2).padStart(9)} |`;
  console.log(`\n${name} (${unit})`);
  console.log('| path                     |   events/s | p50 ms  | p99 ms  | CPU ms/op |');
  console.log('|--------------------------|------------|---------|---------|-----------|');
  console.log(row('floor: plain SQLite', floor));
  console.log(row('cio-relay SQLite store', ours));
  console.log(
    `store / floor: ${ratio.toFixed(2)}   ${unit} p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, CPU ${ours.cpuMsPerUnit.toFixed(2)} ms (budget ≲ ${budgetMs} ms) ${p50 <= budgetMs ? 'ok' : 'OVER BUDGET'}`,
  );
}

async function main(): Promise<void> {
  const events = newEvents();
  const bytes = events.reduce((n, e) => n + e.body.length, 0);
  console.log(
    `bench:store: ${COUNT.toLocaleString('en-US')} events (${Math.round(bytes / COUNT)} bytes each on average), one destination, files in ${tmpdir()}; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'cio-relay-bench-store-'));
  try {
    const floorFile = join(dir, 'floor.db');
    const storeFile = join(dir, 'store.db');
    // Interleaved so that both see the same machine state.
    const floorIn = floorAppend(floorFile, events);
    const oursIn = await storeAppend(storeFile, events);
    const floorOut = floorDeliver(floorFile);
    const oursOut = await storeDeliver(storeFile);
    report('append', floorIn, oursIn, 'group of 1,000', 5);
    report('delivery', floorOut, oursOut, 'claim 100 + complete 100', 3);
    const rss = process.memoryUsage().rss / 2 ** 20;
    console.log(`\nRSS at the end: ${rss.toFixed(0)} MB`);
    const summary = (p: Phase) => ({
      perSecond: p.perSecond,
      unitP50Ms: percentile(p.unitMs, 50),
      unitP99Ms: percentile(p.unitMs, 99),
    });
    writeJsonResults('store', {
      events: COUNT,
      append: { floor: summary(floorIn), store: summary(oursIn) },
      delivery: { floor: summary(floorOut), store: summary(oursOut) },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
