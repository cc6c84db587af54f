import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { InFlightCounts, type NewEvent, openSqliteStore, type SqliteStore } from '../../src/store/index.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite/schema.js';
import { describeStoreConformance, event } from './conformance.js';
import { databaseAtVersion, rows, storeFile, withStore } from './sqlite-files.js';

describeStoreConformance('SQLite', async () => openSqliteStore({ file: storeFile() }));

const T0 = 1_700_000_000_000;
const WINDOW = { dedupeWindowMs: 86_400_000 };

describe('SQLite store', () => {
  it('keeps everything across close and reopen', async () => {
    const file = storeFile();
    const paused = { code: 'http_401', message: 'unauthorized', status: 401, at: T0 };
    const before = await withStore(file, async (store) => {
      await store.append([event('ann'), event('bob'), event('cy'), event('dee')], WINDOW);
      const [a, b, c] = await store.claim('prod', { limit: 3, now: T0, ordered: true });
      await store.complete({
        destination: 'prod',
        now: T0 + 1,
        results: [
          { jobId: a!.id, outcome: 'delivered' },
          { jobId: b!.id, outcome: 'retry', dueAt: T0 + 100, error: { code: 'http_500', message: 'oops' } },
          { jobId: c!.id, outcome: 'dead', error: { code: 'http_400', message: 'bad' } },
        ],
      });
      await store.setPaused('prod', paused);
      return {
        stats: await store.stats('prod', T0 + 1),
        log: await store.searchLog({}),
        dead: await store.listDeadLetters({}),
        lastId: b!.id,
      };
    });
    await withStore(file, async (store) => {
      expect(await store.stats('prod', T0 + 1)).toEqual(before.stats);
      expect(before.stats).toMatchObject({ queued: 1, retrying: 1, dead: 1, delivered: 1 });
      expect(await store.searchLog({})).toEqual(before.log);
      expect(await store.listDeadLetters({})).toEqual(before.dead);
      expect(await store.destinationState('prod')).toEqual({ paused });
      await store.append([event('eve')], WINDOW);
      const jobs = await store.claim('prod', { limit: 10, now: T0 + 100, ordered: true });
      expect(jobs.map((j) => j.personKey)).toEqual(['bob', 'dee', 'eve']);
      expect(jobs[2]!.id).toBeGreaterThan(before.lastId);
    });
  });

  it('moves its frontier past the jobs held back behind a retry (no done row per job delivered), kept on reopen', async () => {
    const file = storeFile();
    const claim = (store: SqliteStore, now: number) => store.claim('prod', { limit: 10, now, ordered: true });
    await withStore(file, async (store) => {
      await store.append([event('ann', { messageId: 'a1' })], WINDOW);
      const [a1] = await claim(store, T0);
      const error = { code: 'http_500', message: '500' };
      await store.complete({
        destination: 'prod',
        now: T0,
        results: [{ jobId: a1!.id, outcome: 'retry', dueAt: T0 + 1000, error }],
      });
      await store.append([event('ann', { messageId: 'a2' })], WINDOW);
      for (let round = 0; round < 5; round++) {
        await store.append(
          Array.from({ length: 10 }, (_, i) => event(`p${i}`)),
          WINDOW,
        );
        const jobs = await claim(store, T0);
        expect(jobs).toHaveLength(10);
        await store.complete({
          destination: 'prod',
          now: T0,
          results: jobs.map((j) => ({ jobId: j.id, outcome: 'delivered' as const })),
        });
      }
    });
    expect(rows(file, 'SELECT count(*) AS n FROM done')).toEqual([{ n: 0 }]);
    expect(rows(file, 'SELECT attempts, due_at FROM retries ORDER BY event_id')).toEqual([
      { attempts: 1, due_at: T0 + 1000 },
      { attempts: 0, due_at: 0 }, // a2, parked
    ]);
    await withStore(file, async (store) => {
      expect(await store.stats('prod', T0)).toMatchObject({ queued: 1, retrying: 1, delivered: 50 });
      expect(await claim(store, T0)).toEqual([]);
      expect((await claim(store, T0 + 1000)).map((j) => j.messageId)).toEqual(['a1', 'a2']);
    });
  });

  it('does not save a parked job whose person another connection erased meanwhile', async () => {
    const file = storeFile();
    const counts = InFlightCounts.create();
    const delivery = openSqliteStore({ file, inFlightCounts: counts });
    const ingest = openSqliteStore({ file, inFlightCounts: counts });
    const claim = () => delivery.claim('prod', { limit: 10, now: T0, ordered: true });
    try {
      await ingest.append([event('ann', { messageId: 'a1' })], WINDOW);
      const [a1] = await claim();
      await ingest.append([event('ann', { messageId: 'a2' }), event('bob', { messageId: 'b1' })], WINDOW);
      const [b1] = await claim(); // a2 parked behind a1
      expect(b1!.messageId).toBe('b1');
      await ingest.forgetPerson('ann');
      await delivery.complete({
        destination: 'prod',
        now: T0,
        results: [a1!, b1!].map((j) => ({ jobId: j.id, outcome: 'delivered' as const })),
      });
      expect(rows(file, 'SELECT count(*) AS n FROM retries')).toEqual([{ n: 0 }]);
      expect(await claim()).toEqual([]);
      expect(await delivery.stats('prod', T0)).toMatchObject({ queued: 0, inFlight: 0, delivered: 1 });
    } finally {
      await delivery.close();
      await ingest.close();
    }
  });

  it('after a SIGKILL, the jobs that were in flight are queued again on reopen, attempts not counted', async () => {
    const file = storeFile();
    const script = fileURLToPath(new URL('./fixtures/claim-then-hang.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, file, '7'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const claimed = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    expect(claimed).toBe('claimed 7');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    await withStore(file, async (store) => {
      // Claims live in the memory of the process that made them: nothing to take back.
      expect(await store.stats('prod', T0)).toMatchObject({ queued: 7, inFlight: 0 });
      expect(await store.recover()).toBe(0);
      const jobs = await store.claim('prod', { limit: 10, now: T0, ordered: true });
      expect(jobs.map((j) => j.messageId)).toEqual(Array.from({ length: 7 }, (_, i) => `crash-${i}`));
      expect(jobs.every((j) => j.attempts === 0 && j.firstAttemptAt === null)).toBe(true);
    });
  });

  it('shows the jobs one connection claimed in the stats of another sharing its InFlightCounts', async () => {
    const file = storeFile();
    const counts = InFlightCounts.create();
    const claiming = openSqliteStore({ file, inFlightCounts: counts });
    try {
      await claiming.append([event('ann'), event('bob'), event('cy')], WINDOW);
      const [a] = await claiming.claim('prod', { limit: 2, now: T0, ordered: true });
      await withStore(file, async (plain) => {
        // A connection without the shared counts (the CLI) knows nothing of the claims.
        expect(await plain.stats('prod', T0)).toMatchObject({ queued: 3, inFlight: 0 });
      });
      const other = openSqliteStore({ file, inFlightCounts: new InFlightCounts(counts.shared) });
      try {
        expect(await other.stats('prod', T0)).toMatchObject({ queued: 1, inFlight: 2 });
        await claiming.complete({
          destination: 'prod',
          now: T0,
          results: [{ jobId: a!.id, outcome: 'delivered' }],
        });
        expect(await other.stats('prod', T0)).toMatchObject({ queued: 1, inFlight: 1, delivered: 1 });
        await claiming.recover();
        expect(await other.stats('prod', T0)).toMatchObject({ queued: 2, inFlight: 0 });
      } finally {
        await other.close();
      }
    } finally {
      await claiming.close();
    }
  });

  it('remembers dedupe keys across reopen and across handles on the same file', async () => {
    const file = storeFile();
    await withStore(file, async (store) => {
      await store.append([event('ann', { messageId: 'k1' })], WINDOW);
    });
    const first = openSqliteStore({ file });
    try {
      expect((await first.append([event('ann', { messageId: 'k1' })], WINDOW)).duplicates).toEqual([0]);
      await withStore(file, async (second) => {
        expect((await second.append([event('ann', { messageId: 'k1' })], WINDOW)).duplicates).toEqual([0]);
        await second.append([event('bob', { messageId: 'k2' })], WINDOW);
      });
      const again = await first.append(
        [event('bob', { messageId: 'k2' }), event('cy', { messageId: 'k3' })],
        WINDOW,
      );
      expect(again.duplicates).toEqual([0]);
    } finally {
      await first.close();
    }
  });

  it('an append has committed when it resolves: another connection sees it', async () => {
    const file = storeFile();
    await withStore(file, async (store) => {
      await store.append([event('ann', { messageId: 'seen' })], WINDOW);
      expect(rows(file, 'SELECT message_id FROM events')).toEqual([{ message_id: 'seen' }]);
    });
  });

  it('appends made in the same tick share one commit; later ones get their own', async () => {
    await withStore(storeFile(), async (store) => {
      const start = store.commitCount;
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) => store.append([event(`p${i}`)], WINDOW)),
      );
      expect(results).toHaveLength(5);
      expect(store.commitCount).toBe(start + 1);
      await store.append([event('x')], WINDOW);
      await store.append([event('y')], WINDOW);
      expect(store.commitCount).toBe(start + 3);
      expect((await store.stats('prod', T0)).queued).toBe(7);
    });
  });

  it('a failing commit rejects every caller of its group and stores nothing of it', async () => {
    const file = storeFile();
    await withStore(file, async (store) => {
      await store.append([event('ann', { messageId: 'before' })], WINDOW);
      const saboteur = new Database(file);
      saboteur.exec(
        `CREATE TRIGGER sabotage BEFORE INSERT ON events WHEN NEW.body = 'boom'
         BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`,
      );
      const good: NewEvent[] = [event('bob', { messageId: 'g1', destinations: ['brand-new'] })];
      const calls = [
        store.append(good, WINDOW),
        store.append([event('cy', { messageId: 'g2' }), { ...event('cy'), body: 'boom' }], WINDOW),
        store.append([event('dee', { messageId: 'g3' })], WINDOW),
      ];
      const settled = await Promise.allSettled(calls);
      expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(String((settled[0] as PromiseRejectedResult).reason)).toContain('disk on fire');
      expect(await store.stats('prod', T0)).toMatchObject({ queued: 1 });
      expect(await store.stats('brand-new', T0)).toMatchObject({ queued: 0 });

      saboteur.exec('DROP TRIGGER sabotage');
      saboteur.close();
      // Nothing of the failed group was kept, not even its dedupe keys or its new destination.
      const again = await store.append(
        [...good, event('cy', { messageId: 'g2' }), event('dee', { messageId: 'g3' })],
        WINDOW,
      );
      expect(again.duplicates).toEqual([]);
      expect(await store.stats('brand-new', T0)).toMatchObject({ queued: 1 });
      expect(await store.stats('prod', T0)).toMatchObject({ queued: 3 });
    });
  });

  it('prunes a large log in many short slices, dropping each event once its last reference goes', async () => {
    const file = storeFile();
    await withStore(file, async (store) => {
      const events = Array.from({ length: 3000 }, (_, i) =>
        event(`p${i % 50}`, {
          messageId: `m${i}`,
          destinations: i % 2 === 0 ? ['prod', 'staging'] : ['prod'],
        }),
      );
      await store.append(events, WINDOW);
      for (;;) {
        const jobs = await store.claim('prod', { limit: 500, now: T0, ordered: true });
        if (jobs.length === 0) break;
        await store.complete({
          destination: 'prod',
          now: T0,
          results: jobs.map((j) => ({ jobId: j.id, outcome: 'delivered' as const })),
        });
      }
      await store.prune({ now: T0, dedupeWindowMs: 0, logMaxEntries: 0, logMaxAgeMs: 0 });
      expect(rows(file, 'SELECT count(*) AS n FROM log')).toEqual([{ n: 0 }]);
      // The events still queued for staging stay, with the job's reference only.
      expect(rows(file, 'SELECT count(*) AS n, min(refs) AS lo, max(refs) AS hi FROM events')).toEqual([
        { n: 1500, lo: 1, hi: 1 },
      ]);
    });
  });

  it('deletes events once no job or log entry needs them (dead letters keep a copy)', async () => {
    const file = storeFile();
    await withStore(file, async (store) => {
      await store.append(
        [event('ann', { destinations: ['prod', 'staging'] }), event('bob'), event('cy')],
        WINDOW,
      );
      const prune = { now: T0, dedupeWindowMs: 0, logMaxEntries: 0, logMaxAgeMs: 0 };
      const jobs = await store.claim('prod', { limit: 10, now: T0, ordered: true });
      await store.complete({
        destination: 'prod',
        now: T0,
        results: [
          { jobId: jobs[0]!.id, outcome: 'delivered' },
          { jobId: jobs[1]!.id, outcome: 'dead', error: { code: 'x', message: 'y' } },
          { jobId: jobs[2]!.id, outcome: 'retry', dueAt: T0 + 1, error: { code: 'x', message: 'y' } },
        ],
      });
      await store.prune(prune);
      // ann: still queued for staging; cy: waiting for a retry.
      expect(rows(file, 'SELECT person FROM events ORDER BY id')).toEqual([
        { person: 'ann' },
        { person: 'cy' },
      ]);
      const [staging] = await store.claim('staging', { limit: 1, now: T0, ordered: true });
      await store.complete({
        destination: 'staging',
        now: T0,
        results: [{ jobId: staging!.id, outcome: 'delivered' }],
      });
      const [retried] = await store.claim('prod', { limit: 1, now: T0 + 1, ordered: true });
      await store.complete({
        destination: 'prod',
        now: T0 + 1,
        results: [{ jobId: retried!.id, outcome: 'filtered', reason: 'r' }],
      });
      expect(rows(file, 'SELECT count(*) AS n FROM events')).toEqual([{ n: 2 }]);
      await store.prune({ ...prune, now: T0 + 1 });
      expect(rows(file, 'SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
      expect(rows(file, 'SELECT count(*) AS n FROM dedupe_keys')).toEqual([{ n: 0 }]);
      expect((await store.listDeadLetters({}))[0]!.personKey).toBe('bob');
    });
  });

  it('prunes in chunks, removing more than one chunk of log entries and events', async () => {
    const file = storeFile();
    await withStore(file, async (store) => {
      const count = 2500;
      await store.append(
        Array.from({ length: count }, (_, i) => event(`p${i}`)),
        WINDOW,
      );
      // One log row per complete call of 100 results: the bound of 10 entries falls inside the last.
      for (let done = 0; done < count; done += 100) {
        const jobs = await store.claim('prod', { limit: 100, now: T0, ordered: true });
        await store.complete({
          destination: 'prod',
          now: T0,
          results: jobs.map((j) => ({ jobId: j.id, outcome: 'delivered' as const })),
        });
      }
      await store.prune({ now: T0 + 1, dedupeWindowMs: 0, logMaxEntries: 10, logMaxAgeMs: 86_400_000 });
      const kept = await store.searchLog({ limit: 1000 });
      expect(kept.map((e) => e.personKey)).toEqual(Array.from({ length: 10 }, (_, i) => `p${count - 1 - i}`));
      expect(rows(file, 'SELECT count(*) AS n FROM log')).toEqual([{ n: 1 }]);
      expect(rows(file, 'SELECT count(*) AS n FROM events')).toEqual([{ n: 10 }]);
      expect(rows(file, 'SELECT count(*) AS n FROM dedupe_keys')).toEqual([{ n: 0 }]);
    });
  });

  it('searches a log of several id buckets by person and messageId, newest first, across pages', async () => {
    const file = storeFile();
    await withStore(file, async (store) => {
      const count = 9000; // more than two buckets of 4096 log ids
      const events = Array.from({ length: count }, (_, i) =>
        event(i % 1000 === 0 ? 'needle' : `p${i}`, { messageId: `k${i}` }),
      );
      await store.append(events, WINDOW);
      const jobs = await store.claim('prod', { limit: count, now: T0, ordered: false });
      // A log row per complete call: rows of 100 entries, spread over the buckets.
      for (let i = 0; i < count; i += 100) {
        await store.complete({
          destination: 'prod',
          now: T0,
          results: jobs.slice(i, i + 100).map((j) => ({ jobId: j.id, outcome: 'delivered' as const })),
        });
      }
      expect(rows(file, 'SELECT count(DISTINCT id >> 12) AS n FROM log')).toEqual([{ n: 3 }]);
      // Pages of 7 cut rows of 100 anywhere and add up to the whole.
      const newest = (await store.searchLog({ limit: 250 })).map((e) => e.id);
      expect(newest).toEqual(Array.from({ length: 250 }, (_, i) => newest[0]! - i));
      const paged: number[] = [];
      while (paged.length < 250) {
        const page = await store.searchLog({
          limit: 7,
          ...(paged.length > 0 && { beforeId: paged.at(-1)! }),
        });
        paged.push(...page.map((e) => e.id));
      }
      expect(paged.slice(0, 250)).toEqual(newest);
      const expected = ['k8000', 'k7000', 'k6000', 'k5000', 'k4000', 'k3000', 'k2000', 'k1000', 'k0'];
      expect((await store.searchLog({ personKey: 'needle' })).map((e) => e.messageId)).toEqual(expected);
      const first = await store.searchLog({ personKey: 'needle', limit: 4 });
      const rest = await store.searchLog({ personKey: 'needle', beforeId: first[3]!.id, limit: 10 });
      expect([...first, ...rest].map((e) => e.messageId)).toEqual(expected);
      expect((await store.searchLog({ messageId: 'k1' })).map((e) => e.personKey)).toEqual(['p1']);
      expect(await store.searchLog({ messageId: 'k1', personKey: 'needle' })).toEqual([]);
      expect(await store.searchLog({ messageId: 'absent' })).toEqual([]);
    });
  });

  it('migrates a version 1 database, keeping its events, log and dedupe keys', async () => {
    const file = storeFile();
    const db = databaseAtVersion(file, 1);
    db.exec(`
      INSERT INTO destinations (id, name, unfinished, delivered) VALUES (1, 'prod', 1, 1);
      INSERT INTO events VALUES (1, 'web', 'm1', 'ann', ${T0}, 1, '{"n":1}'), (2, 'web', 'm2', 'bob', ${T0}, 1, '{"n":2}');
      INSERT INTO jobs (dest, id, event_id, person) VALUES (1, 2, 2, 'bob');
      UPDATE meta SET value = 3 WHERE key = 'next_job_id';
      INSERT INTO log (id, at, dest, job_id, event_id, message_id, person, outcome, attempts)
        VALUES (7, ${T0}, 1, 1, 1, 'm1', 'ann', 0, 1);
      INSERT INTO dedupe VALUES ('web', 'm1', ${T0}), ('web', 'm2', ${T0});
    `);
    db.close();
    await withStore(file, async (store) => {
      expect((await store.searchLog({ messageId: 'm1' })).map((e) => [e.id, e.event])).toEqual([
        [7, '{"n":1}'],
      ]);
      expect((await store.searchLog({ personKey: 'ann' })).map((e) => e.id)).toEqual([7]);
      expect((await store.append([event('ann', { messageId: 'm2' })], WINDOW)).duplicates).toEqual([0]);
      const [job] = await store.claim('prod', { limit: 1, now: T0, ordered: true });
      await store.complete({
        destination: 'prod',
        now: T0,
        results: [{ jobId: job!.id, outcome: 'delivered' }],
      });
      expect((await store.searchLog({})).map((e) => e.id)).toEqual([8, 7]);
      expect((await store.searchLog({ personKey: 'bob' }))[0]!.event).toBe('{"n":2}');
    });
  });

  it('migrates a version 4 database, keeping its queued jobs: fresh, retried, left in flight', async () => {
    const file = storeFile();
    const db = databaseAtVersion(file, 4);
    db.exec(`
      INSERT INTO destinations (id, name, unfinished, in_flight, delivered) VALUES
        (1, 'prod', 3, 1, 1), (2, 'staging', 1, 0, 0);
      INSERT INTO events (id, source, message_id, person, received_at, refs, body) VALUES
        (1, 'web', 'a1', 'ann', ${T0}, 3, '{"n":1}'), (2, 'web', 'b1', 'bob', ${T0}, 1, '{"n":2}'),
        (3, 'web', 'a2', 'ann', ${T0}, 1, '{"n":3}'), (4, 'web', 'c1', 'cy', ${T0}, 1, '{"n":4}');
      INSERT INTO jobs (dest, id, event_id, person, state, attempts, first_attempt_at, due_at) VALUES
        (1, 10, 1, 'ann', 0, 2, ${T0 - 100}, ${T0 + 500}),
        (1, 11, 2, 'bob', 1, 0, NULL, 0),
        (1, 12, 3, 'ann', 0, 0, NULL, 0),
        (2, 13, 1, 'ann', 0, 0, NULL, 0);
      UPDATE meta SET value = 14 WHERE key = 'next_job_id';
      INSERT INTO log (id, at, dest, job_id, event_id, message_hash, person_hash, outcome, attempts)
        VALUES (1, ${T0}, 1, 9, 4, 0, 0, 0, 1), (2, ${T0}, 1, 10, 1, 0, 0, 2, 2);
    `);
    db.close();
    await withStore(file, async (store) => {
      expect(await store.stats('prod', T0)).toMatchObject({
        queued: 2,
        inFlight: 0,
        retrying: 1,
        delivered: 1,
      });
      expect(await store.stats('staging', T0)).toMatchObject({ queued: 1 });
      // ann waits behind her retry; bob's job, in flight when the old relay stopped, is queued.
      expect(
        (await store.claim('prod', { limit: 10, now: T0, ordered: true })).map((j) => j.messageId),
      ).toEqual(['b1']);
      const later = await store.claim('prod', { limit: 10, now: T0 + 500, ordered: true });
      expect(later.map((j) => [j.messageId, j.attempts, j.firstAttemptAt])).toEqual([
        ['a1', 2, T0 - 100],
        ['a2', 0, null],
      ]);
      expect(
        (await store.claim('staging', { limit: 10, now: T0, ordered: true })).map((j) => j.body),
      ).toEqual(['{"n":1}']);
      await store.append([event('dee')], WINDOW);
      const [dee] = await store.claim('prod', { limit: 10, now: T0 + 500, ordered: true });
      expect(dee).toMatchObject({ personKey: 'dee' });
      expect(dee!.id).toBeGreaterThan(4);
      expect((await store.searchLog({})).map((e) => e.messageId)).toEqual(['a1', 'c1']);
    });
  });

  it('forgetting a person erases what they sent from log rows shared with others', async () => {
    const file = storeFile();
    await withStore(file, async (store) => {
      await store.append([event('ann', { messageId: 'a1' }), event('bob', { messageId: 'b1' })], WINDOW);
      const jobs = await store.claim('prod', { limit: 2, now: T0, ordered: true });
      const exchange = (person: string) => ({
        method: 'POST',
        url: 'https://track.customer.io/api/v2/batch',
        requestBody: `[{"identifiers":{"id":"${person}"}}]`,
        status: 200,
      });
      await store.complete({
        destination: 'prod',
        now: T0,
        results: jobs.map((j) => ({
          jobId: j.id,
          outcome: 'delivered' as const,
          exchange: exchange(j.personKey),
        })),
      });
      expect((await store.forgetPerson('ann')).logEntries).toBe(1);
      const [bob, ...others] = await store.searchLog({});
      expect(others).toEqual([]);
      expect(bob).toMatchObject({ messageId: 'b1', exchange: exchange('bob') });
      expect(JSON.stringify(rows(file, 'SELECT * FROM log'))).not.toMatch(/ann|a1/);
    });
  });

  it('migrates a version 6 log (one row per entry) into rows per call, keeping every entry as it was', async () => {
    const file = storeFile();
    const db = databaseAtVersion(file, 6);
    // Request bodies with characters outside ASCII and outside the BMP: lengths are kept in UTF-16.
    const annRequest = '[{"type":"person","identifiers":{"id":"ann"},"attributes":{"name":"Zoë 🎉"}}]';
    const bobRequest = '[{"type":"event","name":"Ordér"}]';
    const url = 'https://track.customer.io/api/v2/batch';
    db.prepare(
      `INSERT INTO log (id, at, dest, job_id, event_id, message_hash, person_hash, outcome, attempts,
         reason, error_code, error_message, error_status, ex_method, ex_url, ex_request, ex_status,
         ex_response, ex_duration) VALUES
       (5, ${T0}, 1, 1, 1, cio_hash32('a1'), cio_hash32('ann'), 0, 1, NULL, NULL, NULL, NULL,
         'POST', '${url}', ?, 200, '{}', 3.5),
       (6, ${T0 + 1}, 1, 2, 2, cio_hash32('b1'), cio_hash32('bob'), 3, 2, NULL, 'http_400', 'Customer.io answered 400', 400,
         'POST', '${url}', ?, 400, '{"errors":[]}', 12),
       (7, ${T0 + 2}, 2, 42, 3, cio_hash32('a2'), cio_hash32('ann'), 1, 1, 'no subscription matched', NULL, NULL, NULL,
         NULL, NULL, NULL, NULL, NULL, NULL)`,
    ).run(annRequest, bobRequest);
    db.exec(`
      INSERT INTO destinations (id, name, delivered, filtered, frontier) VALUES (1, 'prod', 1, 0, 3), (2, 'staging', 0, 1, 3);
      INSERT INTO events (id, source, message_id, person, received_at, refs, body, dests) VALUES
        (1, 'web', 'a1', 'ann', ${T0}, 1, '{"n":1}', 2), (2, 'web', 'b1', 'bob', ${T0}, 1, '{"n":2}', 2),
        (3, 'web', 'a2', 'ann', ${T0}, 1, '{"n":3}', 4);
      -- The next log id starts bucket 1: the migrated entries (bucket 0) are searched through the index.
      UPDATE meta SET value = 4097 WHERE key = 'next_log_id';
      UPDATE meta SET value = 4 WHERE key = 'next_event_id';
    `);
    db.close();
    await withStore(file, async (store) => {
      const entries = await store.searchLog({});
      expect(entries).toEqual([
        {
          id: 7,
          at: T0 + 2,
          destination: 'staging',
          jobId: 42,
          messageId: 'a2',
          personKey: 'ann',
          outcome: 'filtered',
          attempts: 1,
          event: '{"n":3}',
          reason: 'no subscription matched',
        },
        {
          id: 6,
          at: T0 + 1,
          destination: 'prod',
          jobId: 2,
          messageId: 'b1',
          personKey: 'bob',
          outcome: 'dead',
          attempts: 2,
          event: '{"n":2}',
          error: { code: 'http_400', message: 'Customer.io answered 400', status: 400 },
          exchange: {
            method: 'POST',
            url,
            requestBody: bobRequest,
            status: 400,
            responseBody: '{"errors":[]}',
            durationMs: 12,
          },
        },
        {
          id: 5,
          at: T0,
          destination: 'prod',
          jobId: 1,
          messageId: 'a1',
          personKey: 'ann',
          outcome: 'delivered',
          attempts: 1,
          event: '{"n":1}',
          exchange: {
            method: 'POST',
            url,
            requestBody: annRequest,
            status: 200,
            responseBody: '{}',
            durationMs: 3.5,
          },
        },
      ]);
      const ids = (query: Parameters<SqliteStore['searchLog']>[0]) =>
        store.searchLog(query).then((found) => found.map((e) => e.id));
      expect(await ids({ messageId: 'a1' })).toEqual([5]);
      expect(await ids({ personKey: 'ann' })).toEqual([7, 5]);
      expect(await ids({ outcome: 'dead' })).toEqual([6]);
      expect(await ids({ destination: 'staging' })).toEqual([7]);
      expect(await ids({ beforeId: 7, limit: 1 })).toEqual([6]);

      // New entries continue the ids; erasure and retention work on the migrated rows.
      await store.append([event('cy', { messageId: 'c1' })], WINDOW);
      const [c1] = await store.claim('prod', { limit: 1, now: T0, ordered: true });
      await store.complete({
        destination: 'prod',
        now: T0 + 3,
        results: [{ jobId: c1!.id, outcome: 'delivered' }],
      });
      expect(await ids({})).toEqual([4097, 7, 6, 5]);
      expect(await ids({ messageId: 'c1' })).toEqual([4097]);
      expect((await store.forgetPerson('ann')).logEntries).toBe(2);
      expect(await ids({})).toEqual([4097, 6]);
      await store.prune({ now: T0 + 3, dedupeWindowMs: 0, logMaxEntries: 1, logMaxAgeMs: 86_400_000 });
      expect(await ids({})).toEqual([4097]);
      expect(rows(file, 'SELECT message_id FROM events ORDER BY id')).toEqual([{ message_id: 'c1' }]);
    });
  });

  it('after a crash with results recorded out of order, delivers again only what was in flight', async () => {
    const file = storeFile();
    const crashed = openSqliteStore({ file });
    try {
      await crashed.append(
        ['ann', 'bob', 'cy', 'dee'].map((p) => event(p, { messageId: `${p}1` })),
        WINDOW,
      );
      const first = await crashed.claim('prod', { limit: 2, now: T0, ordered: true });
      const second = await crashed.claim('prod', { limit: 2, now: T0, ordered: true });
      await crashed.complete({
        destination: 'prod',
        now: T0,
        results: second.map((j) => ({ jobId: j.id, outcome: 'delivered' as const })),
      });
      await crashed.complete({
        destination: 'prod',
        now: T0,
        results: [{ jobId: first[1]!.id, outcome: 'delivered' }],
      });
      // The process dies with ann1 in flight: another opens the file (no close, no recover).
      await withStore(file, async (store) => {
        expect(await store.stats('prod', T0)).toMatchObject({ queued: 1, inFlight: 0, delivered: 3 });
        const again = await store.claim('prod', { limit: 10, now: T0, ordered: true });
        expect(again.map((j) => j.messageId)).toEqual(['ann1']);
        await store.complete({
          destination: 'prod',
          now: T0,
          results: [{ jobId: again[0]!.id, outcome: 'delivered' }],
        });
        expect(rows(file, 'SELECT dest, event_id FROM done')).toEqual([]);
      });
    } finally {
      await crashed.close();
    }
  });

  it('after a crash, each destination queues again only its own unfinished events', async () => {
    const file = storeFile();
    const crashed = openSqliteStore({ file });
    try {
      await crashed.append(
        [
          event('ann', { messageId: 'a1', destinations: ['prod'] }),
          event('bob', { messageId: 'b1', destinations: ['staging'] }),
          event('cy', { messageId: 'c1', destinations: ['prod', 'staging'] }),
          event('dee', { messageId: 'd1', destinations: ['staging'] }),
          event('eve', { messageId: 'e1', destinations: ['prod'] }),
        ],
        WINDOW,
      );
      const prod = await crashed.claim('prod', { limit: 10, now: T0, ordered: true });
      const staging = await crashed.claim('staging', { limit: 2, now: T0, ordered: true });
      expect(prod.map((j) => j.messageId)).toEqual(['a1', 'c1', 'e1']);
      expect(staging.map((j) => j.messageId)).toEqual(['b1', 'c1']);
      await crashed.complete({
        destination: 'prod',
        now: T0,
        results: [
          { jobId: prod[1]!.id, outcome: 'delivered' },
          { jobId: prod[2]!.id, outcome: 'retry', dueAt: T0 + 10, error: { code: 'x', message: 'y' } },
        ],
      });
      await crashed.complete({
        destination: 'staging',
        now: T0,
        results: [{ jobId: staging[0]!.id, outcome: 'delivered' }],
      });
      await withStore(file, async (store) => {
        const ids = async (destination: string, now: number) =>
          (await store.claim(destination, { limit: 10, now, ordered: true })).map((j) => j.messageId);
        expect(await ids('prod', T0 + 10)).toEqual(['a1', 'e1']);
        expect(await ids('staging', T0)).toEqual(['c1', 'd1']);
      });
    } finally {
      await crashed.close();
    }
  });

  it('a person forgotten through another connection: the late results of their jobs change nothing', async () => {
    const file = storeFile();
    const claiming = openSqliteStore({ file });
    try {
      await claiming.append([event('ann'), event('ann'), event('bob')], WINDOW);
      const jobs = await claiming.claim('prod', { limit: 10, now: T0, ordered: true });
      await withStore(file, async (admin) => {
        expect(await admin.forgetPerson('ann')).toMatchObject({ jobs: 2, events: 2 });
      });
      await claiming.complete({
        destination: 'prod',
        now: T0,
        results: [
          { jobId: jobs[0]!.id, outcome: 'delivered' },
          { jobId: jobs[1]!.id, outcome: 'retry', dueAt: T0 + 10, error: { code: 'x', message: 'y' } },
          { jobId: jobs[2]!.id, outcome: 'delivered' },
        ],
      });
      expect((await claiming.searchLog({})).map((e) => e.personKey)).toEqual(['bob']);
      expect(await claiming.stats('prod', T0 + 20)).toMatchObject({
        queued: 0,
        inFlight: 0,
        retrying: 0,
        delivered: 1,
      });
      expect(await claiming.claim('prod', { limit: 10, now: T0 + 20, ordered: true })).toEqual([]);
      await claiming.append([event('ann', { messageId: 'again' })], WINDOW);
      const [again] = await claiming.claim('prod', { limit: 10, now: T0 + 20, ordered: true });
      expect(again).toMatchObject({ messageId: 'again', attempts: 0 });
    } finally {
      await claiming.close();
    }
  });

  it('records its schema version and refuses a database from a newer relay', async () => {
    const file = storeFile();
    await withStore(file, async () => undefined);
    expect(rows(file, 'PRAGMA user_version')).toEqual([{ user_version: SCHEMA_VERSION }]);
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openSqliteStore({ file })).toThrow(/newer/);
  });

  it('runs in memory', async () => {
    await withStore(':memory:', async (store) => {
      await store.append([event('ann')], WINDOW);
      expect((await store.stats('prod', T0)).queued).toBe(1);
    });
  });
});
