/**
 * Regulations end to end: `POST /admin/regulations` erases a person from the relay's store and
 * deletes or suppresses them in Customer.io (the emulator), durably and after anything of theirs.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type Stack, startStack, waitFor } from './stack.js';

let stack: Stack;
afterEach(async () => {
  await stack?.close();
});

const identify = (userId: string, messageId: string) => ({
  type: 'identify',
  userId,
  messageId,
  traits: { email: `${userId}@example.com`, plan: 'pro' },
});
const track = (userId: string, messageId: string, event = 'Order Completed') => ({
  type: 'track',
  userId,
  messageId,
  event,
  properties: { total: 12 },
});

/** Everything the store still holds about a person, read from its SQLite file. */
function storedAbout(dir: string, person: string) {
  const db = new Database(join(dir, 'relay.db'), { readonly: true });
  try {
    const events = db.prepare('SELECT body FROM events WHERE person = ?').pluck().all(person) as string[];
    return {
      events: events.map((body) => JSON.parse(body).type as string),
      // The only job rows a person has: those waiting for a retry (queued jobs are their events).
      retries: db.prepare('SELECT count(*) FROM retries WHERE person = ?').pluck().get(person),
      deadLetters: db.prepare('SELECT count(*) FROM dead_letters WHERE person = ?').pluck().get(person),
      log: (
        db
          .prepare(
            // A log row holds the entries of one delivery, each naming its event (store/sqlite/log-row.ts).
            `SELECT e.body FROM log l, json_each(l.events) j JOIN events e ON e.id = j.value
             WHERE e.person = ? ORDER BY l.id, j.key`,
          )
          .pluck()
          .all(person) as string[]
      ).map((body) => JSON.parse(body).type as string),
    };
  } finally {
    db.close();
  }
}

type Operation = { type: string; action: string; identifiers?: { id?: string; email?: string } };

/** The v2 batch operations the emulator received for a person id, in order. */
function operationsFor(stack: Stack, id: string): string[] {
  return stack.emulator
    .requests(5000)
    .sort((a, b) => a.seq - b.seq)
    .filter((r) => r.path === '/api/v2/batch' && r.status !== null && r.status < 300 && r.body)
    .flatMap((r) => (JSON.parse(r.body!) as { batch: Operation[] }).batch)
    .filter((op) => op.identifiers?.id === id || op.identifiers?.email === `${id}@example.com`)
    .map((op) => `${op.type}:${op.action}`);
}

describe('POST /admin/regulations', () => {
  it('delete: the person is gone from Customer.io and from the store (events, jobs, log, dead letters)', async () => {
    stack = await startStack();
    // ann: delivered events, and a track whose name Customer.io refuses (a dead letter); bob stays.
    await stack.send('/v1/batch', {
      batch: [
        identify('ann', 'a1'),
        track('ann', 'a2'),
        track('ann', 'a3', 'x'.repeat(150)),
        identify('bob', 'b1'),
        track('bob', 'b2'),
      ],
    });
    await waitFor('ann and bob delivered, ann’s refused event dead', async () => {
      const dead = (await stack.admin('/dead-letters')).body.deadLetters as unknown[];
      return (
        stack.emulator.workspace.person('ann')?.activity.length &&
        stack.emulator.workspace.person('bob') &&
        dead.length === 1
      );
    });

    const answer = await stack.admin('/regulations', { body: { type: 'delete', userIds: ['ann'] } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      success: true,
      type: 'delete',
      people: 1,
      removed: { events: 3, jobs: 0, logEntries: 3, deadLetters: 1 },
      queued: { cio: 1 },
    });

    await waitFor('ann deleted in Customer.io', () => stack.emulator.workspace.person('ann') === undefined);
    expect(stack.emulator.workspace.person('bob')).toBeDefined();
    expect(operationsFor(stack, 'ann').at(-1)).toBe('person:delete');
    await waitFor('the delete recorded as delivered', async () => {
      const log = (await stack.admin('/deliveries?userId=ann')).body.entries as Array<{ outcome: string }>;
      return log.length === 1 && log[0]!.outcome === 'delivered';
    });
    // All that is left of ann is the record of the delete itself (until the log's retention).
    expect(storedAbout(stack.dir, 'ann')).toEqual({
      events: ['regulation'],
      retries: 0,
      deadLetters: 0,
      log: ['regulation'],
    });
    expect(storedAbout(stack.dir, 'bob').events).toEqual(['identify', 'track']);
  });

  it('suppress: the emulator shows the person suppressed, and the store forgot them', async () => {
    stack = await startStack();
    await stack.send('/v1/batch', { batch: [identify('cat', 'c1'), track('cat', 'c2')] });
    await waitFor('cat delivered', () => stack.emulator.workspace.person('cat')?.activity.length);

    const answer = await stack.admin('/regulations', { body: { type: 'suppress', userIds: ['cat'] } });
    expect(answer.body).toMatchObject({ success: true, type: 'suppress', queued: { cio: 1 } });
    await waitFor('cat suppressed', () => {
      const { suppressions } = stack.emulator.workspace.snapshot() as {
        suppressions: Array<{ id?: string }>;
      };
      return suppressions.some((s) => s.id === 'cat');
    });
    expect(stack.emulator.workspace.person('cat')).toBeUndefined();
    expect(operationsFor(stack, 'cat').at(-1)).toBe('person:suppress');
    expect(storedAbout(stack.dir, 'cat').events).toEqual(['regulation']);
  });

  it('sends the delete after Customer.io comes back, and nothing of the person that was queued', async () => {
    stack = await startStack();
    await stack.send('/v1/batch', { batch: [identify('dan', 'd1')] });
    await waitFor('dan delivered', () => stack.emulator.workspace.person('dan'));
    // Customer.io fails: dan's next events wait for a retry in the relay's queue.
    stack.emulator.setFaults({ errorRate: 1, errorStatuses: [503] });
    await stack.send('/v1/batch', { batch: [track('dan', 'd2'), identify('dan', 'd3')] });
    await waitFor('dan’s events retried', async () => {
      const log = (await stack.admin('/deliveries?userId=dan&outcome=retry')).body.entries as unknown[];
      return log.length > 0;
    });

    const answer = await stack.admin('/regulations', { body: { type: 'delete', userIds: ['dan'] } });
    expect(answer.body.removed).toMatchObject({ jobs: 2 });
    // Still failing: the delete waits in the queue like any event.
    await waitFor('the delete retried', async () => {
      const log = (await stack.admin('/deliveries?userId=dan&outcome=retry')).body.entries as unknown[];
      return log.length > 0;
    });
    expect(stack.emulator.workspace.person('dan')).toBeDefined();

    stack.emulator.setFaults({});
    await waitFor(
      'dan deleted once Customer.io is back',
      () => stack.emulator.workspace.person('dan') === undefined,
      20_000,
    );
    // Only the first identify and the delete ever reached Customer.io: d2 and d3 were erased.
    expect(operationsFor(stack, 'dan')).toEqual(['person:identify', 'person:delete']);
  });

  it('sends the delete only after a batch of that person already on its way is answered', async () => {
    stack = await startStack();
    const s = stack;
    s.emulator.setFaults({ latencyMs: 1500 });
    await s.send('/v1/batch', { batch: [identify('eve', 'e1')] });
    await waitFor(
      'the identify in flight',
      async () => (await s.admin('/destinations/cio')).body.destination.stats.inFlight > 0,
    );
    const answer = await s.admin('/regulations', { body: { type: 'delete', userIds: ['eve'] } });
    expect(answer.body.removed).toMatchObject({ jobs: 1 });
    await waitFor(
      'both requests answered',
      () => s.emulator.requests(10).filter((r) => r.status === 200).length === 2,
      20_000,
    );
    const [first, second] = s.emulator.requests(10).sort((a, b) => a.seq - b.seq);
    expect(operationsFor(s, 'eve')).toEqual(['person:identify', 'person:delete']);
    // The delete left the relay once the identify was answered, not while it was still on its way.
    expect(Date.parse(second!.time)).toBeGreaterThanOrEqual(Date.parse(first!.time) + first!.durationMs - 50);
    expect(s.emulator.workspace.person('eve')).toBeUndefined();
  });

  it('answers 400 with the expected shape for a bad body, 401 without the token', async () => {
    stack = await startStack();
    const cases: Array<[unknown, RegExp]> = [
      [undefined, /no JSON object/],
      [{ type: 'erase', userIds: ['a'] }, /type must be "delete" or "suppress" \(got "erase"\)/],
      [{ type: 'delete' }, /userIds must be a non-empty array of strings \(got nothing\)/],
      [{ type: 'delete', userIds: [] }, /userIds must be a non-empty array/],
      [{ type: 'delete', userIds: ['a', 7] }, /userIds\[1\] must be a non-empty string/],
      [{ type: 'delete', userIds: ['a'], user: 'b' }, /unknown field "user"/],
      [{ type: 'delete', userIds: Array.from({ length: 101 }, (_, i) => `u${i}`) }, /at most 100 per call/],
    ];
    for (const [body, message] of cases) {
      const answer = await stack.admin('/regulations', {
        method: 'POST',
        ...(body !== undefined && { body }),
      });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.success).toBe(false);
      expect(answer.body.message).toMatch(message);
    }
    const anonymous = await fetch(`${stack.relay.url}/admin/regulations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'delete', userIds: ['a'] }),
    });
    expect(anonymous.status).toBe(401);
  });
});
