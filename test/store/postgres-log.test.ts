/**
 * The PostgreSQL delivery log keeps one row per result call (log-layout.ts): what the conformance
 * suite cannot see from outside. An erased person leaves no trace in a row shared with others, a
 * call larger than a row goes in several, two erasures sharing a row both hold, and entries logged
 * before schema 7 read the same after migrating.
 */
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/index.js';
import { LOG_STRIDE } from '../../src/store/postgres/log-layout.js';
import type { JobResult } from '../../src/store/types.js';
import { event } from './conformance.js';
import { BACK_TO_V6 } from './pg-back-to-v6.js';
import { closedAfterEach, queryInSchema, useTestDatabase } from './pg-database.js';

const database = useTestDatabase();
const T0 = 1_700_000_000_000;
const WINDOW = { dedupeWindowMs: 86_400_000 };

let schemas = 0;
const opened = closedAfterEach<PostgresStore>();

async function open(schema = `log_${++schemas}`): Promise<{ store: PostgresStore; schema: string }> {
  const store = await openPostgresStore({ url: database.url, schema });
  opened.push(store);
  return { store, schema };
}

function sql<T extends pg.QueryResultRow>(schema: string, text: string): Promise<T[]> {
  return queryInSchema<T>(database.url, schema, text);
}

const exchange = (messageId: string, status = 200) => ({
  method: 'POST',
  url: 'http://127.0.0.1:1/api/v2/batch',
  requestBody: `{"op":"${messageId}"}`,
  status,
  responseBody: status === 200 ? '{}' : '{"errors":["bad"]}',
  durationMs: 12.5,
});

/** Claim everything queued for prod and record one result per job, made by `result`. */
async function deliver(store: PostgresStore, result: (jobId: number, messageId: string) => JobResult) {
  const jobs = await store.claim('prod', { limit: 5000, now: T0, ordered: false });
  await store.complete({ destination: 'prod', now: T0, results: jobs.map((j) => result(j.id, j.messageId)) });
  return jobs;
}

const delivered = (jobId: number, messageId: string): JobResult => ({
  jobId,
  outcome: 'delivered',
  exchange: exchange(messageId),
});

describe('PostgreSQL delivery log rows', () => {
  it('writes a call as one row and erases a person from it without a trace, keeping the others', async () => {
    const { store, schema } = await open();
    await store.append(
      [
        event('ann', { messageId: 'a1' }),
        event('bob', { messageId: 'b1' }),
        event('ann', { messageId: 'a2' }),
      ],
      WINDOW,
    );
    await deliver(store, (jobId, messageId) =>
      messageId === 'a2'
        ? {
            jobId,
            outcome: 'dead',
            error: { code: 'http_400', message: 'bad', status: 400 },
            exchange: exchange(messageId, 400),
          }
        : delivered(jobId, messageId),
    );
    expect(await sql(schema, 'SELECT n, cardinality(jobs) AS size FROM log')).toEqual([{ n: 3, size: 3 }]);
    const before = await store.searchLog({});
    expect(before.map((e) => e.id)).toEqual([before[2]!.id + 2, before[2]!.id + 1, before[2]!.id]);
    expect(before[0]).toMatchObject({
      messageId: 'a2',
      outcome: 'dead',
      error: { code: 'http_400', status: 400 },
      exchange: { status: 400, requestBody: '{"op":"a2"}', durationMs: 12.5 },
    });

    expect((await store.forgetPerson('ann')).logEntries).toBe(2);
    const [row] = await sql<Record<string, unknown>>(schema, 'SELECT * FROM log');
    const text = JSON.stringify(row);
    for (const trace of ['ann', 'a1', 'a2', '{\\"op\\":\\"a1\\"}']) expect(text).not.toContain(trace);
    expect(row).toMatchObject({ n: 1, message_ids: [null, 'b1', null], persons: [null, 'bob', null] });
    const [left] = await sql<{ keys: string[] }>(schema, 'SELECT keys FROM log');
    expect(left!.keys).toHaveLength(2);
    // bob's entry reads as before, id and exchange included.
    expect(await store.searchLog({})).toEqual([before[1]]);
    expect(await store.searchLog({ personKey: 'bob' })).toEqual([before[1]]);
    expect(await store.searchLog({ messageId: 'a1' })).toEqual([]);
    expect(await store.searchLog({ outcome: 'dead' })).toEqual([]);

    // The last entry of a row erased: the row goes.
    expect((await store.forgetPerson('bob')).logEntries).toBe(1);
    expect(await sql(schema, 'SELECT id FROM log')).toEqual([]);
  });

  it('writes a call larger than a row as several rows, every entry found', async () => {
    const { store, schema } = await open();
    const count = LOG_STRIDE + 5;
    await store.append(
      Array.from({ length: count }, (_, i) => event(`p${i % 50}`, { messageId: `m${i}` })),
      WINDOW,
    );
    await deliver(store, delivered);
    expect(await sql(schema, 'SELECT n FROM log ORDER BY id')).toEqual([{ n: LOG_STRIDE }, { n: 5 }]);
    const entries = await store.searchLog({ limit: 1000 });
    entries.push(...(await store.searchLog({ limit: 1000, beforeId: entries[entries.length - 1]!.id })));
    expect(entries).toHaveLength(count);
    expect(new Set(entries.map((e) => e.id)).size).toBe(count);
    expect((await store.searchLog({ messageId: `m${count - 1}` }))[0]).toMatchObject({
      personKey: `p${(count - 1) % 50}`,
    });
    expect(await store.stats('prod', T0)).toMatchObject({ delivered: count, inFlight: 0 });
  });

  it('erases two people sharing rows at once, both for good', async () => {
    const { store, schema } = await open();
    await store.append(
      Array.from({ length: 200 }, (_, i) => event(['ann', 'bob', 'cy'][i % 3]!, { messageId: `m${i}` })),
      WINDOW,
    );
    await deliver(store, delivered);
    const [ann, bob] = await Promise.all([store.forgetPerson('ann'), store.forgetPerson('bob')]);
    expect([ann.logEntries, bob.logEntries]).toEqual([67, 67]);
    const [{ persons }] = (await sql<{ persons: string[] }>(
      schema,
      'SELECT array_agg(DISTINCT p) AS persons FROM log, unnest(persons) AS p WHERE p IS NOT NULL',
    )) as [{ persons: string[] }];
    expect(persons).toEqual(['cy']);
  });

  it('reads entries logged before schema 7 as they were, after migrating', async () => {
    const { store, schema } = await open();
    await store.append(
      [
        event('ann', { messageId: 'a1' }),
        event('bob', { messageId: 'b1' }),
        event('cy', { messageId: 'c1' }),
      ],
      WINDOW,
    );
    await deliver(store, (jobId, messageId) =>
      messageId === 'b1'
        ? { jobId, outcome: 'filtered', reason: 'no subscription' }
        : messageId === 'c1'
          ? { jobId, outcome: 'retry', dueAt: T0 + 1000, error: { code: 'timeout', message: 'slow' } }
          : delivered(jobId, messageId),
    );
    const before = await store.searchLog({});
    await store.close();
    await sql(schema, `UPDATE cio_schema_version SET version = 6; ${BACK_TO_V6}`);

    const { store: again } = await open(schema);
    expect(await again.searchLog({})).toEqual(before);
    expect(await again.searchLog({ personKey: 'cy', outcome: 'retry' })).toEqual([before[0]]);
    // New rows take ids above the migrated entries'.
    const [c1] = await again.claim('prod', { limit: 1, now: T0 + 1000, ordered: true });
    await again.complete({ destination: 'prod', now: T0 + 1000, results: [delivered(c1!.id, 'c1')] });
    const [newest] = await again.searchLog({ limit: 1 });
    expect(newest).toMatchObject({ messageId: 'c1', outcome: 'delivered' });
    expect(newest!.id).toBeGreaterThan(before[0]!.id);
  });
});
