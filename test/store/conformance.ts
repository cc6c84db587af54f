/**
 * The behaviour every Store must have (SQLite now, PostgreSQL later): call
 * `describeStoreConformance(name, open)` from a test file; `open` gives a fresh, empty store.
 * Times are explicit numbers, never the clock, so nothing here depends on timing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { JobResult, NewEvent, Store } from '../../src/store/index.js';
import { HELD_BACK_WINDOWS } from '../../src/store/limits.js';
import { WALK_ON_PAUSE_MS } from '../../src/store/walk-on.js';

const T0 = 1_700_000_000_000;
const DAY = 86_400_000;
const WINDOW = { dedupeWindowMs: DAY };

let seq = 0;
/** An event; `messageId` defaults to a fresh one, `destinations` to ['prod']. */
export function event(personKey: string, overrides: Partial<NewEvent> = {}): NewEvent {
  seq++;
  const messageId = overrides.messageId ?? `m-${seq}`;
  return {
    source: 'web',
    messageId,
    personKey,
    body: JSON.stringify({ type: 'track', event: 'Order', messageId, userId: personKey }),
    receivedAt: T0,
    destinations: ['prod'],
    ...overrides,
  };
}

const delivered = (jobId: number): JobResult => ({ jobId, outcome: 'delivered' });
const retry = (jobId: number, dueAt: number): JobResult => ({
  jobId,
  outcome: 'retry',
  dueAt,
  error: { code: 'http_500', message: 'Customer.io answered 500', status: 500 },
});
const dead = (jobId: number): JobResult => ({
  jobId,
  outcome: 'dead',
  error: { code: 'http_400', message: 'Customer.io answered 400', status: 400 },
  exchange: {
    method: 'POST',
    url: 'https://track.customer.io/api/v2/batch',
    requestBody: '{"type":"person"}',
    status: 400,
    responseBody: '{"errors":[]}',
    durationMs: 12,
  },
});

export function describeStoreConformance(name: string, open: () => Promise<Store>): void {
  describe(`${name} store conformance`, () => {
    const stores: Store[] = [];
    async function fresh(): Promise<Store> {
      const store = await open();
      stores.push(store);
      return store;
    }
    afterEach(async () => {
      for (const store of stores.splice(0)) await store.close();
    });

    const claimAll = (store: Store, now = T0, destination = 'prod') =>
      store.claim(destination, { limit: 1000, now, ordered: true });
    const people = (jobs: { personKey: string; messageId: string }[]) =>
      jobs.map((j) => `${j.personKey}:${j.messageId}`);

    describe('append', () => {
      it('stores one job per destination, claimed in arrival order with the event as stored', async () => {
        const store = await fresh();
        const a = event('ann', { destinations: ['prod', 'staging'] });
        const b = event('bob');
        expect(await store.append([a, b], WINDOW)).toEqual({ duplicates: [] });

        const prod = await claimAll(store);
        expect(prod.map((j) => j.messageId)).toEqual([a.messageId, b.messageId]);
        expect(prod[0]).toMatchObject({
          destination: 'prod',
          source: 'web',
          messageId: a.messageId,
          personKey: 'ann',
          body: a.body,
          receivedAt: T0,
          attempts: 0,
          firstAttemptAt: null,
        });
        expect(prod[1]!.id).toBeGreaterThan(prod[0]!.id);
        const staging = await claimAll(store, T0, 'staging');
        expect(staging.map((j) => j.messageId)).toEqual([a.messageId]);
        expect(staging[0]!.eventId).toBe(prod[0]!.eventId);
      });

      it('stores no job for an event without destinations', async () => {
        const store = await fresh();
        expect(await store.append([event('ann', { destinations: [] })], WINDOW)).toEqual({ duplicates: [] });
        expect((await store.stats('prod', T0)).queued).toBe(0);
      });

      it('reports duplicates (same source and messageId within the window) by input position', async () => {
        const store = await fresh();
        const first = event('ann', { messageId: 'dup' });
        await store.append([first], WINDOW);
        const result = await store.append(
          [
            event('ann', { messageId: 'dup', receivedAt: T0 + DAY - 1 }),
            event('ann', { messageId: 'other' }),
            event('ann', { messageId: 'other' }),
            event('ann', { messageId: 'dup', source: 'ios' }),
          ],
          WINDOW,
        );
        expect(result.duplicates).toEqual([0, 2]);
        expect((await claimAll(store)).map((j) => `${j.source}/${j.messageId}`)).toEqual([
          'web/dup',
          'web/other',
          'ios/dup',
        ]);
      });

      it('accepts a messageId again once the window has passed, and never dedupes with a window of 0', async () => {
        const store = await fresh();
        await store.append([event('ann', { messageId: 'x' })], WINDOW);
        expect(await store.append([event('ann', { messageId: 'x', receivedAt: T0 + DAY })], WINDOW)).toEqual({
          duplicates: [],
        });
        // The key now dates from T0 + DAY.
        expect(
          (await store.append([event('ann', { messageId: 'x', receivedAt: T0 + DAY + 1 })], WINDOW))
            .duplicates,
        ).toEqual([0]);
        const off = { dedupeWindowMs: 0 };
        await store.append([event('bob', { messageId: 'y' }), event('bob', { messageId: 'y' })], off);
        expect((await store.stats('prod', T0)).queued).toBe(4);
      });

      it('answers each concurrent caller with its own duplicates; the first caller wins', async () => {
        const store = await fresh();
        const [one, two] = await Promise.all([
          store.append([event('ann', { messageId: 'a' }), event('ann', { messageId: 'b' })], WINDOW),
          store.append([event('bob', { messageId: 'c' }), event('bob', { messageId: 'a' })], WINDOW),
        ]);
        expect(one).toEqual({ duplicates: [] });
        expect(two).toEqual({ duplicates: [1] });
        expect(people(await claimAll(store))).toEqual(['ann:a', 'ann:b', 'bob:c']);
      });
    });

    describe('claim', () => {
      it('marks claimed jobs in flight: they are not claimed again', async () => {
        const store = await fresh();
        await store.append([event('ann'), event('bob')], WINDOW);
        expect(await store.claim('prod', { limit: 1, now: T0, ordered: true })).toHaveLength(1);
        expect(await store.claim('prod', { limit: 5, now: T0, ordered: true })).toHaveLength(1);
        expect(await claimAll(store)).toEqual([]);
        expect(await store.stats('prod', T0)).toMatchObject({ queued: 0, inFlight: 2 });
      });

      it('claims nothing for an unknown destination', async () => {
        const store = await fresh();
        expect(await claimAll(store, T0, 'nowhere')).toEqual([]);
      });

      it('keeps a person in order: later jobs wait while an earlier one is in flight, others flow', async () => {
        const store = await fresh();
        await store.append(
          [
            event('ann', { messageId: 'a1' }),
            event('ann', { messageId: 'a2' }),
            event('bob', { messageId: 'b1' }),
            event('ann', { messageId: 'a3' }),
            event('bob', { messageId: 'b2' }),
          ],
          WINDOW,
        );
        const first = await store.claim('prod', { limit: 1, now: T0, ordered: true });
        expect(people(first)).toEqual(['ann:a1']);
        expect(people(await claimAll(store))).toEqual(['bob:b1', 'bob:b2']);
        expect(await claimAll(store)).toEqual([]);
      });

      it('claims a person’s later jobs in the same call as the earlier ones, in order', async () => {
        const store = await fresh();
        await store.append(
          [
            event('ann', { messageId: 'a1' }),
            event('bob', { messageId: 'b1' }),
            event('ann', { messageId: 'a2' }),
          ],
          WINDOW,
        );
        expect(people(await claimAll(store))).toEqual(['ann:a1', 'bob:b1', 'ann:a2']);
      });

      it('does not claim a later job when the limit stops the walk before its earlier one', async () => {
        const store = await fresh();
        await store.append([event('ann', { messageId: 'a1' }), event('ann', { messageId: 'a2' })], WINDOW);
        expect(people(await store.claim('prod', { limit: 1, now: T0, ordered: true }))).toEqual(['ann:a1']);
        expect(await claimAll(store)).toEqual([]);
      });

      it('a job sent back (retry or release) from among several in flight holds back its person again', async () => {
        const store = await fresh();
        await store.append(
          ['a1', 'b1', 'c1', 'a2', 'c2'].map((id) => event(`${id[0]}-person`, { messageId: id })),
          WINDOW,
        );
        const first = await store.claim('prod', { limit: 3, now: T0, ordered: true });
        expect(first.map((job) => job.messageId)).toEqual(['a1', 'b1', 'c1']);
        const [a1, b1, c1] = first;
        await store.complete({
          destination: 'prod',
          now: T0,
          results: [
            {
              jobId: a1!.id,
              outcome: 'retry',
              dueAt: T0 + 1000,
              error: { code: 'http_503', message: '503' },
            },
            { jobId: b1!.id, outcome: 'delivered' },
            { jobId: c1!.id, outcome: 'release' },
          ],
        });
        // a2 waits behind a1's retry; c1 comes again before c2
        expect((await claimAll(store)).map((job) => job.messageId)).toEqual(['c1', 'c2']);
        expect((await claimAll(store, T0 + 1000)).map((job) => job.messageId)).toEqual(['a1', 'a2']);
      });

      it('holds a person back while a retry is not due, and claims in order once it is', async () => {
        const store = await fresh();
        await store.append(
          [
            event('ann', { messageId: 'a1' }),
            event('ann', { messageId: 'a2' }),
            event('bob', { messageId: 'b1' }),
          ],
          WINDOW,
        );
        const [a1] = await store.claim('prod', { limit: 1, now: T0, ordered: true });
        await store.complete({ destination: 'prod', now: T0 + 10, results: [retry(a1!.id, T0 + 5000)] });
        expect(people(await claimAll(store, T0 + 4999))).toEqual(['bob:b1']);
        const again = await claimAll(store, T0 + 5000);
        expect(people(again)).toEqual(['ann:a1', 'ann:a2']);
        expect(again[0]).toMatchObject({ id: a1!.id, attempts: 1, firstAttemptAt: T0 + 10 });
        expect(again[1]).toMatchObject({ attempts: 0, firstAttemptAt: null });
      });

      it('does not let a person waiting for a retry hold back the others, however many are delivered meanwhile', async () => {
        const store = await fresh();
        await store.append([event('ann', { messageId: 'a1' })], WINDOW);
        const [a1] = await claimAll(store);
        await store.complete({ destination: 'prod', now: T0, results: [retry(a1!.id, T0 + 60_000)] });
        await store.append([event('ann', { messageId: 'a2' })], WINDOW);
        // Many more jobs delivered behind a2 than one claim looks at (scanLimit: 20 × limit).
        for (let round = 0; round < 30; round++) {
          const ids = Array.from({ length: 10 }, (_, i) => `r${round}-${i}`);
          await store.append(
            ids.map((messageId, i) => event(`p${i}`, { messageId })),
            WINDOW,
          );
          const jobs = await store.claim('prod', { limit: 10, now: T0 + 1, ordered: true });
          expect(jobs.map((j) => j.messageId)).toEqual(ids);
          await store.complete({
            destination: 'prod',
            now: T0 + 1,
            results: jobs.map((j) => delivered(j.id)),
          });
        }
        expect(await store.stats('prod', T0 + 1)).toMatchObject({
          queued: 1,
          inFlight: 0,
          retrying: 1,
          delivered: 300,
        });
        expect(people(await claimAll(store, T0 + 60_000))).toEqual(['ann:a1', 'ann:a2']);
      });

      it('after walking past held-back jobs for nothing, walks past them again once WALK_ON_PAUSE_MS has passed', async () => {
        const store = await fresh();
        await store.append(
          Array.from({ length: 9 }, (_, i) => event('ann', { messageId: `a${i}` })),
          WINDOW,
        );
        await store.claim('prod', { limit: 1, now: T0, ordered: true });
        const claim = (now: number) => store.claim('prod', { limit: 1, now, ordered: true, scanLimit: 4 });
        // ann's 8 other jobs wait behind a0, and nothing else is queued: a walk for nothing.
        expect(await claim(T0)).toEqual([]);
        await store.append([event('bob', { messageId: 'b1' })], WINDOW);
        // Within the pause a store may stop at scanLimit (PostgreSQL) or go on where it stopped (SQLite).
        const soon = await claim(T0 + 1);
        const later = soon.length > 0 ? soon : await claim(T0 + 1 + WALK_ON_PAUSE_MS);
        expect(people(later)).toEqual(['bob:b1']);
      });

      it('does not stop when the head of the queue holds more jobs held back than one claim looks at', async () => {
        const store = await fresh();
        await store.append([event('ann', { messageId: 'a0' })], WINDOW);
        const [a0] = await claimAll(store);
        await store.complete({ destination: 'prod', now: T0, results: [retry(a0!.id, T0 + 60_000)] });
        await store.append(
          Array.from({ length: 300 }, (_, i) => event('ann', { messageId: `a${i + 1}` })),
          WINDOW,
        );
        await store.append(
          Array.from({ length: 30 }, (_, i) => event(`p${i}`, { messageId: `p${i}` })),
          WINDOW,
        );
        // 300 of ann's jobs wait behind a0's retry, more than a claim of 10 looks at (200).
        for (let round = 0; round < 3; round++) {
          const jobs = await store.claim('prod', { limit: 10, now: T0 + 1, ordered: true });
          expect(jobs.map((j) => j.messageId)).toEqual(
            Array.from({ length: 10 }, (_, i) => `p${round * 10 + i}`),
          );
          await store.complete({
            destination: 'prod',
            now: T0 + 1,
            results: jobs.map((j) => delivered(j.id)),
          });
        }
        const due = await store.claim('prod', { limit: 1000, now: T0 + 60_000, ordered: true });
        expect(due.map((j) => j.messageId)).toEqual(Array.from({ length: 301 }, (_, i) => `a${i}`));
      });

      it('takes a held-back person’s jobs first once the person is free, in order with what came after', async () => {
        const store = await fresh();
        await store.append([event('ann', { messageId: 'a1' })], WINDOW);
        const [a1] = await claimAll(store);
        await store.append(
          ['a2', 'b1', 'a3', 'b2'].map((id) => event(id.startsWith('a') ? 'ann' : 'bob', { messageId: id })),
          WINDOW,
        );
        const bobs = await claimAll(store);
        expect(people(bobs)).toEqual(['bob:b1', 'bob:b2']);
        await store.complete({ destination: 'prod', now: T0, results: [delivered(a1!.id)] });
        await store.append([event('bob', { messageId: 'b3' }), event('ann', { messageId: 'a4' })], WINDOW);
        // ann is free, bob's b1 and b2 are still in flight.
        expect(people(await claimAll(store))).toEqual(['ann:a2', 'ann:a3', 'ann:a4']);
        await store.complete({ destination: 'prod', now: T0, results: bobs.map((j) => delivered(j.id)) });
        expect(people(await claimAll(store))).toEqual(['bob:b3']);
      });

      it('ignores persons when ordered is false', async () => {
        const store = await fresh();
        await store.append([event('ann', { messageId: 'a1' }), event('ann', { messageId: 'a2' })], WINDOW);
        const [a1] = await store.claim('prod', { limit: 1, now: T0, ordered: false });
        expect(people(await store.claim('prod', { limit: 10, now: T0, ordered: false }))).toEqual(['ann:a2']);
        await store.complete({ destination: 'prod', now: T0, results: [retry(a1!.id, T0 + 1000)] });
        expect(await store.claim('prod', { limit: 10, now: T0, ordered: false })).toEqual([]);
        expect(people(await store.claim('prod', { limit: 10, now: T0 + 1000, ordered: false }))).toEqual([
          'ann:a1',
        ]);
      });

      it('walks past jobs held back behind their person, up to HELD_BACK_WINDOWS × scanLimit of them', async () => {
        const store = await fresh();
        const ann = (n: number) => Array.from({ length: n }, (_, i) => event('ann', { messageId: `a${i}` }));
        await store.append([...ann(9), event('bob', { messageId: 'b1' })], WINDOW);
        await store.claim('prod', { limit: 1, now: T0, ordered: true });
        // ann's other 8 jobs wait behind the one in flight: more than scanLimit, walked past.
        expect(people(await store.claim('prod', { limit: 1, now: T0, ordered: true, scanLimit: 4 }))).toEqual(
          ['bob:b1'],
        );

        const crowded = await fresh();
        await crowded.append([...ann(HELD_BACK_WINDOWS * 4 + 2), event('bob', { messageId: 'b1' })], WINDOW);
        await crowded.claim('prod', { limit: 1, now: T0, ordered: true });
        // More than HELD_BACK_WINDOWS × scanLimit held back: this claim gives up before bob.
        expect(await crowded.claim('prod', { limit: 1, now: T0, ordered: true, scanLimit: 4 })).toEqual([]);
      });
    });

    describe('complete', () => {
      it('delivered and filtered jobs are gone and counted', async () => {
        const store = await fresh();
        await store.append([event('ann'), event('bob'), event('cy')], WINDOW);
        const [a, b] = await store.claim('prod', { limit: 2, now: T0, ordered: true });
        await store.complete({
          destination: 'prod',
          now: T0 + 1,
          results: [
            delivered(a!.id),
            { jobId: b!.id, outcome: 'filtered', reason: 'no subscription matched' },
          ],
        });
        expect(await store.stats('prod', T0 + 1)).toEqual({
          queued: 1,
          inFlight: 0,
          retrying: 0,
          dead: 0,
          delivered: 1,
          filtered: 1,
          nextDueAt: null,
        });
        expect((await claimAll(store)).map((j) => j.personKey)).toEqual(['cy']);
      });

      it('a retry counts an attempt, keeps the first attempt time and waits until it is due', async () => {
        const store = await fresh();
        await store.append([event('ann')], WINDOW);
        let [job] = await claimAll(store);
        await store.complete({ destination: 'prod', now: T0 + 100, results: [retry(job!.id, T0 + 1000)] });
        expect(await store.stats('prod', T0 + 999)).toMatchObject({
          queued: 0,
          retrying: 1,
          nextDueAt: T0 + 1000,
        });
        expect(await store.stats('prod', T0 + 1000)).toMatchObject({
          queued: 1,
          retrying: 0,
          nextDueAt: null,
        });
        [job] = await claimAll(store, T0 + 1000);
        await store.complete({ destination: 'prod', now: T0 + 1100, results: [retry(job!.id, T0 + 3000)] });
        [job] = await claimAll(store, T0 + 3000);
        expect(job).toMatchObject({ attempts: 2, firstAttemptAt: T0 + 100 });
      });

      it('release puts a job back unchanged, without a log entry', async () => {
        const store = await fresh();
        await store.append([event('ann')], WINDOW);
        const [job] = await claimAll(store);
        await store.complete({
          destination: 'prod',
          now: T0,
          results: [{ jobId: job!.id, outcome: 'release' }],
        });
        expect(await store.stats('prod', T0)).toMatchObject({ queued: 1, inFlight: 0 });
        expect(await claimAll(store)).toEqual([job]);
        expect(await store.searchLog({})).toEqual([]);
      });

      it('a dead job becomes a dead letter keeping the event, the error and the exchange', async () => {
        const store = await fresh();
        const e = event('ann');
        await store.append([e], WINDOW);
        let [job] = await claimAll(store);
        await store.complete({ destination: 'prod', now: T0 + 10, results: [retry(job!.id, T0 + 20)] });
        [job] = await claimAll(store, T0 + 20);
        await store.complete({ destination: 'prod', now: T0 + 30, results: [dead(job!.id)] });
        expect(await store.stats('prod', T0 + 30)).toMatchObject({ queued: 0, inFlight: 0, dead: 1 });
        const letters = await store.listDeadLetters({});
        expect(letters).toEqual([
          {
            id: letters[0]!.id,
            destination: 'prod',
            source: 'web',
            messageId: e.messageId,
            personKey: 'ann',
            event: e.body,
            receivedAt: T0,
            attempts: 2,
            firstAttemptAt: T0 + 10,
            deadAt: T0 + 30,
            error: { code: 'http_400', message: 'Customer.io answered 400', status: 400 },
            exchange: dead(0).exchange,
          },
        ]);
        expect(await store.getDeadLetter(letters[0]!.id)).toEqual(letters[0]);
        expect(await store.getDeadLetter(letters[0]!.id + 1000)).toBeUndefined();
      });

      it('ignores results for jobs that are not in flight', async () => {
        const store = await fresh();
        await store.append([event('ann'), event('bob')], WINDOW);
        const [job] = await store.claim('prod', { limit: 1, now: T0, ordered: true });
        await store.complete({ destination: 'prod', now: T0, results: [delivered(job!.id)] });
        await store.complete({
          destination: 'prod',
          now: T0,
          results: [delivered(job!.id), delivered(job!.id + 1)],
        });
        expect(await store.stats('prod', T0)).toMatchObject({ queued: 1, inFlight: 0, delivered: 1 });
        expect(await store.searchLog({})).toHaveLength(1);
      });
    });

    describe('dead letters', () => {
      /** Appends `count` events for ann then bob..., claims them and kills them all. */
      async function deadLetters(store: Store, messageIds: string[], destination = 'prod') {
        await store.append(
          messageIds.map((m) => event(`p-${m}`, { messageId: m, destinations: [destination] })),
          WINDOW,
        );
        const jobs = await claimAll(store, T0, destination);
        await store.complete({ destination, now: T0 + 1, results: jobs.map((j) => dead(j.id)) });
      }

      it('lists oldest first, by destination, paged with afterId', async () => {
        const store = await fresh();
        await deadLetters(store, ['d1', 'd2', 'd3']);
        await deadLetters(store, ['s1'], 'staging');
        const all = await store.listDeadLetters({});
        expect(all.map((d) => d.messageId)).toEqual(['d1', 'd2', 'd3', 's1']);
        expect((await store.listDeadLetters({ destination: 'staging' })).map((d) => d.messageId)).toEqual([
          's1',
        ]);
        expect((await store.listDeadLetters({ limit: 2 })).map((d) => d.messageId)).toEqual(['d1', 'd2']);
        expect(
          (await store.listDeadLetters({ afterId: all[1]!.id, limit: 1 })).map((d) => d.messageId),
        ).toEqual(['d3']);
        expect(await store.listDeadLetters({ destination: 'nowhere' })).toEqual([]);
      });

      it('replays as fresh jobs after every existing job of the destination, attempts reset', async () => {
        const store = await fresh();
        await deadLetters(store, ['d1', 'd2']);
        await store.append([event('p-d1', { messageId: 'later' }), event('zoe', { messageId: 'z' })], WINDOW);
        const [letter] = await store.listDeadLetters({});
        expect(await store.replayDeadLetters({ ids: [letter!.id] }, T0 + 2)).toBe(1);
        expect(await store.getDeadLetter(letter!.id)).toBeUndefined();
        expect(await store.stats('prod', T0 + 2)).toMatchObject({ queued: 3, dead: 1 });

        const jobs = await claimAll(store, T0 + 2);
        expect(people(jobs)).toEqual(['p-d1:later', 'zoe:z', 'p-d1:d1']);
        expect(jobs[2]).toMatchObject({
          attempts: 0,
          firstAttemptAt: null,
          body: letter!.event,
          receivedAt: T0,
        });
        expect(jobs[2]!.id).toBeGreaterThan(jobs[1]!.id);
      });

      it('replays and drops by ids, by destination or all; an empty selection matches nothing', async () => {
        const store = await fresh();
        await deadLetters(store, ['d1', 'd2', 'd3']);
        await deadLetters(store, ['s1', 's2'], 'staging');
        expect(await store.replayDeadLetters({}, T0)).toBe(0);
        expect(await store.replayDeadLetters({ ids: [] }, T0)).toBe(0);
        expect(await store.dropDeadLetters({})).toBe(0);
        expect(await store.dropDeadLetters({ destination: 'nowhere' })).toBe(0);

        const [d1] = await store.listDeadLetters({});
        expect(await store.dropDeadLetters({ ids: [d1!.id, 999_999] })).toBe(1);
        expect(await store.replayDeadLetters({ destination: 'staging' }, T0)).toBe(2);
        expect((await store.listDeadLetters({})).map((d) => d.messageId)).toEqual(['d2', 'd3']);
        expect(people(await claimAll(store, T0, 'staging'))).toEqual(['p-s1:s1', 'p-s2:s2']);
        expect(await store.dropDeadLetters({ all: true })).toBe(2);
        expect(await store.listDeadLetters({})).toEqual([]);
        expect((await store.stats('prod', T0)).dead).toBe(0);
      });
    });

    describe('delivery log', () => {
      async function history(store: Store) {
        await store.append(
          [
            event('ann', { messageId: 'a1', destinations: ['prod', 'staging'] }),
            event('bob', { messageId: 'b1' }),
            event('ann', { messageId: 'a2' }),
          ],
          WINDOW,
        );
        const [a1, b1, a2] = await claimAll(store);
        await store.complete({ destination: 'prod', now: T0 + 1, results: [retry(a1!.id, T0 + 2)] });
        await store.complete({ destination: 'prod', now: T0 + 2, results: [delivered(b1!.id)] });
        const [s1] = await claimAll(store, T0, 'staging');
        await store.complete({
          destination: 'staging',
          now: T0 + 3,
          results: [{ jobId: s1!.id, outcome: 'filtered', reason: 'no subscription matched' }],
        });
        await store.complete({ destination: 'prod', now: T0 + 4, results: [dead(a2!.id)] });
      }
      const summary = (entries: { messageId: string; destination: string; outcome: string }[]) =>
        entries.map((e) => `${e.destination}:${e.messageId}:${e.outcome}`);

      it('keeps one entry per result with the event as received, newest first', async () => {
        const store = await fresh();
        await history(store);
        const entries = await store.searchLog({});
        expect(summary(entries)).toEqual([
          'prod:a2:dead',
          'staging:a1:filtered',
          'prod:b1:delivered',
          'prod:a1:retry',
        ]);
        const [deadEntry, filteredEntry, deliveredEntry, retryEntry] = entries;
        expect(retryEntry).toMatchObject({
          at: T0 + 1,
          personKey: 'ann',
          attempts: 1,
          error: { code: 'http_500', status: 500 },
        });
        expect(JSON.parse(retryEntry!.event)).toMatchObject({ messageId: 'a1', userId: 'ann' });
        expect(deliveredEntry).toMatchObject({ attempts: 1 });
        expect(deliveredEntry!.error).toBeUndefined();
        expect(filteredEntry).toMatchObject({ reason: 'no subscription matched' });
        expect(deadEntry).toMatchObject({ exchange: dead(0).exchange, error: { code: 'http_400' } });
        expect(entries[0]!.id).toBeGreaterThan(entries[1]!.id);
      });

      it('searches by messageId, person, destination and outcome, paged with beforeId', async () => {
        const store = await fresh();
        await history(store);
        expect(summary(await store.searchLog({ messageId: 'a1' }))).toEqual([
          'staging:a1:filtered',
          'prod:a1:retry',
        ]);
        expect(summary(await store.searchLog({ personKey: 'ann', destination: 'prod' }))).toEqual([
          'prod:a2:dead',
          'prod:a1:retry',
        ]);
        expect(summary(await store.searchLog({ destination: 'staging' }))).toEqual(['staging:a1:filtered']);
        expect(summary(await store.searchLog({ outcome: 'delivered' }))).toEqual(['prod:b1:delivered']);
        expect(summary(await store.searchLog({ outcome: 'retry', personKey: 'ann' }))).toEqual([
          'prod:a1:retry',
        ]);
        expect(await store.searchLog({ destination: 'nowhere' })).toEqual([]);

        const page1 = await store.searchLog({ limit: 2 });
        const page2 = await store.searchLog({ limit: 2, beforeId: page1[1]!.id });
        expect(summary([...page1, ...page2])).toEqual(summary(await store.searchLog({})));
      });
    });

    describe('prune', () => {
      const keep = { dedupeWindowMs: DAY, logMaxEntries: 1000, logMaxAgeMs: DAY };

      async function deliverAll(store: Store, now: number) {
        const jobs = await claimAll(store, now);
        await store.complete({ destination: 'prod', now, results: jobs.map((j) => delivered(j.id)) });
      }

      it('trims the log to the newest logMaxEntries', async () => {
        const store = await fresh();
        await store.append([event('ann', { messageId: 'a1' }), event('bob', { messageId: 'b1' })], WINDOW);
        await deliverAll(store, T0);
        await store.append([event('cy', { messageId: 'c1' })], WINDOW);
        await deliverAll(store, T0 + 1);
        await store.prune({ ...keep, now: T0 + 2, logMaxEntries: 1 });
        expect((await store.searchLog({})).map((e) => e.messageId)).toEqual(['c1']);
        expect((await store.searchLog({}))[0]!.event).toContain('"c1"');
        await store.prune({ ...keep, now: T0 + 2, logMaxEntries: 0 });
        expect(await store.searchLog({})).toEqual([]);
        expect((await store.stats('prod', T0)).delivered).toBe(3);
      });

      it('drops log entries older than logMaxAgeMs', async () => {
        const store = await fresh();
        await store.append([event('ann', { messageId: 'a1' })], WINDOW);
        await deliverAll(store, T0);
        await store.append([event('bob', { messageId: 'b1' })], WINDOW);
        await deliverAll(store, T0 + 1000);
        await store.prune({ ...keep, now: T0 + 1500, logMaxAgeMs: 1000 });
        expect((await store.searchLog({})).map((e) => e.messageId)).toEqual(['b1']);
      });

      it('keeps what jobs and dead letters need', async () => {
        const store = await fresh();
        await store.append([event('ann', { messageId: 'a1' }), event('bob', { messageId: 'b1' })], WINDOW);
        const [a1, b1] = await claimAll(store);
        await store.complete({
          destination: 'prod',
          now: T0,
          results: [retry(a1!.id, T0 + 10), dead(b1!.id)],
        });
        await store.prune({ ...keep, now: T0 + 10, logMaxEntries: 0 });
        expect(await store.searchLog({})).toEqual([]);
        const [again] = await claimAll(store, T0 + 10);
        expect(again).toMatchObject({ messageId: 'a1', body: a1!.body, attempts: 1 });
        expect(await store.replayDeadLetters({ all: true }, T0 + 10)).toBe(1);
        expect(await claimAll(store, T0 + 10)).toMatchObject([{ messageId: 'b1', body: b1!.body }]);
      });

      it('deletes dead letters past their retention, and keeps them without one', async () => {
        const store = await fresh();
        await store.append([event('ann', { messageId: 'a1' }), event('bob', { messageId: 'b1' })], WINDOW);
        const [a1] = await store.claim('prod', { limit: 1, now: T0, ordered: true });
        await store.complete({ destination: 'prod', now: T0, results: [dead(a1!.id)] });
        const [b1] = await store.claim('prod', { limit: 1, now: T0, ordered: true });
        await store.complete({ destination: 'prod', now: T0 + 1000, results: [dead(b1!.id)] });
        await store.prune({ ...keep, now: T0 + 10_000 });
        expect(await store.listDeadLetters({})).toHaveLength(2);
        await store.prune({ ...keep, now: T0 + 1500, deadLetterMaxAgeMs: 1000 });
        expect((await store.listDeadLetters({})).map((d) => d.messageId)).toEqual(['b1']);
        expect((await store.stats('prod', T0)).dead).toBe(1);
      });

      it('expires dedupe keys older than the window', async () => {
        const store = await fresh();
        await store.append([event('ann', { messageId: 'old' })], WINDOW);
        await store.append([event('ann', { messageId: 'new', receivedAt: T0 + 1000 })], WINDOW);
        await store.prune({ ...keep, now: T0 + 1500, dedupeWindowMs: 1000 });
        // With a longer window again, only the key that was kept still counts.
        const result = await store.append(
          [
            event('ann', { messageId: 'old', receivedAt: T0 + 1600 }),
            event('ann', { messageId: 'new', receivedAt: T0 + 1600 }),
          ],
          WINDOW,
        );
        expect(result.duplicates).toEqual([1]);
      });
    });

    describe('several destinations', () => {
      it('keeps separate queues, counts and states', async () => {
        const store = await fresh();
        await store.append([event('ann', { destinations: ['prod', 'staging'] }), event('bob')], WINDOW);
        const [job] = await store.claim('staging', { limit: 1, now: T0, ordered: true });
        await store.complete({ destination: 'staging', now: T0, results: [delivered(job!.id)] });
        expect(await store.stats('prod', T0)).toMatchObject({ queued: 2, delivered: 0 });
        expect(await store.stats('staging', T0)).toMatchObject({ queued: 0, delivered: 1 });
        // A result names its destination: another destination's job id changes nothing.
        const prod = await claimAll(store);
        await store.complete({ destination: 'staging', now: T0, results: [delivered(prod[0]!.id)] });
        expect(await store.stats('prod', T0)).toMatchObject({ inFlight: 2, delivered: 0 });
      });
    });

    describe('recover', () => {
      it('queues in-flight jobs again without counting an attempt', async () => {
        const store = await fresh();
        await store.append([event('ann'), event('bob')], WINDOW);
        const claimed = await claimAll(store);
        expect(await store.recover()).toBe(2);
        expect(await store.stats('prod', T0)).toMatchObject({ queued: 2, inFlight: 0 });
        expect(await claimAll(store)).toEqual(claimed);
        expect(await store.recover()).toBe(2);
        expect(await store.recover()).toBe(0);
      });

      it('after results out of order across concurrent claims, queues again only what was in flight', async () => {
        const store = await fresh();
        await store.append(
          ['ann', 'bob', 'cy', 'dee', 'eve', 'fay'].map((p) => event(p, { messageId: `${p}1` })),
          WINDOW,
        );
        const first = await store.claim('prod', { limit: 2, now: T0, ordered: true });
        const second = await store.claim('prod', { limit: 2, now: T0, ordered: true });
        const third = await store.claim('prod', { limit: 2, now: T0, ordered: true });
        expect([first, second, third].map((jobs) => jobs.map((j) => j.messageId))).toEqual([
          ['ann1', 'bob1'],
          ['cy1', 'dee1'],
          ['eve1', 'fay1'],
        ]);
        await store.complete({ destination: 'prod', now: T0, results: second.map((j) => delivered(j.id)) });
        await store.complete({
          destination: 'prod',
          now: T0,
          results: [delivered(third[0]!.id), retry(third[1]!.id, T0 + 1000)],
        });
        await store.complete({ destination: 'prod', now: T0, results: [delivered(first[0]!.id)] });
        // bob1 is still in flight when the relay dies.
        expect(await store.recover()).toBe(1);
        expect(await store.stats('prod', T0)).toMatchObject({
          queued: 1,
          inFlight: 0,
          retrying: 1,
          delivered: 4,
        });
        expect(people(await claimAll(store))).toEqual(['bob:bob1']);
        const [fay] = await claimAll(store, T0 + 1000);
        expect(fay).toMatchObject({ messageId: 'fay1', attempts: 1, firstAttemptAt: T0 });
      });

      it('keeps a held-back person in order across a restart, whether or not a result came meanwhile', async () => {
        for (const resultMeanwhile of [false, true]) {
          const store = await fresh();
          await store.append([event('ann', { messageId: 'a1' })], WINDOW);
          const [a1] = await claimAll(store);
          await store.complete({ destination: 'prod', now: T0, results: [retry(a1!.id, T0 + 1000)] });
          await store.append([event('ann', { messageId: 'a2' }), event('bob', { messageId: 'b1' })], WINDOW);
          const [b1] = await claimAll(store);
          expect(b1!.messageId).toBe('b1');
          if (resultMeanwhile)
            await store.complete({ destination: 'prod', now: T0, results: [delivered(b1!.id)] });
          await store.recover();
          expect(await store.stats('prod', T0)).toMatchObject({
            queued: resultMeanwhile ? 1 : 2,
            retrying: 1,
          });
          expect(people(await claimAll(store))).toEqual(resultMeanwhile ? [] : ['bob:b1']);
          expect(people(await claimAll(store, T0 + 1000))).toEqual(['ann:a1', 'ann:a2']);
        }
      });
    });

    describe('forgetPerson', () => {
      it('removes a person’s jobs, events, log entries and dead letters, and nobody else’s', async () => {
        const store = await fresh();
        await store.append(
          [
            event('ann', { messageId: 'a1', destinations: ['prod', 'staging'] }),
            event('bob', { messageId: 'b1' }),
            event('ann', { messageId: 'a2' }),
            event('ann', { messageId: 'a3' }),
            event('bob', { messageId: 'b2' }),
            event('ann', { messageId: 'a4' }),
          ],
          WINDOW,
        );
        const [a1, b1, a2] = await store.claim('prod', { limit: 3, now: T0, ordered: true });
        await store.complete({
          destination: 'prod',
          now: T0 + 1,
          results: [delivered(a1!.id), delivered(b1!.id), dead(a2!.id)],
        });
        // a3 in flight, a4 queued behind it, a1 still queued for staging.
        const [a3] = await store.claim('prod', { limit: 1, now: T0, ordered: true });
        expect(a3!.messageId).toBe('a3');

        expect(await store.forgetPerson('ann')).toEqual({
          jobs: 3,
          events: 4,
          logEntries: 2,
          deadLetters: 1,
        });
        expect(await store.searchLog({ personKey: 'ann' })).toEqual([]);
        expect((await store.searchLog({})).map((e) => e.messageId)).toEqual(['b1']);
        expect(await store.listDeadLetters({})).toEqual([]);
        expect(await store.stats('prod', T0)).toMatchObject({
          queued: 1,
          inFlight: 0,
          delivered: 2,
          dead: 0,
        });
        expect(await store.stats('staging', T0)).toMatchObject({ queued: 0 });
        // The late result of the job that was in flight changes nothing.
        await store.complete({ destination: 'prod', now: T0 + 2, results: [delivered(a3!.id)] });
        expect(await store.stats('prod', T0)).toMatchObject({ delivered: 2, inFlight: 0 });
        expect(people(await claimAll(store))).toEqual(['bob:b2']);
        expect(await store.forgetPerson('nobody')).toEqual({
          jobs: 0,
          events: 0,
          logEntries: 0,
          deadLetters: 0,
        });
      });

      it('forgets the jobs held back behind a retry too', async () => {
        const store = await fresh();
        await store.append([event('ann', { messageId: 'a1' })], WINDOW);
        const [a1] = await claimAll(store);
        await store.complete({ destination: 'prod', now: T0, results: [retry(a1!.id, T0 + 1000)] });
        await store.append(
          [
            event('ann', { messageId: 'a2' }),
            event('bob', { messageId: 'b1' }),
            event('ann', { messageId: 'a3' }),
          ],
          WINDOW,
        );
        const [b1] = await claimAll(store);
        await store.complete({ destination: 'prod', now: T0, results: [delivered(b1!.id)] });
        await store.append([event('ann', { messageId: 'a4' }), event('bob', { messageId: 'b2' })], WINDOW);
        expect(people(await claimAll(store))).toEqual(['bob:b2']);

        expect(await store.forgetPerson('ann')).toMatchObject({ jobs: 4, events: 4 });
        expect(await store.stats('prod', T0 + 1000)).toMatchObject({ queued: 0, inFlight: 1, retrying: 0 });
        expect(await claimAll(store, T0 + 1000)).toEqual([]);
      });

      it('forgets jobs waiting for a retry, and a late result (dead, retry) brings nothing back', async () => {
        const store = await fresh();
        await store.append(
          [
            event('ann', { messageId: 'a1' }),
            event('ann', { messageId: 'a2' }),
            event('bob', { messageId: 'b1' }),
          ],
          WINDOW,
        );
        const [a1] = await store.claim('prod', { limit: 1, now: T0, ordered: true });
        await store.complete({ destination: 'prod', now: T0 + 1, results: [retry(a1!.id, T0 + 60_000)] });
        const again = await store.claim('prod', { limit: 10, now: T0 + 60_000, ordered: true });
        expect(people(again)).toEqual(['ann:a1', 'ann:a2', 'bob:b1']);

        // a1 (retried once, so it has a log entry) and a2 are in flight when ann is forgotten.
        expect(await store.forgetPerson('ann')).toEqual({
          jobs: 2,
          events: 2,
          logEntries: 1,
          deadLetters: 0,
        });
        const [, a2, b1] = again;
        await store.complete({
          destination: 'prod',
          now: T0 + 60_001,
          results: [dead(again[0]!.id), retry(a2!.id, T0 + 120_000), delivered(b1!.id)],
        });
        expect(await store.searchLog({ personKey: 'ann' })).toEqual([]);
        expect(await store.listDeadLetters({})).toEqual([]);
        expect(await store.stats('prod', T0 + 200_000)).toMatchObject({
          queued: 0,
          inFlight: 0,
          retrying: 0,
          dead: 0,
          delivered: 1,
        });
        expect(await claimAll(store, T0 + 200_000)).toEqual([]);
        expect(await store.forgetPerson('ann')).toEqual({
          jobs: 0,
          events: 0,
          logEntries: 0,
          deadLetters: 0,
        });
      });

      // The regulation API appends the Delete Person right after forgetting: a batch of the person
      // still on its way could recreate them in Customer.io if the delete went out first.
      it('holds back what is queued for a forgotten person until their job in flight has its result', async () => {
        const store = await fresh();
        await store.append([event('ann', { messageId: 'a1' }), event('bob', { messageId: 'b1' })], WINDOW);
        const [a1] = await store.claim('prod', { limit: 1, now: T0, ordered: true });
        expect(await store.forgetPerson('ann')).toMatchObject({ jobs: 1, events: 1 });
        await store.append([event('ann', { messageId: 'delete' })], WINDOW);
        const [b1] = await claimAll(store);
        expect(people([b1!])).toEqual(['bob:b1']);
        expect(await claimAll(store)).toEqual([]);
        expect(await store.stats('prod', T0)).toMatchObject({ queued: 1, inFlight: 1 });

        // Whatever its outcome, the forgotten job's result only ends it.
        await store.complete({ destination: 'prod', now: T0 + 1, results: [retry(a1!.id, T0 + 1)] });
        expect(people(await claimAll(store, T0 + 2))).toEqual(['ann:delete']);
        expect(await store.stats('prod', T0 + 2)).toMatchObject({ queued: 0, inFlight: 2, retrying: 0 });
        expect(await store.searchLog({ personKey: 'ann' })).toEqual([]);
      });

      it('queues nothing of a forgotten job in flight when it is released or its claims recovered', async () => {
        const store = await fresh();
        await store.append([event('ann', { messageId: 'a1' }), event('ann', { messageId: 'a2' })], WINDOW);
        const [a1] = await store.claim('prod', { limit: 1, now: T0, ordered: true });
        await store.forgetPerson('ann');
        await store.append([event('ann', { messageId: 'delete' })], WINDOW);
        expect(await claimAll(store)).toEqual([]);
        await store.complete({
          destination: 'prod',
          now: T0 + 1,
          results: [{ jobId: a1!.id, outcome: 'release' }],
        });
        const [del] = await claimAll(store);
        expect(people([del!])).toEqual(['ann:delete']);

        // Forgotten again while the delete is in flight; the relay restarts before its answer.
        await store.forgetPerson('ann');
        await store.append([event('ann', { messageId: 'delete2' })], WINDOW);
        expect(await claimAll(store)).toEqual([]);
        await store.recover();
        expect(people(await claimAll(store))).toEqual(['ann:delete2']);
        expect(await store.stats('prod', T0)).toMatchObject({ queued: 0, inFlight: 1 });
      });
    });

    describe('stats and destination state', () => {
      it('gives zeros for an unknown destination', async () => {
        const store = await fresh();
        expect(await store.stats('nowhere', T0)).toEqual({
          queued: 0,
          inFlight: 0,
          retrying: 0,
          dead: 0,
          delivered: 0,
          filtered: 0,
          nextDueAt: null,
        });
      });

      it('keeps a pause until it is cleared', async () => {
        const store = await fresh();
        expect(await store.destinationState('prod')).toEqual({ paused: null });
        const paused = { code: 'http_401', message: 'Customer.io answered 401', status: 401, at: T0 };
        await store.setPaused('prod', paused);
        expect(await store.destinationState('prod')).toEqual({ paused });
        expect(await store.destinationState('staging')).toEqual({ paused: null });
        await store.setPaused('prod', null);
        expect(await store.destinationState('prod')).toEqual({ paused: null });
      });
    });
  });
}
