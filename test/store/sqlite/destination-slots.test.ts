import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  type NewEvent,
  openSqliteStore,
  type SqliteStore,
  storeFailureCause,
} from '../../../src/store/index.js';
import { SLOTS } from '../../../src/store/sqlite/slots.js';
import { event } from '../conformance.js';
import { databaseAtVersion, storeFile, withStore } from '../sqlite-files.js';

const T0 = 1_700_000_000_000;
const WINDOW = { dedupeWindowMs: 86_400_000 };
const NOW = { limit: 100, now: T0, ordered: true };

/** Each destination's slot, read under the interface. */
function slots(file: string): Map<string, number | null> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT name, slot FROM destinations').all() as {
      name: string;
      slot: number | null;
    }[];
    return new Map(rows.map((r) => [r.name, r.slot]));
  } finally {
    db.close();
  }
}

const to = (destination: string, person = 'ann', extra: Partial<NewEvent> = {}): NewEvent =>
  event(person, {
    destinations: [destination],
    messageId: `${destination}-${person}-${Math.random()}`,
    ...extra,
  });

/** Claims every job of the destination and records them delivered; answers their messageIds. */
async function deliverAll(store: SqliteStore, destination: string): Promise<string[]> {
  const jobs = await store.claim(destination, NOW);
  await store.complete({
    destination,
    now: T0,
    results: jobs.map((j) => ({ jobId: j.id, outcome: 'delivered' as const })),
  });
  return jobs.map((j) => j.messageId);
}

const names = (count: number, prefix = 'd') => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('SQLite destination slots', () => {
  it('takes more destination names over time than it has slots, each one getting only its own events', async () => {
    const file = storeFile();
    const all = names(SLOTS + 20);
    await withStore(file, async (store) => {
      for (const name of all) {
        const e = to(name);
        await store.append([e], WINDOW);
        expect(await deliverAll(store, name)).toEqual([e.messageId]);
      }
      for (const name of all) expect(await store.stats(name, T0)).toMatchObject({ queued: 0, delivered: 1 });
    });
    const held = slots(file);
    // The newest 53 hold the slots; the oldest gave theirs up, least recently used first.
    expect(all.slice(-SLOTS).every((n) => held.get(n) !== null)).toBe(true);
    expect(all.slice(0, 20).every((n) => held.get(n) === null)).toBe(true);
    expect(new Set(all.map((n) => held.get(n)).filter((s) => s !== null)).size).toBe(SLOTS);
  });

  it("gives the least recently used idle slot to a newcomer, without the old destination's events, log or totals", async () => {
    const file = storeFile();
    const first = names(SLOTS);
    await withStore(file, async (store) => {
      for (const name of first) await store.append([to(name)], WINDOW);
      // d0 is used again last: d1 is now the least recently used.
      await store.append([to('d0', 'bob')], WINDOW);
      for (const name of first) await deliverAll(store, name);
      const old = slots(file).get('d1');

      const fresh = to('newcomer');
      await store.append([fresh], WINDOW);
      expect(slots(file).get('newcomer')).toBe(old);
      expect(slots(file).get('d1')).toBeNull();
      // d1's event still carries the bit (its log entry keeps it): not the newcomer's.
      expect(await deliverAll(store, 'newcomer')).toEqual([fresh.messageId]);
      expect(await store.stats('newcomer', T0)).toMatchObject({ queued: 0, delivered: 1 });
      expect((await store.searchLog({ destination: 'newcomer' })).map((e) => e.messageId)).toEqual([
        fresh.messageId,
      ]);
      expect(await store.searchLog({ destination: 'd1' })).toHaveLength(1);

      // d1 comes back: a slot of its own again (d2's), its totals kept, only its new event queued.
      const back = to('d1', 'cy');
      await store.append([back], WINDOW);
      expect(slots(file).get('d2')).toBeNull();
      expect(await deliverAll(store, 'd1')).toEqual([back.messageId]);
      expect(await store.stats('d1', T0)).toMatchObject({ queued: 0, delivered: 2 });
      expect(await deliverAll(store, 'd2')).toEqual([]);
    });
  });

  it('never takes the slot of a destination with queued jobs, a retry or a job in flight', async () => {
    const file = storeFile();
    await withStore(file, async (store) => {
      // The busy three are the least recently used.
      await store.append([to('queued'), to('retrying'), to('inflight')], WINDOW);
      const [r] = await store.claim('retrying', NOW);
      await store.complete({
        destination: 'retrying',
        now: T0,
        results: [
          { jobId: r!.id, outcome: 'retry', dueAt: T0 + 1000, error: { code: 'http_500', message: 'x' } },
        ],
      });
      await store.claim('inflight', NOW);
      const idle = names(SLOTS - 3, 'idle');
      for (const name of idle) {
        await store.append([to(name)], WINDOW);
        await deliverAll(store, name);
      }
      for (const name of names(SLOTS - 3, 'new')) await store.append([to(name)], WINDOW);
      const held = slots(file);
      expect(idle.every((n) => held.get(n) === null)).toBe(true);
      expect(['queued', 'retrying', 'inflight'].map((n) => held.get(n))).not.toContain(null);
      expect(await store.claim('queued', NOW)).toHaveLength(1);
      expect(await store.claim('retrying', { ...NOW, now: T0 + 1000 })).toHaveLength(1);
    });
  });

  it("an idle destination's dead letters and pause stay with it when its slot goes, and a replay queues them again", async () => {
    const file = storeFile();
    const paused = { code: 'http_401', message: 'unauthorized', status: 401, at: T0 };
    await withStore(file, async (store) => {
      const lost = to('broken');
      await store.append([lost], WINDOW);
      const [job] = await store.claim('broken', NOW);
      await store.complete({
        destination: 'broken',
        now: T0,
        results: [{ jobId: job!.id, outcome: 'dead', error: { code: 'http_400', message: 'bad' } }],
      });
      await store.setPaused('broken', paused);
      for (const name of names(SLOTS)) {
        await store.append([to(name)], WINDOW);
        await deliverAll(store, name);
      }
      expect(slots(file).get('broken')).toBeNull();
      expect(await store.destinationState('broken')).toEqual({ paused });
      expect((await store.listDeadLetters({ destination: 'broken' })).map((d) => d.messageId)).toEqual([
        lost.messageId,
      ]);
      expect(await store.stats('broken', T0)).toMatchObject({ dead: 1, queued: 0 });

      expect(await store.replayDeadLetters({ destination: 'broken' }, T0)).toBe(1);
      expect(slots(file).get('broken')).not.toBeNull();
      expect(await deliverAll(store, 'broken')).toEqual([lost.messageId]);
    });
  });

  it(`with ${SLOTS} destinations holding unfinished jobs, fails the appends that need another, saying what to do`, async () => {
    const file = storeFile();
    await withStore(file, async (store) => {
      for (const name of names(SLOTS)) await store.append([to(name)], WINDOW);
      const extra = to('one-too-many');
      // Appends of the same tick share a commit: only the one that needs a slot fails.
      const [failed, stored] = await Promise.allSettled([
        store.append([extra], WINDOW),
        store.append([to('d0', 'bob')], WINDOW),
      ]);
      expect(failed).toMatchObject({
        status: 'rejected',
        reason: {
          code: 'destinations_exhausted',
          message: expect.stringMatching(/"one-too-many".*at most 53.*PostgreSQL.*new store file/),
        },
      });
      expect(stored.status).toBe('fulfilled');
      // Ingest's 503 says why (routes-ingest.ts).
      expect(storeFailureCause((failed as PromiseRejectedResult).reason)).toMatch(/destinations/);
      expect(await store.stats('d0', T0)).toMatchObject({ queued: 2 });

      // Once a queue drains its slot is free: the same event is taken (it was not kept as a duplicate).
      await deliverAll(store, 'd5');
      expect(await store.append([extra], WINDOW)).toEqual({ duplicates: [] });
      expect(slots(file).get('one-too-many')).toBe(5);
      expect(slots(file).get('d5')).toBeNull();
      expect(await deliverAll(store, 'one-too-many')).toEqual([extra.messageId]);
    });
  });

  it("forgets a person's unfinished jobs by slot: none for the old holder's events carrying the same bit", async () => {
    const file = storeFile();
    await withStore(file, async (store) => {
      for (const name of names(SLOTS)) {
        await store.append([to(name, 'zoe')], WINDOW);
        await deliverAll(store, name);
      }
      await store.append([to('newcomer', 'zoe'), to('d1', 'zoe')], WINDOW);
      expect(slots(file).get('newcomer')).toBe(0);
      expect(await store.forgetPerson('zoe')).toMatchObject({ jobs: 2, events: SLOTS + 2 });
      expect(await store.stats('newcomer', T0)).toMatchObject({ queued: 0 });
      expect(await store.stats('d1', T0)).toMatchObject({ queued: 0, delivered: 1 });
      expect(await store.stats('d0', T0)).toMatchObject({ queued: 0, delivered: 1 });
    });
  });

  it('keeps slots, frontiers and queues consistent across close and reopen', async () => {
    const file = storeFile();
    const before = to('before');
    await withStore(file, async (store) => {
      for (const name of names(SLOTS)) {
        await store.append([to(name)], WINDOW);
        await deliverAll(store, name);
      }
      await store.append([before], WINDOW);
    });
    const held = slots(file);
    await withStore(file, async (store) => {
      expect(slots(file)).toEqual(held);
      expect(await deliverAll(store, 'before')).toEqual([before.messageId]);
      const back = to('d0', 'dee');
      await store.append([back, to('after')], WINDOW);
    });
    await withStore(file, async (store) => {
      expect(await store.stats('d0', T0)).toMatchObject({ queued: 1, delivered: 1 });
      expect(await store.stats('after', T0)).toMatchObject({ queued: 1 });
      expect((await deliverAll(store, 'd0')).length).toBe(1);
      expect((await deliverAll(store, 'after')).length).toBe(1);
      expect(await deliverAll(store, 'before')).toEqual([]);
    });
  });

  it('a claiming connection reads a queue again once its slot changed hands through another connection', async () => {
    const file = storeFile();
    const delivery = openSqliteStore({ file });
    const ingest = openSqliteStore({ file });
    try {
      const others = names(SLOTS).slice(1);
      for (const name of names(SLOTS)) await ingest.append([to(name)], WINDOW);
      // The delivery connection knows every queue, each with its slot.
      for (const name of names(SLOTS)) await deliverAll(delivery, name);
      const taken = to('newcomer');
      await ingest.append([taken], WINDOW);
      expect(slots(file).get('newcomer')).toBe(0);
      expect(slots(file).get('d0')).toBeNull();
      expect(await deliverAll(delivery, 'newcomer')).toEqual([taken.messageId]);

      // The others are used again, so d0 gets slot 0 back from the newcomer, with a new frontier:
      // the delivery connection, which has not claimed for d0 since, must not walk its old queue
      // (the newcomer's event carries bit 0 too).
      for (const name of others) await ingest.append([to(name, 'fay')], WINDOW);
      for (const name of others) await deliverAll(delivery, name);
      const again = to('d0', 'eve');
      await ingest.append([again], WINDOW);
      expect(slots(file).get('d0')).toBe(0);
      const next = to('newcomer', 'gus');
      await ingest.append([next], WINDOW);
      expect(await deliverAll(delivery, 'd0')).toEqual([again.messageId]);
      expect(await deliverAll(delivery, 'newcomer')).toEqual([next.messageId]);
    } finally {
      await delivery.close();
      await ingest.close();
    }
  });

  it("a late result for a job forgotten meanwhile never moves back the frontier of the destination's new slot", async () => {
    const file = storeFile();
    // Not sharing in-flight counts: the ingest connection does not see the delivery one's claim.
    const delivery = openSqliteStore({ file });
    const ingest = openSqliteStore({ file });
    try {
      const others = names(SLOTS).slice(1);
      await ingest.append([to('d0', 'pat')], WINDOW);
      for (const name of others) await ingest.append([to(name)], WINDOW);
      for (const name of others) await deliverAll(delivery, name);
      const [held] = await delivery.claim('d0', NOW);
      await ingest.forgetPerson('pat');
      // The others are used after d0's claim; then d0 gives its slot up and takes d1's.
      const since = others.map((name) => to(name, 'bob'));
      for (const e of since) await ingest.append([e], WINDOW);
      for (const name of others) await deliverAll(delivery, name);
      await ingest.append([to('newcomer')], WINDOW);
      const again = to('d0', 'eve');
      await ingest.append([again], WINDOW);
      expect(slots(file).get('d0')).toBe(1);

      await delivery.complete({
        destination: 'd0',
        now: T0,
        results: [{ jobId: held!.id, outcome: 'delivered' }],
      });
      // d1's event since then carries slot 1 too: it is not d0's.
      expect(await deliverAll(delivery, 'd0')).toEqual([again.messageId]);
    } finally {
      await delivery.close();
      await ingest.close();
    }
  });

  it('migrates a version 6 database: each destination keeps its id as its slot and its queue', async () => {
    const file = storeFile();
    const db = databaseAtVersion(file, 6);
    db.exec(`
      INSERT INTO destinations (id, name, unfinished, frontier) VALUES (1, 'prod', 2, 0), (2, 'staging', 0, 1);
      INSERT INTO events (id, source, message_id, person, received_at, refs, dests, body) VALUES
        (1, 'web', 'a1', 'ann', ${T0}, 1, 6, '{}'), (2, 'web', 'a2', 'ann', ${T0}, 1, 2, '{}');
      UPDATE meta SET value = 3 WHERE key = 'next_event_id';
    `);
    db.close();
    await withStore(file, async (store) => {
      expect(slots(file)).toEqual(
        new Map([
          ['prod', 1],
          ['staging', 2],
        ]),
      );
      expect(await deliverAll(store, 'prod')).toEqual(['a1', 'a2']);
      expect(await deliverAll(store, 'staging')).toEqual([]);
    });
  });
});
