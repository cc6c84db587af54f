/**
 * The PostgreSQL store's queue counters (src/store/postgres/counters.ts): `stats` reads maintained
 * counters instead of counting the queue, so after any mix of work by several relays they must
 * equal a count of the rows themselves: through retries (due and not), dead letters, releases,
 * replay and drop, forgetPerson, a lost claim answer swept back, a crashed relay reaped, a relay
 * closing, a pause; and a queue left by a schema without counters is counted when migrating.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { claimJobs } from '../../src/store/postgres/claim.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/index.js';
import type { JobResult, QueueStats } from '../../src/store/types.js';
import { event } from './conformance.js';
import { BACK_TO_V6 } from './pg-back-to-v6.js';
import { closedAfterEach, queryInSchema, useTestDatabase } from './pg-database.js';

const database = useTestDatabase();
const T0 = 1_700_000_000_000;
const WINDOW = { dedupeWindowMs: 86_400_000 };
const DESTINATIONS = ['prod', 'staging'];

let schemas = 0;
const opened = closedAfterEach<PostgresStore>();

async function relays(count: number, schema = `counters_${++schemas}`) {
  const stores = await Promise.all(
    Array.from({ length: count }, () => openPostgresStore({ url: database.url, schema })),
  );
  opened.push(...stores);
  return { stores, schema };
}

function sql<T extends pg.QueryResultRow>(schema: string, text: string, params: unknown[] = []) {
  return queryInSchema<T>(database.url, schema, text, params);
}

/** What `stats` said before counters: the queue and the dead letters counted row by row. */
const COUNTED = `
  SELECT count(j.id) FILTER (WHERE j.state = 0 AND j.due_at <= $2)::int AS "queued",
    count(j.id) FILTER (WHERE j.state = 1)::int AS "inFlight",
    count(j.id) FILTER (WHERE j.state = 0 AND j.due_at > $2)::int AS "retrying",
    min(j.due_at) FILTER (WHERE j.state = 0 AND j.due_at > $2)::float8 AS "nextDueAt",
    (SELECT count(*)::int FROM dead_letters l WHERE l.dest = d.id) AS "dead"
  FROM destinations d LEFT JOIN jobs j ON j.dest = d.id WHERE d.name = $1 GROUP BY d.id`;

/** The log's delivered and filtered entries (nothing here prunes or forgets them before reading). */
const LOGGED = `
  SELECT count(*) FILTER (WHERE o = 0)::int AS "delivered", count(*) FILTER (WHERE o = 1)::int AS "filtered"
  FROM log l JOIN destinations d ON d.id = l.dest CROSS JOIN unnest(l.outcomes) AS o WHERE d.name = $1`;

async function expectCounted(store: PostgresStore, schema: string, now: number): Promise<QueueStats[]> {
  const all: QueueStats[] = [];
  for (const name of DESTINATIONS) {
    const [counted] = await sql<Omit<QueueStats, 'delivered' | 'filtered'>>(schema, COUNTED, [name, now]);
    const stats = await store.stats(name, now);
    expect({ name, ...stats }).toMatchObject({ name, ...counted });
    all.push(stats);
  }
  // Retry due times are kept for exactly the jobs waiting with one: none left behind, none missing
  // (named with their job's state, should one ever be).
  const [due] = await sql<{ strays: unknown[] | null; missing: unknown[] | null }>(
    schema,
    `SELECT (SELECT json_agg(json_build_array(r.job, j.state, j.due_at, j.owner)) FROM retry_due r
         LEFT JOIN jobs j ON j.id = r.job WHERE j.id IS NULL OR NOT (j.state = 0 AND j.due_at > 0)) AS strays,
       (SELECT json_agg(j.id) FROM jobs j WHERE j.state = 0 AND j.due_at > 0
         AND NOT EXISTS (SELECT 1 FROM retry_due r WHERE r.job = j.id)) AS missing`,
  );
  expect(due).toEqual({ strays: null, missing: null });
  return all;
}

/** A small deterministic generator, so that a failure can be replayed. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

function resultFor(jobId: number, r: number, now: number): JobResult {
  if (r < 0.5) return { jobId, outcome: 'delivered' };
  if (r < 0.6) return { jobId, outcome: 'filtered', reason: 'no subscription' };
  // Retries both already due and not due for a while.
  if (r < 0.75)
    return {
      jobId,
      outcome: 'retry',
      dueAt: now + (r < 0.68 ? -1 : 60_000),
      error: { code: 'http_503', message: 'busy' },
    };
  if (r < 0.9) return { jobId, outcome: 'dead', error: { code: 'http_400', message: 'bad' } };
  return { jobId, outcome: 'release' };
}

describe('PostgreSQL store counters', () => {
  it('equal a count of the queue after mixed work by three relays, a sweep, a reap and a close', async () => {
    const { stores, schema } = await relays(3);
    const random = seeded(6);
    const people = ['ann', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus', 'hal'];
    let message = 0;
    let now = T0;
    const round = async () => {
      await Promise.all(
        stores.map((store) =>
          store.append(
            Array.from({ length: 40 }, () =>
              event(people[Math.floor(random() * people.length)]!, {
                messageId: `m${message++}`,
                destinations: random() < 0.3 ? ['prod', 'staging'] : ['prod'],
              }),
            ),
            WINDOW,
          ),
        ),
      );
      // Every relay claims and completes at once, on both destinations, ordered or not.
      await Promise.all(
        stores.flatMap((store) =>
          DESTINATIONS.map(async (destination) => {
            const jobs = await store.claim(destination, { limit: 25, now, ordered: destination === 'prod' });
            await store.complete({
              destination,
              now,
              results: jobs.map((job) => resultFor(job.id, random(), now)),
            });
          }),
        ),
      );
      now += 1000;
    };

    for (let i = 0; i < 4; i++) await round();
    await expectCounted(stores[0]!, schema, now);

    // Dead letters replayed (prod) and dropped (staging).
    expect(await stores[1]!.replayDeadLetters({ destination: 'prod' }, now)).toBeGreaterThan(0);
    expect(await stores[2]!.dropDeadLetters({ destination: 'staging' })).toBeGreaterThan(0);
    await stores[0]!.setPaused('prod', { code: 'http_401', message: 'key', at: now });
    await expectCounted(stores[0]!, schema, now);

    // A claim whose answer a relay never saw (as after a lost connection): its sweep queues it again.
    // (Late enough that every person is free of a retry not due yet.)
    const [{ owner }] = (await sql<{ owner: number }>(
      schema,
      'SELECT id AS owner FROM workers ORDER BY id LIMIT 1',
    )) as [{ owner: number }];
    const [{ dest }] = (await sql<{ dest: number }>(
      schema,
      "SELECT id AS dest FROM destinations WHERE name = 'prod'",
    )) as [{ dest: number }];
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(`SET search_path = ${pg.escapeIdentifier(schema)}`);
      const lost = await claimJobs(
        client,
        dest,
        'prod',
        { limit: 5, now: now + 120_000, ordered: true },
        owner,
      );
      expect(lost.length).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
    const [swept] = await expectCounted(stores[0]!, schema, now);
    expect(swept!.inFlight).toBeGreaterThan(0);
    for (const store of stores) await store.renewLease();
    const [afterSweep] = await expectCounted(stores[0]!, schema, now);
    expect(afterSweep!.inFlight).toBe(0);

    // A relay crashes holding claims: another reaps them.
    await round();
    const held = await stores[1]!.claim('prod', { limit: 10, now: now + 120_000, ordered: true });
    expect(held.length).toBeGreaterThan(0);
    await sql(
      schema,
      "UPDATE workers SET lease_until = now() - interval '1 second' WHERE id = (SELECT max(id) FROM workers WHERE id IN (SELECT owner FROM jobs WHERE state = 1))",
    );
    expect(await stores[0]!.recover()).toBeGreaterThan(0);
    await expectCounted(stores[0]!, schema, now);

    // One forgets a person while the others work; one closes holding claims.
    await Promise.all([round(), stores[2]!.forgetPerson('ann'), round()]);
    await stores[2]!.claim('staging', { limit: 10, now, ordered: false });
    await stores[2]!.close();
    const [prod, staging] = await expectCounted(stores[0]!, schema, now);
    // Forgetting kept the totals; nothing here removed a log entry except ann's.
    const logged = await sql<{ delivered: number; filtered: number }>(schema, LOGGED, ['staging']);
    expect(staging!.delivered).toBeGreaterThanOrEqual(logged[0]!.delivered);
    expect(prod!.delivered + prod!.queued + prod!.retrying).toBeGreaterThan(0);

    // Later, the not-yet-due retries are due: counted as queued.
    await expectCounted(stores[0]!, schema, now + 120_000);
  });

  it('counts delivered and filtered results exactly, from every relay', async () => {
    const { stores, schema } = await relays(2);
    await Promise.all(
      stores.map((store, s) =>
        store.append(
          Array.from({ length: 60 }, (_, i) => event(`p${i % 7}`, { messageId: `${s}-${i}` })),
          WINDOW,
        ),
      ),
    );
    const random = seeded(11);
    for (let i = 0; i < 6; i++) {
      await Promise.all(
        stores.map(async (store) => {
          const jobs = await store.claim('prod', { limit: 20, now: T0, ordered: true });
          await store.complete({
            destination: 'prod',
            now: T0,
            results: jobs.map((job) => resultFor(job.id, random(), T0)),
          });
        }),
      );
    }
    const [logged] = await sql<{ delivered: number; filtered: number }>(schema, LOGGED, ['prod']);
    expect(await stores[0]!.stats('prod', T0)).toMatchObject(logged!);
    expect(logged!.delivered).toBeGreaterThan(0);
  });

  it('counts the queue a schema without counters left, when migrating', async () => {
    const { stores, schema } = await relays(1);
    const [store] = stores as [PostgresStore];
    await store.append(
      Array.from({ length: 30 }, (_, i) => event(`p${i % 9}`, { messageId: `m${i}` })),
      WINDOW,
    );
    const jobs = await store.claim('prod', { limit: 12, now: T0, ordered: true });
    const random = seeded(3);
    await store.complete({
      destination: 'prod',
      now: T0,
      results: jobs.slice(0, 9).map((job) => resultFor(job.id, random(), T0)),
    });
    const before = await store.stats('prod', T0);
    expect(before).toMatchObject({ inFlight: 3 });
    // Back to version 2: no counters, no retry due times.
    await sql(
      schema,
      `ALTER TABLE totals DROP COLUMN waiting, DROP COLUMN in_flight, DROP COLUMN dead;
       DROP TABLE retry_due; UPDATE cio_schema_version SET version = 2; ${BACK_TO_V6}`,
    );
    const { stores: again } = await relays(1, schema);
    expect(await again[0]!.stats('prod', T0)).toEqual(before);
    await expectCounted(again[0]!, schema, T0);
  });
});
