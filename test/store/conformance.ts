/**
 * The behaviour every Store must have (SQLite now, PostgreSQL later): call
 * `describeStoreConformance(name, open)` from a test file; `open` gives a fresh, empty store.
 * Times are explicit numbers, never the clock, so nothing here depends on timing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { JobResult, NewEvent, Store } from '../../src/store/index.js';

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

      it('looks at no more than scanLimit unfinished jobs', async () => {
        const store = await fresh();
        const ann = Array.from({ length: 5 }, (_, i) => event('ann', { messageId: `a${i}` }));
        await store.append([...ann, event('bob', { messageId: 'b1' })], WINDOW);
        await store.claim('prod', { limit: 1, now: T0, ordered: true });
        expect(await store.claim('prod', { limit: 1, now: T0, ordered: true, scanLimit: 5 })).toEqual([]);
        expect(people(await store.claim('prod', { limit: 1, now: T0, ordered: true, scanLimit: 6 }))).toEqual(
          ['bob:b1'],
        );
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
