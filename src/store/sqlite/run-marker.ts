/**
 * Whether the last relay on this file stopped cleanly. SQLite keeps claims in memory only
 * (claims.ts), so after a crash nothing says which batches were in flight: they are simply queued
 * again, and may reach Customer.io twice. The relay's own connection (not its delivery thread's,
 * not the CLI's) sets `relay_running` in `meta` when it opens the file and clears it when it closes
 * the file: found set at the next open, the last relay died (crash, kill -9, power loss).
 */
import type { Database } from 'better-sqlite3';

export class RunMarker {
  /** The last relay on this file did not close it. */
  readonly uncleanStop: boolean;

  /** Run inside a durable write: the mark must outlive a power cut to be found after one. */
  constructor(private readonly db: Database) {
    const running = db.prepare("SELECT value FROM meta WHERE key = 'relay_running'").pluck().get();
    this.uncleanStop = running === 1;
    db.prepare(
      "INSERT INTO meta (key, value) VALUES ('relay_running', 1) ON CONFLICT (key) DO UPDATE SET value = 1",
    ).run();
  }

  /** At a clean close, in a durable write. */
  clear(): void {
    this.db.prepare("UPDATE meta SET value = 0 WHERE key = 'relay_running'").run();
  }
}
