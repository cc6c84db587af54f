/**
 * Erasure of one person (GDPR), in one transaction: their jobs (in flight too: the owner's late
 * result then matches nothing), log entries, events and dead letters. The log and dead letters are
 * indexed by person; jobs and events are not (an index there would cost every append for a rare
 * operator action), so those two are scans.
 */
import type pg from 'pg';
import type { ForgetResult } from '../types.js';

export async function forgetPerson(client: pg.ClientBase, personKey: string): Promise<ForgetResult> {
  const count = async (sql: string) => (await client.query(sql, [personKey])).rowCount ?? 0;
  return {
    jobs: await count('DELETE FROM jobs WHERE person = $1'),
    logEntries: await count('DELETE FROM log WHERE person = $1'),
    events: await count('DELETE FROM events WHERE person = $1'),
    deadLetters: await count('DELETE FROM dead_letters WHERE person = $1'),
  };
}
