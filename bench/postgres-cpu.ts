/**
 * CPU seconds so far of the PostgreSQL processes working for `database`: its backends (and
 * autovacuum workers) and the server's own background processes (WAL writer, checkpointer…), read
 * from /proc, so only for a server on this machine; 0 when there is none to read. The connection
 * that asks leaves out its own backend.
 */
import pg from 'pg';
import { procSample } from './e2e-procs.js';

export async function postgresCpuSeconds(server: string, database: string): Promise<number> {
  if (!['127.0.0.1', 'localhost'].includes(new URL(server).hostname)) return 0;
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE (datname = $1 OR datname IS NULL) AND pid <> pg_backend_pid()',
      [database],
    );
    let seconds = 0;
    for (const { pid } of rows) {
      try {
        seconds += procSample(pid).cpuSeconds;
      } catch {
        // gone meanwhile
      }
    }
    return seconds;
  } finally {
    await client.end();
  }
}
