/**
 * The fault matrix's counting (observe.ts) on made-up outcomes, so that its invariants are known
 * to fail when they should: a lost event, a duplicate, an event without an id, a person's events
 * out of order, a dead letter without a reason. A real emulator applies the operations, so this
 * also shows that a repeated event id is counted as a duplicate and kept out of the workspace.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { call, event, startEmulator } from '../emulator/server/helpers.js';
import { Ledger } from './ledger.js';
import { type Admin, LOSS_GRACE_MS, observe, settle } from './observe.js';

let emulator: Emulator;
let ledger: Ledger;
/** What the fake admin API answers: the queue and the dead letters. */
let queued: number;
let letters: Array<{ id: number; messageId: string; error?: { code?: string; message?: string } }>;

const admin: Admin = async (path) => {
  if (path === '/destinations/cio')
    return { status: 200, body: { destination: { stats: { queued, inFlight: 0, retrying: 0 } } } };
  if (path.startsWith('/dead-letters'))
    return { status: 200, body: { deadLetters: letters, nextAfterId: null } };
  throw new Error(`unexpected admin call ${path}`);
};

/** Customer.io applies these events (person, messageId, seq), as the relay would send them. */
async function apply(...events: Array<[person: string, messageId: string | undefined, seq: number]>) {
  const batch = events.map(([person, id, seq]) => ({
    ...event(person, 'Step', { seq }),
    ...(id === undefined ? {} : { id }),
  }));
  expect((await call(emulator, 'POST', '/api/v2/batch', { json: { batch } })).status).toBe(200);
}

function accept(...messageIds: string[]): void {
  for (const id of messageIds) ledger.acked.add(id);
}

beforeEach(async () => {
  emulator = await startEmulator();
  ledger = new Ledger(async () => ({ status: 200 }), 't');
  queued = 0;
  letters = [];
});
afterEach(async () => {
  await emulator.close();
});

describe('fault matrix counts', () => {
  it('a clean run: everything delivered or dead-lettered with a reason, nothing else', async () => {
    accept('m1', 'm2', 'm3');
    await apply(['p1', 'm1', 1], ['p1', 'm2', 2]);
    letters = [{ id: 1, messageId: 'm3', error: { code: 'refused_item', message: 'name is too long' } }];
    expect(await observe(emulator, admin, ledger)).toEqual({
      accepted: 3,
      delivered: 2,
      deadLettered: 1,
      deadReasons: { refused_item: 1 },
      deadWithoutReason: 0,
      duplicates: 0,
      dropsDuplicatesById: true,
      lost: 0,
      outOfOrder: 0,
    });
  });

  it('counts an accepted event neither delivered nor dead-lettered as lost', async () => {
    accept('m1', 'm2', 'm3');
    await apply(['p1', 'm1', 1]);
    letters = [{ id: 1, messageId: 'm2', error: { code: 'x', message: 'y' } }];
    expect((await observe(emulator, admin, ledger)).lost).toBe(1);
  });

  it('settles with the loss counted once the queue stays empty, instead of timing out', async () => {
    accept('m1', 'm2');
    await apply(['p1', 'm1', 1]);
    queued = 1;
    setTimeout(() => {
      queued = 0;
    }, 200);
    const started = Date.now();
    await settle(emulator, admin, ledger, started, 20_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(LOSS_GRACE_MS);
    expect((await observe(emulator, admin, ledger)).lost).toBe(1);
  });

  it('counts a repeated event id as a duplicate, which the workspace keeps once', async () => {
    accept('m1', 'm2');
    await apply(['p1', 'm1', 1], ['p1', 'm2', 2]);
    await apply(['p1', 'm2', 2]); // the relay's retry after a lost answer
    const counts = await observe(emulator, admin, ledger);
    expect(counts).toMatchObject({ delivered: 2, duplicates: 1, dropsDuplicatesById: true, outOfOrder: 0 });
    expect(emulator.workspace.people()[0]!.activity.filter((a) => a.kind === 'event')).toHaveLength(2);
  });

  it('says Customer.io could not drop duplicates when an event arrived without an id', async () => {
    accept('m1');
    await apply(['p1', 'm1', 1], ['p1', undefined, 2]);
    expect((await observe(emulator, admin, ledger)).dropsDuplicatesById).toBe(false);
  });

  it('counts a person whose events arrived out of order, unless the client resent them', async () => {
    accept('m1', 'm2', 'm3', 'm4');
    await apply(['p1', 'm2', 2], ['p1', 'm1', 1], ['p2', 'm3', 3], ['p2', 'm4', 4]);
    expect((await observe(emulator, admin, ledger)).outOfOrder).toBe(1);
    ledger.resent.add('m1');
    expect((await observe(emulator, admin, ledger)).outOfOrder).toBe(0);
  });

  it('counts dead letters without a code or a message, and only those of accepted events', async () => {
    accept('m1', 'm2');
    letters = [
      { id: 1, messageId: 'm1', error: { code: 'refused_item', message: '' } },
      { id: 2, messageId: 'm2' },
      { id: 3, messageId: 'not-accepted', error: { code: 'x', message: 'y' } },
    ];
    expect(await observe(emulator, admin, ledger)).toMatchObject({
      deadLettered: 2,
      deadWithoutReason: 2,
      deadReasons: { refused_item: 1, '(none)': 1 },
    });
  });
});
