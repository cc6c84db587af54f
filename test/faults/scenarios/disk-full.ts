/**
 * Disk full for SQLite. A size-limited file system needs root, so the relay's own connection is
 * capped with SQLite's `max_page_count` at the file's current size: SQLite then fails appends that
 * need a new page with SQLITE_FULL, exactly as on a full disk. Ingest must answer 503 with a clear
 * error (none of that batch stored), and accept again once space returns (the client's retry of
 * the refused batch included), losing nothing answered 200.
 */
import type { Database } from 'better-sqlite3';
import { expect } from 'vitest';
import type { Answer } from '../ledger.js';
import { observe, settle } from '../observe.js';
import { type Scenario, startRun } from '../scenario.js';

/** The relay's main connection (the one ingest appends on); a private field of SqliteStore. */
function connection(store: unknown): Database {
  const db = (store as { db?: Database }).db;
  if (!db?.pragma)
    throw new Error('the SQLite store no longer keeps its connection in `db`: update this test');
  return db;
}

export const diskFull: Scenario = {
  name: 'disk full (SQLITE_FULL), then space returns',
  stores: ['SQLite'],
  async run(store) {
    const { stack, ledger, admin } = await startRun(store, 'full');
    await ledger.send(4, 50);
    const db = connection(stack.relay.store);
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`);
    let refusal: Answer | undefined;
    for (let i = 0; i < 400 && !refusal; i++) {
      const answer = await ledger.sendBatch(50);
      if (answer.status !== 200) refusal = answer;
    }
    expect(refusal).toMatchObject({
      status: 503,
      body: {
        success: false,
        code: 'store_unavailable',
        message: expect.stringMatching(
          /\(the relay's disk is full\), so none of them was accepted; retry later/,
        ),
      },
    });

    db.pragma('max_page_count = 1073741823'); // space returns
    const freedAt = Date.now();
    await ledger.send(4, 50);
    expect(ledger.count(200)).toBeGreaterThanOrEqual(8);
    const recoveryMs = await settle(stack.emulator, admin, ledger, freedAt);
    // A 503 means none of the batch was stored: none of its events may reach Customer.io...
    const delivered = () =>
      new Set(stack.emulator.workspace.people().flatMap((p) => p.activity.map((a) => a.id)));
    expect(ledger.refused.size).toBeGreaterThan(0);
    expect([...ledger.refused].filter((id) => delivered().has(id))).toEqual([]);
    // ...and the client's retry of it (same messageIds) is stored, not taken for a duplicate.
    await ledger.resendUnanswered();
    expect(ledger.refused.size).toBe(0);
    await settle(stack.emulator, admin, ledger, Date.now());
    const counts = await observe(stack.emulator, admin, ledger);
    return { counts, recoveryMs, maxDuplicates: 0 };
  },
};
