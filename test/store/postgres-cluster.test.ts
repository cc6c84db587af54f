/**
 * What only a shared store has to get right: several relays (stores) on one schema. Claims never
 * overlap and keep each person in order across relays; a relay's claims survive while its lease
 * lives and are taken over once it expires; migrations run once when relays start together.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Job, Store } from '../../src/store/index.js';
import { claimJobs } from '../../src/store/postgres/claim.js';
import { completeJobs } from '../../src/store/postgres/complete.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/index.js';
import { SCHEMA_VERSION } from '../../src/store/postgres/schema.js';
import { WALK_ON_PAUSE_MS } from '../../src/store/walk-on.js';
import { waitFor } from '../relay/stack.js';
import { event } from './conformance.js';
import { BACK_TO_V6 } from './pg-back-to-v6.js';
import { closedAfterEach, queryInSchema, useTestDatabase } from './pg-database.js';

const database = useTestDatabase();
const T0 = 1_700_000_000_000;
const WINDOW = { dedupeWindowMs: 86_400_000 };

let schemas = 0;
const opened = closedAfterEach<PostgresStore>();

/** `count` stores sharing one fresh schema, opened at once. */
async function relays(count: number, leaseMs?: number): Promise<{ stores: PostgresStore[]; schema: string }> {
  const schema = `cluster_${++schemas}`;
  const stores = await Promise.all(
    Array.from({ length: count }, () =>
      openPostgresStore({ url: database.url, schema, ...(leaseMs !== undefined && { leaseMs }) }),
    ),
  );
  opened.push(...stores);
  return { stores, schema };
}

function sql<T extends pg.QueryResultRow>(schema: string, text: string, params: unknown[] = []) {
  return queryInSchema<T>(database.url, schema, text, params);
}

/** The relays holding claims stop renewing (killed): their deadline passes. */
const EXPIRE_HOLDERS = `UPDATE workers SET lease_until = now() - interval '1 second'
  WHERE id IN (SELECT owner FROM jobs WHERE state = 1)`;

/** The same for relays holding a forgotten person's job. */
const EXPIRE_FORGOTTEN_HOLDERS = `UPDATE workers SET lease_until = now() - interval '1 second'
  WHERE id IN (SELECT owner FROM jobs WHERE state = 2)`;

const claim = (store: Store, limit = 1000, now = T0) => store.claim('prod', { limit, now, ordered: true });
const ids = (jobs: Job[]) => jobs.map((j) => j.messageId);

describe('PostgreSQL store shared by several relays', () => {
  it('migrates once when relays start together', async () => {
    const { schema } = await relays(3);
    expect(await sql(schema, 'SELECT version FROM cio_schema_version')).toEqual([
      { version: SCHEMA_VERSION },
    ]);
  });

  it('migrates a schema of version 5 once when relays start together, keeping its queue', async () => {
    const { stores, schema } = await relays(1);
    await stores[0]!.append(
      [
        event('ann', { messageId: 'a1' }),
        event('ann', { messageId: 'a2' }),
        event('bob', { messageId: 'b1' }),
      ],
      WINDOW,
    );
    const [a1] = await claim(stores[0]!, 1);
    await stores[0]!.complete({
      destination: 'prod',
      now: T0,
      results: [{ jobId: a1!.id, outcome: 'delivered' }],
    });
    await stores[0]!.close();
    // Back to version 5, whose cio_claim stands in as one that fails: claims below prove it replaced.
    await sql(
      schema,
      `CREATE OR REPLACE FUNCTION cio_claim(p_dest integer, p_owner integer, p_now bigint, p_limit integer,
         p_scan integer, p_buckets integer)
       RETURNS TABLE (id bigint, event_id bigint, attempts integer, first_attempt_at bigint, source text,
         message_id text, person text, received_at bigint, body text)
       LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the claim of version 5'; END $$;
       UPDATE cio_schema_version SET version = 5; ${BACK_TO_V6}`,
    );
    const again = await Promise.all(
      Array.from({ length: 3 }, () => openPostgresStore({ url: database.url, schema })),
    );
    opened.push(...again);
    expect(await sql(schema, 'SELECT version FROM cio_schema_version')).toEqual([
      { version: SCHEMA_VERSION },
    ]);
    expect(ids(await claim(again[1]!))).toEqual(['a2', 'b1']);
    expect((await again[2]!.append([event('ann', { messageId: 'a1' })], WINDOW)).duplicates).toEqual([0]);
    expect(await again[0]!.searchLog({ messageId: 'a1' })).toMatchObject([{ outcome: 'delivered' }]);
  });

  it('refuses a schema written by a newer relay', async () => {
    const { stores, schema } = await relays(1);
    await stores[0]!.close();
    await sql(schema, 'UPDATE cio_schema_version SET version = version + 1');
    await expect(openPostgresStore({ url: database.url, schema })).rejects.toThrow(/newer than this relay/);
  });

  it('never gives one job to two relays claiming at once, and keeps every person in order', async () => {
    const { stores } = await relays(3);
    const events = Array.from({ length: 600 }, (_, i) => event(`p${i % 10}`, { messageId: `m${i}` }));
    await stores[0]!.append(events, WINDOW);
    const claimed = new Map<string, number>();
    /** Person → the batch holding their jobs; a person is never in two batches at once. */
    const holder = new Map<string, Job[]>();
    const overlaps: string[] = [];
    const lastClaimed = new Map<string, number>();
    const outOfOrder: string[] = [];
    // Each relay claims batches of its own size and completes them, all three at once, until the
    // queue is empty; the sizes differ so that one relay's walk reaches past another's batch.
    await Promise.all(
      stores.map(async (store, n) => {
        for (;;) {
          const jobs = await claim(store, [7, 13, 25][n]);
          if (jobs.length === 0 && (await store.stats('prod', T0)).queued === 0) return;
          for (const job of jobs) {
            claimed.set(job.messageId, (claimed.get(job.messageId) ?? 0) + 1);
            const other = holder.get(job.personKey);
            if (other !== undefined && other !== jobs) overlaps.push(job.messageId);
            holder.set(job.personKey, jobs);
            const i = Number(job.messageId.slice(1));
            if (i < (lastClaimed.get(job.personKey) ?? -1)) outOfOrder.push(job.messageId);
            lastClaimed.set(job.personKey, i);
          }
          // Forgotten before the result is recorded: the store may hand the person out again only after.
          for (const job of jobs) if (holder.get(job.personKey) === jobs) holder.delete(job.personKey);
          await store.complete({
            destination: 'prod',
            now: T0,
            results: jobs.map((j) => ({ jobId: j.id, outcome: 'delivered' })),
          });
        }
      }),
    );
    expect(claimed.size).toBe(600);
    expect([...claimed.values()].every((n) => n === 1)).toBe(true);
    expect(overlaps).toEqual([]);
    expect(outOfOrder).toEqual([]);
  });

  it('holds a person back on every relay while another relay has their earlier job', async () => {
    const { stores } = await relays(2);
    const [a, b] = stores as [PostgresStore, PostgresStore];
    await a.append([event('ann', { messageId: 'a1' }), event('ann', { messageId: 'a2' })], WINDOW);
    const [a1] = await claim(a, 1);
    expect(a1?.messageId).toBe('a1');
    // While a has ann's a1, no relay takes a2; others flow.
    expect(ids(await claim(b))).toEqual([]);
    await b.append([event('bob', { messageId: 'b1' })], WINDOW);
    expect(ids(await claim(b))).toEqual(['b1']);
    await a.complete({ destination: 'prod', now: T0, results: [{ jobId: a1!.id, outcome: 'delivered' }] });
    expect(ids(await claim(b))).toEqual(['a2']);
  });

  it('makes a relay wait while another relay’s claim is still being decided, then holds the person back', async () => {
    const { stores, schema } = await relays(1);
    const [b] = stores as [PostgresStore];
    await b.append(
      [
        event('ann', { messageId: 'a1' }),
        event('ann', { messageId: 'a2' }),
        event('bob', { messageId: 'b1' }),
      ],
      WINDOW,
    );
    // Relay "x" is in the middle of its claim: a1 chosen, transaction not committed yet.
    const x = new pg.Client({ connectionString: database.url });
    await x.connect();
    try {
      await x.query(`SET search_path = ${pg.escapeIdentifier(schema)}`);
      const [{ id: owner }] = (
        await x.query<{ id: number }>(
          `INSERT INTO workers (lease_until, host, pid) VALUES (now() + interval '1 minute', 'x', 0) RETURNING id`,
        )
      ).rows as [{ id: number }];
      const [{ id: dest }] = (
        await x.query<{ id: number }>(`SELECT id FROM destinations WHERE name = 'prod'`)
      ).rows as [{ id: number }];
      await x.query('BEGIN');
      const held = await claimJobs(x, dest, 'prod', { limit: 1, now: T0, ordered: true }, owner);
      expect(ids(held)).toEqual(['a1']);
      const waiting = claim(b);
      let answered = false;
      void waiting.finally(() => {
        answered = true;
      });
      await waitFor('the other claim to wait for a lock', async () => {
        if (answered) return true; // it did not wait: the expectation below says what it got
        const rows = await sql(
          schema,
          `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
        );
        return rows.length > 0;
      });
      await x.query('COMMIT');
      expect(ids(await waiting)).toEqual(['b1']);
    } finally {
      await x.end();
    }
  });

  it('lets two relays claim side by side: a claim in progress leaves the other relay buckets to claim', async () => {
    const { stores, schema } = await relays(1);
    const [b] = stores as [PostgresStore];
    const people = Array.from({ length: 64 }, (_, i) => `p${i}`);
    await b.append(
      people.flatMap((p) => [event(p, { messageId: `${p}-1` }), event(p, { messageId: `${p}-2` })]),
      WINDOW,
    );
    // Relay "x" is in the middle of an ordered claim, as one of two relays: not committed yet.
    const x = new pg.Client({ connectionString: database.url });
    await x.connect();
    try {
      await x.query(`SET search_path = ${pg.escapeIdentifier(schema)}`);
      const [{ id: owner }] = (
        await x.query<{ id: number }>(
          `INSERT INTO workers (lease_until, host, pid) VALUES (now() + interval '1 minute', 'x', 0) RETURNING id`,
        )
      ).rows as [{ id: number }];
      const [{ id: dest }] = (
        await x.query<{ id: number }>(`SELECT id FROM destinations WHERE name = 'prod'`)
      ).rows as [{ id: number }];
      await b.renewLease(); // b now knows of two relays
      await x.query('BEGIN');
      const first = await claimJobs(x, dest, 'prod', { limit: 4, now: T0, ordered: true }, owner, 2);
      // b answers while x's claim is open (were every bucket x's, it would wait for x's commit).
      const second = await Promise.race([
        claim(b),
        new Promise<undefined>((resolve) => {
          setTimeout(() => resolve(undefined), 10_000);
        }),
      ]);
      await x.query('COMMIT');
      expect(second).toBeDefined();
      // x's half of the buckets filled its claim; b took the other half whole: no job twice, no
      // person on both relays, each person in order.
      expect(first).toHaveLength(4);
      expect(second!.length).toBeGreaterThan(4);
      const persons = (jobs: Job[]) => new Set(jobs.map((j) => j.personKey));
      expect([...persons(first)].filter((p) => persons(second!).has(p))).toEqual([]);
      for (const jobs of [first, second!]) {
        for (const p of persons(jobs)) {
          expect([`${p}-1`, `${p}-2`].slice(0, jobs.filter((j) => j.personKey === p).length)).toEqual(
            ids(jobs.filter((j) => j.personKey === p)),
          );
        }
      }
      for (const p of persons(second!)) expect(ids(second!.filter((j) => j.personKey === p))).toHaveLength(2);
    } finally {
      await x.end();
    }
  });

  it('logs results with their message ids read from the events when the relay did not keep them', async () => {
    const { stores, schema } = await relays(1);
    const [store] = stores as [PostgresStore];
    await store.append([event('ann', { messageId: 'a1' }), event('bob', { messageId: 'b1' })], WINDOW);
    const jobs = await claim(store);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(`SET search_path = ${pg.escapeIdentifier(schema)}`);
      const [{ owner, dest }] = (
        await client.query<{ owner: number; dest: number }>('SELECT owner, dest FROM jobs LIMIT 1')
      ).rows as [{ owner: number; dest: number }];
      const results = [
        { jobId: jobs[0]!.id, outcome: 'delivered' as const },
        { jobId: jobs[1]!.id, outcome: 'dead' as const, error: { code: 'http_400', message: 'bad' } },
      ];
      // As a relay that lost what it knew of its claims would: no message id from memory.
      await completeJobs(client, dest, { destination: 'prod', now: T0, results }, owner, 0, () => undefined);
    } finally {
      await client.end();
    }
    const entries = await store.searchLog({});
    expect(entries.map((e) => [e.messageId, e.personKey, e.outcome]).sort()).toEqual([
      ['a1', 'ann', 'delivered'],
      ['b1', 'bob', 'dead'],
    ]);
    const [dead] = await store.listDeadLetters({});
    expect([dead?.messageId, dead?.personKey, JSON.parse(dead!.event).messageId]).toEqual([
      'b1',
      'bob',
      'b1',
    ]);
  });

  it('leaves a live relay’s claims alone and takes over those of a relay whose lease expired', async () => {
    const { stores, schema } = await relays(2);
    const [a, b] = stores as [PostgresStore, PostgresStore];
    await a.append([event('ann', { messageId: 'a1' }), event('ann', { messageId: 'a2' })], WINDOW);
    const [a1] = await claim(a, 1);
    expect(await b.recover()).toBe(0);
    expect(await claim(b)).toEqual([]);

    await sql(schema, EXPIRE_HOLDERS);
    expect(await b.recover()).toBe(1);
    const taken = await claim(b);
    expect(ids(taken)).toEqual(['a1', 'a2']);
    expect(taken[0]!.id).toBe(a1!.id);

    // a's late result matches nothing: b holds the job now.
    await a.complete({ destination: 'prod', now: T0, results: [{ jobId: a1!.id, outcome: 'delivered' }] });
    expect(await b.stats('prod', T0)).toMatchObject({ inFlight: 2, delivered: 0 });
    await b.complete({
      destination: 'prod',
      now: T0,
      results: taken.map((j) => ({ jobId: j.id, outcome: 'delivered' as const })),
    });
    expect(await b.stats('prod', T0)).toMatchObject({ inFlight: 0, delivered: 2 });
  });

  it('holds a forgotten person’s next job on every relay until their batch in flight ends, by result or by reap', async () => {
    const { stores, schema } = await relays(2);
    const [a, b] = stores as [PostgresStore, PostgresStore];
    await a.append([event('ann', { messageId: 'a1' })], WINDOW);
    const [a1] = await claim(a, 1);
    await b.forgetPerson('ann');
    await b.append([event('ann', { messageId: 'delete' })], WINDOW);
    expect(await claim(b)).toEqual([]);
    await a.complete({ destination: 'prod', now: T0, results: [{ jobId: a1!.id, outcome: 'delivered' }] });
    const [del] = await claim(b);
    expect(del?.messageId).toBe('delete');

    // Forgotten again while b sends the delete; b dies before its answer: a reaps, and goes on.
    await a.forgetPerson('ann');
    await a.append([event('ann', { messageId: 'delete2' })], WINDOW);
    expect(await claim(a)).toEqual([]);
    await sql(schema, EXPIRE_FORGOTTEN_HOLDERS);
    expect(await a.recover()).toBe(0);
    expect(ids(await claim(a))).toEqual(['delete2']);
    expect(await sql(schema, 'SELECT count(*)::int AS n FROM jobs WHERE state = 2')).toEqual([{ n: 0 }]);
  });

  it('drops a forgotten job at the next sweep when its result was recorded while it was being forgotten', async () => {
    const { stores, schema } = await relays(1);
    const [a] = stores as [PostgresStore];
    await a.append([event('ann', { messageId: 'a1' })], WINDOW);
    const [a1] = await claim(a, 1);
    // The job locked elsewhere: the erasure waits for it, then the result waits behind the erasure.
    const lock = new pg.Client({ connectionString: database.url });
    await lock.connect();
    try {
      await lock.query(`SET search_path = ${pg.escapeIdentifier(schema)}`);
      await lock.query('BEGIN');
      await lock.query('SELECT 1 FROM jobs WHERE id = $1 FOR UPDATE', [a1!.id]);
      const waiters = async () =>
        (
          await sql(
            schema,
            `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
          )
        ).length;
      const forgetting = a.forgetPerson('ann');
      await waitFor('the erasure to wait for the job', async () => (await waiters()) >= 1);
      const completing = a.complete({
        destination: 'prod',
        now: T0,
        results: [{ jobId: a1!.id, outcome: 'delivered' }],
      });
      await waitFor('the result to wait for the job', async () => (await waiters()) >= 2);
      await lock.query('COMMIT');
      await Promise.all([forgetting, completing]);
    } finally {
      await lock.end();
    }
    await a.append([event('ann', { messageId: 'delete' })], WINDOW);
    // The result matched nothing (the job was being forgotten): its forgotten copy holds ann back
    // until the relay's next sweep, which finds it held by nobody here.
    expect(await claim(a)).toEqual([]);
    await a.renewLease();
    expect(ids(await claim(a))).toEqual(['delete']);
    expect(await a.stats('prod', T0)).toMatchObject({ inFlight: 1, queued: 0, delivered: 0 });
  });

  it('does not walk past held-back jobs again for WALK_ON_PAUSE_MS after a walk that found nothing', async () => {
    const { stores } = await relays(1);
    const store = stores[0]!;
    await store.append(
      Array.from({ length: 9 }, (_, i) => event('ann', { messageId: `a${i}` })),
      WINDOW,
    );
    await claim(store, 1);
    const scan = (now: number) => store.claim('prod', { limit: 1, now, ordered: true, scanLimit: 4 });
    expect(await scan(T0)).toEqual([]);
    await store.append([event('bob', { messageId: 'b1' })], WINDOW);
    expect(await scan(T0 + 1)).toEqual([]); // stops at scanLimit: 4 of ann's jobs
    expect(ids(await scan(T0 + WALK_ON_PAUSE_MS))).toEqual(['b1']);
  });

  it('tells the relay whose lease renewal took over a dead relay’s claims how many it took', async () => {
    const { stores, schema } = await relays(1, 60_000);
    const reaped: number[] = [];
    const survivor = await openPostgresStore({
      url: database.url,
      schema,
      onReaped: (jobs) => reaped.push(jobs),
    });
    opened.push(survivor);
    const dead = stores[0]!;
    await dead.append([event('ann', { messageId: 'a1' }), event('bob', { messageId: 'b1' })], WINDOW);
    expect(await claim(dead)).toHaveLength(2);
    await survivor.renewLease();
    expect(reaped).toEqual([]); // a live relay's claims are not taken

    await sql(schema, EXPIRE_HOLDERS);
    await survivor.renewLease();
    await survivor.renewLease();
    expect(reaped).toEqual([2]);
  });

  it('a relay reaped while cut off registers again and goes on claiming', async () => {
    const { stores, schema } = await relays(2, 60_000);
    const [a, b] = stores as [PostgresStore, PostgresStore];
    await a.append([event('ann', { messageId: 'a1' }), event('bob', { messageId: 'b1' })], WINDOW);
    await claim(a, 1);
    await sql(schema, EXPIRE_HOLDERS);
    expect(await b.recover()).toBe(1);
    // a's next renewal finds its row gone: it registers under a new id and claims again.
    await a.renewLease();
    expect(ids(await claim(a))).toEqual(['a1', 'b1']);
    expect(await b.recover()).toBe(0);
    expect(await claim(b)).toEqual([]);
  });

  it('gives its claims back when it closes', async () => {
    const { stores } = await relays(2);
    const [a, b] = stores as [PostgresStore, PostgresStore];
    await a.append([event('ann', { messageId: 'a1' })], WINDOW);
    await claim(a);
    await a.close();
    expect(ids(await claim(b))).toEqual(['a1']);
  });

  it('deduplicates across relays appending the same messageId at once', async () => {
    const { stores } = await relays(3);
    const results = await Promise.all(
      stores.map((store) => store.append([event('ann', { messageId: 'same' })], WINDOW)),
    );
    expect(results.filter((r) => r.duplicates.length === 0)).toHaveLength(1);
    expect((await stores[0]!.stats('prod', T0)).queued).toBe(1);
  });
});

describe('PostgreSQL store group commit', () => {
  it('commits the appends of one turn of the event loop together, each caller answered', async () => {
    const { stores } = await relays(1);
    const [store] = stores as [PostgresStore];
    const before = store.commitCount;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.append([event(`p${i}`, { messageId: `g${i}` })], WINDOW)),
    );
    expect(answers).toEqual(Array.from({ length: 20 }, () => ({ duplicates: [] })));
    expect(store.commitCount - before).toBe(1);
    expect((await store.stats('prod', T0)).queued).toBe(20);
  });
});

describe('PostgreSQL store connection problems', () => {
  it('names the database without its password when it cannot connect', async () => {
    const error = await openPostgresStore({
      url: 'postgres://relay:s3cret-password@127.0.0.1:1/nowhere',
    }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('postgres://relay:***@127.0.0.1:1/nowhere');
    expect((error as Error).message).not.toContain('s3cret');
  });
});
