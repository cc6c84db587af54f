/** Regulations on the PostgreSQL store: the person is gone from Customer.io and from every table. */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../store/pg-database.js';
import { type Stack, startStack, waitFor } from './stack.js';

const database = useTestDatabase('cio_relay_regulations');
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function storedAbout(url: string, person: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const types = async (sql: string) =>
      (await client.query<{ body: string }>(sql, [person])).rows.map(
        (r) => JSON.parse(r.body).type as string,
      );
    const count = async (table: string) =>
      Number(
        (await client.query(`SELECT count(*) AS n FROM ${table} WHERE person = $1`, [person])).rows[0].n,
      );
    return {
      events: await types('SELECT body FROM events WHERE person = $1 ORDER BY id'),
      jobs: await count('jobs'),
      deadLetters: await count('dead_letters'),
      log: await types(
        `SELECT e.body FROM log l CROSS JOIN unnest(l.events, l.persons) WITH ORDINALITY AS u(event, person, i)
         JOIN events e ON e.id = u.event WHERE u.person = $1 ORDER BY l.id, u.i`,
      ),
    };
  } finally {
    await client.end();
  }
}

describe('POST /admin/regulations on PostgreSQL', () => {
  it('deletes the person in Customer.io and erases their events, log entries and dead letters', async () => {
    stack = await startStack({ store: { postgres: database.url } });
    const s = stack;
    await s.send('/v1/batch', {
      batch: [
        { type: 'identify', userId: 'ann', messageId: 'a1', traits: { plan: 'pro' } },
        { type: 'track', userId: 'ann', messageId: 'a2', event: 'x'.repeat(150) },
        { type: 'identify', userId: 'bob', messageId: 'b1', traits: { plan: 'free' } },
      ],
    });
    await waitFor('delivered, one dead letter', async () => {
      const dead = (await s.admin('/dead-letters')).body.deadLetters as unknown[];
      return s.emulator.workspace.person('ann') && s.emulator.workspace.person('bob') && dead.length === 1;
    });

    const answer = await s.admin('/regulations', { body: { type: 'delete', userIds: ['ann'] } });
    expect(answer.body).toEqual({
      success: true,
      type: 'delete',
      people: 1,
      removed: { events: 2, jobs: 0, logEntries: 2, deadLetters: 1 },
      queued: { cio: 1 },
    });
    await waitFor('ann deleted', () => s.emulator.workspace.person('ann') === undefined);
    await waitFor('the delete logged', async () => (await storedAbout(database.url, 'ann')).log.length === 1);
    expect(await storedAbout(database.url, 'ann')).toEqual({
      events: ['regulation'],
      jobs: 0,
      deadLetters: 0,
      log: ['regulation'],
    });
    expect(s.emulator.workspace.person('bob')).toBeDefined();
  });
});
