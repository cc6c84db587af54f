/**
 * Erasure of one person (GDPR), in one transaction: their unfinished jobs (the destination counters
 * they were part of), their retries, the log entries of their events, their events and their dead
 * letters. A person's unfinished jobs are found through their events: for each destination bit, a
 * job is unfinished if it waits for a retry, or lies past the destination's frontier and is not
 * done (claims.ts); only destinations holding a slot have unfinished jobs (slots.ts). Events and
 * dead letters are found by their person column, the log rows through their events, and the
 * person's entries are erased from them (log-row.ts): no index by person, each is one scan,
 * acceptable for a rare operator action.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ForgetResult } from '../types.js';
import type { Destinations } from './destinations.js';
import type { LogRowBody } from './log-row.js';
import type { LogWriter } from './log-writer.js';
import { slotBit } from './slots.js';

type EventRow = [id: number, dests: number];

export class Forget {
  private readonly personEvents: Statement<[string], EventRow>;
  private readonly frontiers: Statement<[], [id: number, slot: number, frontier: number]>;
  private readonly isDone: Statement<[number, number], number>;
  private readonly deleteRetries: Statement<[string], [dest: number, eventId: number]>;
  private readonly logRows: Statement<[string], LogRowBody & { id: number }>;
  private readonly deleteEvents: Statement<[string]>;
  private readonly deleteDeadLetters: Statement<[string]>;

  constructor(
    db: Database,
    private readonly destinations: Destinations,
    private readonly logWriter: LogWriter,
  ) {
    this.personEvents = db.prepare<[string], EventRow>('SELECT id, dests FROM events WHERE person = ?').raw();
    this.frontiers = db
      .prepare<[], [number, number, number]>(
        'SELECT id, slot, frontier FROM destinations WHERE slot IS NOT NULL',
      )
      .raw();
    this.isDone = db
      .prepare<[number, number], number>('SELECT 1 FROM done WHERE dest = ? AND event_id = ?')
      .pluck();
    this.deleteRetries = db
      .prepare<[string], [number, number]>('DELETE FROM retries WHERE person = ? RETURNING dest, event_id')
      .raw();
    this.logRows = db.prepare(
      `SELECT id, events, keys, entries, exchanges, requests FROM log l WHERE EXISTS (
         SELECT 1 FROM json_each(l.events) WHERE value IN (SELECT value FROM json_each(?)))`,
    );
    this.deleteEvents = db.prepare('DELETE FROM events WHERE person = ?');
    this.deleteDeadLetters = db.prepare('DELETE FROM dead_letters WHERE person = ?');
  }

  /** Run inside a write transaction; then take the person's jobs out of flight (claims.ts). */
  forget(personKey: string): ForgetResult {
    const retried = new Set<string>();
    for (const [dest, eventId] of this.deleteRetries.iterate(personKey)) retried.add(`${dest}:${eventId}`);
    const frontiers = this.frontiers.all();
    const counts = new Map<number, number>();
    const events = new Set<number>();
    let jobs = 0;
    for (const [id, dests] of this.personEvents.iterate(personKey)) {
      events.add(id);
      for (const [dest, slot, frontier] of frontiers) {
        if (Math.floor(dests / slotBit(slot)) % 2 === 0) continue;
        const unfinished =
          retried.has(`${dest}:${id}`) || (id > frontier && this.isDone.get(dest, id) === undefined);
        if (!unfinished) continue;
        counts.set(dest, (counts.get(dest) ?? 0) + 1);
        jobs++;
      }
    }
    for (const [dest, count] of counts) this.destinations.adjust(dest, -count, 0, 0);
    return {
      jobs,
      logEntries: events.size === 0 ? 0 : this.eraseLogEntries(events),
      events: this.deleteEvents.run(personKey).changes,
      deadLetters: this.deleteDeadLetters.run(personKey).changes,
    };
  }

  /** Erase the entries of these events from the log; answers how many there were. */
  private eraseLogEntries(events: ReadonlySet<number>): number {
    let erased = 0;
    for (const row of this.logRows.all(JSON.stringify([...events]))) {
      const ids = JSON.parse(row.events) as number[];
      const mine = new Set<number>();
      ids.forEach((id, index) => {
        if (events.has(id)) mine.add(index);
      });
      erased += mine.size;
      this.logWriter.erase(row.id, row, mine);
    }
    return erased;
  }
}
