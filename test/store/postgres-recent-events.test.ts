/**
 * A PostgreSQL relay keeps the events it appended in memory until it claims them
 * (recent-events.ts): its claims then do not read them back from the database. Whatever memory
 * dropped, and what another relay appended, is read: the jobs come back the same either way.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/index.js';
import { RecentEvents } from '../../src/store/postgres/recent-events.js';
import { event } from './conformance.js';
import { closedAfterEach, useTestDatabase } from './pg-database.js';

const database = useTestDatabase();
const T0 = 1_700_000_000_000;
const WINDOW = { dedupeWindowMs: 86_400_000 };
const opened = closedAfterEach<PostgresStore>();
let schemas = 0;

async function open(schema: string, recentEventBytes?: number): Promise<PostgresStore> {
  const store = await openPostgresStore({ url: database.url, schema, recentEventBytes });
  opened.push(store);
  return store;
}

const events = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    event(`p${i % 7}`, { messageId: `m${i}`, body: JSON.stringify({ messageId: `m${i}`, n: i }) }),
  );

/** What a claim gives of each job, by messageId, and the jobs' order. */
async function claimed(store: PostgresStore, ordered = true) {
  const jobs = await store.claim('prod', { limit: 1000, now: T0, ordered });
  return jobs.map((j) => [j.messageId, j.personKey, j.source, j.receivedAt, j.body]);
}

describe('RecentEvents', () => {
  const one = (id: number, personKey = 'ann') =>
    [id, { source: 'web', messageId: `m${id}`, personKey, receivedAt: T0, body: 'x'.repeat(100) }] as const;

  it('gives an event once per job, then forgets it', () => {
    const recent = new RecentEvents();
    recent.add(...one(1), 2);
    expect(recent.take(1)?.messageId).toBe('m1');
    expect(recent.take(1)?.messageId).toBe('m1');
    expect(recent.take(1)).toBeUndefined();
  });

  it('drops the oldest events beyond its size, and a person’s events when they are erased', () => {
    // Room for three of these events (about 400 bytes each), not four.
    const recent = new RecentEvents(1500);
    for (let id = 1; id <= 5; id++) recent.add(...one(id, id % 2 === 0 ? 'bob' : 'ann'), 1);
    expect(recent.size).toBe(3);
    expect(recent.take(2)).toBeUndefined();
    recent.forget('ann');
    expect(recent.size).toBe(1);
    expect(recent.take(4)?.personKey).toBe('bob');
    const none = new RecentEvents(0);
    none.add(...one(9), 1);
    expect(none.size).toBe(0);
  });
});

describe('PostgreSQL claims and the events a relay appended', () => {
  it.each([
    ['ordered', true],
    ['unordered', false],
  ])('gives the same jobs from memory, from the database, or partly from each (%s)', async (_, ordered) => {
    const appended = events(60);
    const results: unknown[][] = [];
    for (const bytes of [undefined, 5_000, 0]) {
      const store = await open(`recent_${++schemas}`, bytes);
      await store.append(appended, WINDOW);
      results.push(await claimed(store, ordered));
    }
    expect(results[0]).toHaveLength(60);
    expect(results[0]!.map((job) => (job as string[])[4])).toEqual(appended.map((e) => e.body));
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  it.each([
    ['cio_claim(1, $1, $2, 10, 100, 16, 0)', true],
    ['cio_claim_unordered(1, $1, $2, 10, 0)', false],
  ])(
    'is not sent the events of its own jobs by the database, and another relay is: %s',
    async (call, ordered) => {
      const schema = `recent_${++schemas}`;
      const a = await open(schema);
      await a.append(events(3), WINDOW);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await client.query(`SET search_path = ${pg.escapeIdentifier(schema)}`);
        const { rows: owners } = await client.query<{ id: number }>('SELECT id FROM workers');
        const sent = async (owner: number) => {
          await client.query('BEGIN');
          const { rows } = await client.query<{ body: string | null }>(`SELECT body FROM ${call}`, [
            owner,
            T0,
          ]);
          await client.query('ROLLBACK');
          return rows.map((row) => row.body !== null);
        };
        expect(await sent(owners[0]!.id)).toEqual([false, false, false]);
        const { rows: other } = await client.query<{ id: number }>(
          `INSERT INTO workers (lease_until, host, pid) VALUES (now() + interval '1 minute', 'b', 0) RETURNING id`,
        );
        expect(await sent(other[0]!.id)).toEqual([true, true, true]);
      } finally {
        await client.end();
      }
      // And the relay itself claims them whole.
      expect((await claimed(a, ordered)).map((job) => job[0])).toEqual(['m0', 'm1', 'm2']);
    },
  );
});
