/**
 * The jobs table rotates: ranges of job ids are partitions, made ahead of the ids (or on demand by
 * an append that outran them) and dropped whole once drained, never while a job is left in them.
 */
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/index.js';
import { logRangeSize } from '../../src/store/postgres/log-layout.js';
import { event } from './conformance.js';
import { closedAfterEach, queryInSchema, useTestDatabase } from './pg-database.js';

const database = useTestDatabase();
const T0 = 1_700_000_000_000;
const WINDOW = { dedupeWindowMs: 86_400_000 };
const SIZE = 100;
const KEEP = { now: T0, dedupeWindowMs: 86_400_000, logMaxEntries: 10_000, logMaxAgeMs: 86_400_000 };

let schemas = 0;
const opened = closedAfterEach<PostgresStore>();

async function open(schema: string): Promise<PostgresStore> {
  const store = await openPostgresStore({ url: database.url, schema, partitionSize: SIZE });
  opened.push(store);
  return store;
}

function query<T extends pg.QueryResultRow>(schema: string, sql: string): Promise<T[]> {
  return queryInSchema<T>(database.url, schema, sql);
}

type Table = 'jobs' | 'events' | 'log';
const SEQUENCES: Record<Table, string> = { jobs: 'job_ids', events: 'event_ids', log: 'log_ids' };
const starts = (rows: { name: string }[], table: Table) =>
  rows.map((row) => Number(row.name.slice(table.length + 1))).sort((a, b) => a - b);

/** The partitions of a table, by the first id of their range. */
async function partitions(schema: string, table: Table = 'jobs'): Promise<number[]> {
  const rows = await query<{ name: string }>(
    schema,
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = '${table}'::regclass`,
  );
  return starts(rows, table);
}

/** The partitions holding rows. */
async function occupied(schema: string, table: Table = 'jobs'): Promise<number[]> {
  const rows = await query<{ name: string }>(
    schema,
    `SELECT DISTINCT c.relname AS name FROM ${table} t JOIN pg_class c ON c.oid = t.tableoid`,
  );
  return starts(rows, table);
}

/** After a prune: every range left holds rows or lies within a range of the last id taken. */
async function expectOnlyNeededRanges(schema: string, table: Table = 'jobs'): Promise<void> {
  const [{ last }] = (await query<{ last: number }>(
    schema,
    `SELECT last_value::int AS last FROM ${SEQUENCES[table]}`,
  )) as [{ last: number }];
  const busy = await occupied(schema, table);
  const size = table === 'log' ? logRangeSize(SIZE) : SIZE;
  for (const from of await partitions(schema, table)) {
    if (from + size > last - size) continue;
    expect(busy).toContain(from);
  }
}

async function deliverAll(store: Store, keep: (messageId: string) => boolean = () => false) {
  for (;;) {
    const jobs = await store.claim('prod', { limit: 100, now: T0, ordered: true });
    if (jobs.length === 0) return;
    await store.complete({
      destination: 'prod',
      now: T0,
      results: jobs.map((j) =>
        keep(j.messageId)
          ? {
              jobId: j.id,
              outcome: 'retry',
              dueAt: T0 + 60_000,
              error: { code: 'http_500', message: 'later' },
            }
          : { jobId: j.id, outcome: 'delivered' },
      ),
    });
  }
}

describe('PostgreSQL jobs table rotation', () => {
  it('makes ranges on demand, drops drained ones, keeps any range with a job left', async () => {
    const schema = `rotation_${++schemas}`;
    const store = await open(schema);
    expect(await partitions(schema)).toEqual([0, 100, 200]);
    // 350 jobs: beyond the ranges made at open, so the append makes more itself.
    const events = Array.from({ length: 350 }, (_, i) =>
      event(i === 150 ? 'solo' : `p${i % 7}`, { messageId: `m${i}` }),
    );
    await store.append(events, WINDOW);
    const before = await partitions(schema);
    expect(before.length).toBeGreaterThanOrEqual(4);

    // m150 (a person of its own) waits for a retry; everything else is delivered.
    await deliverAll(store, (messageId) => messageId === 'm150');
    const [kept] = await occupied(schema);
    await store.prune(KEEP);
    const left = await partitions(schema);
    expect(left.length).toBeLessThan(before.length);
    expect(left).toContain(kept);
    await expectOnlyNeededRanges(schema);
    expect(await store.stats('prod', T0)).toMatchObject({ queued: 0, retrying: 1, delivered: 349 });

    // Once m150 is delivered its range goes too; claims and appends go on across ranges.
    await store.append(
      Array.from({ length: 120 }, (_, i) => event('late', { messageId: `n${i}` })),
      WINDOW,
    );
    const again = await store.claim('prod', { limit: 1000, now: T0 + 60_000, ordered: true });
    expect(again[0]!.messageId).toBe('m150');
    expect(again.slice(1).map((j) => j.messageId)).toEqual(Array.from({ length: 120 }, (_, i) => `n${i}`));
    await store.complete({
      destination: 'prod',
      now: T0,
      results: again.map((j) => ({ jobId: j.id, outcome: 'delivered' as const })),
    });
    await store.prune(KEEP);
    expect(await partitions(schema)).not.toContain(kept);
    await expectOnlyNeededRanges(schema);
  });

  it('rotates events and the delivery log the same way once they are pruned', async () => {
    const schema = `rotation_${++schemas}`;
    const store = await open(schema);
    await store.append(
      Array.from({ length: 450 }, (_, i) => event(`p${i % 9}`, { messageId: `m${i}` })),
      WINDOW,
    );
    await deliverAll(store);
    const held = { events: await occupied(schema, 'events'), log: await occupied(schema, 'log') };
    await store.prune({ ...KEEP, logMaxEntries: 0 });
    for (const table of ['events', 'log'] as const) {
      const left = await partitions(schema, table);
      expect(held[table].filter((from) => !left.includes(from)).length).toBeGreaterThan(0);
      await expectOnlyNeededRanges(schema, table);
    }
    // Still a working store.
    await store.append([event('ann', { messageId: 'after' })], WINDOW);
    await deliverAll(store);
    expect((await store.searchLog({ messageId: 'after' }))[0]).toMatchObject({ outcome: 'delivered' });
  });

  it('keeps the events a job or a log entry refers to, and deletes the rest', async () => {
    const schema = `rotation_${++schemas}`;
    const store = await open(schema);
    await store.append(
      Array.from({ length: 450 }, (_, i) => event(i === 5 ? 'solo' : `p${i % 9}`, { messageId: `m${i}` })),
      WINDOW,
    );
    // m5 (a person of its own) waits for a retry; everything else is delivered and logged.
    await deliverAll(store, (messageId) => messageId === 'm5');
    await store.prune(KEEP);
    expect((await store.searchLog({ messageId: 'm300' }))[0]!.event).toContain('"m300"');

    await store.prune({ ...KEEP, logMaxEntries: 0 });
    const [m5] = await store.claim('prod', { limit: 10, now: T0 + 60_000, ordered: true });
    expect(m5).toMatchObject({ messageId: 'm5', attempts: 1 });
    expect(m5!.body).toContain('"m5"');

    await store.complete({
      destination: 'prod',
      now: T0,
      results: [{ jobId: m5!.id, outcome: 'delivered' }],
    });
    await store.prune({ ...KEEP, logMaxEntries: 0 });
    expect(await query(schema, 'SELECT id FROM events')).toEqual([]);
    await expectOnlyNeededRanges(schema, 'events');
  });

  it('lets several relays maintain the ranges at once', async () => {
    const schema = `rotation_${++schemas}`;
    const stores = [await open(schema), await open(schema), await open(schema)];
    await stores[0]!.append(
      Array.from({ length: 450 }, (_, i) => event(`p${i % 5}`, { messageId: `m${i}` })),
      WINDOW,
    );
    await deliverAll(stores[1]!);
    await Promise.all(stores.map((store) => store.prune(KEEP)));
    await expectOnlyNeededRanges(schema);
    expect((await partitions(schema)).length).toBeLessThanOrEqual(5);
  });
});
