/**
 * A full disk under the SQLite store, made real with SQLite's `max_page_count` (a size-limited file
 * system needs root): results that cannot be written are kept and written once space returns, at
 * the next claim, so their jobs do not stay in flight until the relay restarts.
 */
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../../src/store/index.js';
import type { JobResult, NewEvent } from '../../../src/store/types.js';
import { tempDir } from '../../temp-files.js';

let store: SqliteStore | undefined;
afterEach(async () => {
  await store?.close();
});

function events(prefix: string, count: number, destination: string): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    source: 'web',
    messageId: `${prefix}-${i}`,
    personKey: `${prefix}-p${i}`,
    body: JSON.stringify({ type: 'track', event: 'Step', messageId: `${prefix}-${i}`, pad: 'x'.repeat(500) }),
    receivedAt: 1_000,
    destinations: [destination],
  }));
}

/** The store's connection (a private field): `max_page_count` is set per connection. */
function connection(s: SqliteStore): Database {
  return (s as unknown as { db: Database }).db;
}

describe('SQLite store on a full disk', () => {
  it('keeps the results it could not write and writes them once space returns', async () => {
    store = openSqliteStore({ file: join(tempDir(), 'relay.db'), checkpoints: false });
    await store.append(events('a', 20, 'cio'), { dedupeWindowMs: 0 });
    const jobs = await store.claim('cio', { limit: 20, now: 2_000, ordered: true });
    expect(jobs).toHaveLength(20);

    const db = connection(store);
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`);
    // Fill the last free pages, as other writers on a disk would.
    await expect(
      (async () => {
        for (let i = 0; i < 1000; i++)
          await store!.append(events(`f${i}`, 20, 'other'), { dedupeWindowMs: 0 });
      })(),
    ).rejects.toMatchObject({ code: 'SQLITE_FULL' });

    const results: JobResult[] = jobs.map((job) => ({
      jobId: job.id,
      outcome: 'delivered',
      exchange: {
        method: 'POST',
        url: 'http://127.0.0.1/api/v2/batch',
        status: 200,
        requestBody: 'y'.repeat(2000),
      },
    }));
    await expect(store.complete({ destination: 'cio', now: 3_000, results })).rejects.toMatchObject({
      code: 'SQLITE_FULL',
    });
    expect(await store.stats('cio', 3_000)).toMatchObject({ inFlight: 20, delivered: 0 });
    // Still full: the next claim cannot write them either, and says so.
    await expect(store.claim('cio', { limit: 20, now: 3_500, ordered: true })).rejects.toMatchObject({
      code: 'SQLITE_FULL',
    });

    db.pragma('max_page_count = 1073741823'); // space returns
    expect(await store.claim('cio', { limit: 20, now: 4_000, ordered: true })).toEqual([]);
    expect(await store.stats('cio', 4_000)).toMatchObject({ inFlight: 0, queued: 0, delivered: 20 });
    expect(await store.searchLog({ destination: 'cio', limit: 50 })).toHaveLength(20);
  });
});
