/**
 * Dead letters: listing, replay (each becomes a fresh event for its destination, after every
 * existing one, attempts reset; the destination takes a slot again if it gave its own up: slots.ts)
 * and drop. Bulk operations go in chunks of `CHUNK` rows, one
 * transaction each, yielding in between.
 */
import type { Database, Statement } from 'better-sqlite3';
import { type DeadLetterRow, ERROR_EXCHANGE_SELECT, toDeadLetter } from '../codec.js';
import { CHUNK, pageSize, yieldToEventLoop } from '../limits.js';
import type { DeadLetter, DeadLetterQuery, DeadLetterSelection } from '../types.js';
import type { Counter } from './counter.js';
import type { Destinations } from './destinations.js';
import { type Slots, slotBit } from './slots.js';

const COLUMNS = `d.id, ds.name, d.dest, d.source, d.message_id, d.person, d.event, d.received_at, d.attempts,
  d.first_attempt_at, d.dead_at, ${ERROR_EXCHANGE_SELECT}`;
const FROM = 'dead_letters d JOIN destinations ds ON ds.id = d.dest';

/** The WHERE clause of a selection, or undefined when it matches nothing. */
function selectionFilter(
  selection: DeadLetterSelection,
  destinations: Destinations,
): { sql: string; params: unknown[] } | undefined {
  const terms: string[] = [];
  const params: unknown[] = [];
  if (selection.ids !== undefined) {
    if (selection.ids.length === 0) return undefined;
    terms.push('d.id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(selection.ids));
  }
  if (selection.destination !== undefined) {
    const dest = destinations.find(selection.destination);
    if (dest === undefined) return undefined;
    terms.push('d.dest = ?');
    params.push(dest);
  }
  if (terms.length === 0 && selection.all !== true) return undefined;
  return { sql: terms.length === 0 ? '1' : terms.join(' AND '), params };
}

export class DeadLetters {
  private readonly listAll: Statement<[number, number], DeadLetterRow>;
  private readonly listDest: Statement<[number, number, number], DeadLetterRow>;
  private readonly getOne: Statement<[number], DeadLetterRow>;
  private readonly insertEvent: Statement<[number, string, string, string, number, number, string]>;
  private readonly deleteOne: Statement<[number]>;

  constructor(
    private readonly db: Database,
    private readonly destinations: Destinations,
    private readonly eventIds: Counter,
    private readonly slots: Slots,
  ) {
    this.listAll = db.prepare(`SELECT ${COLUMNS} FROM ${FROM} WHERE d.id > ? ORDER BY d.id LIMIT ?`);
    this.listDest = db.prepare(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE d.dest = ? AND d.id > ? ORDER BY d.id LIMIT ?`,
    );
    this.getOne = db.prepare(`SELECT ${COLUMNS} FROM ${FROM} WHERE d.id = ?`);
    this.insertEvent = db.prepare(
      `INSERT INTO events (id, source, message_id, person, received_at, refs, dests, body)
       VALUES (?, ?, ?, ?, ?, 1, ?, ?)`,
    );
    this.deleteOne = db.prepare('DELETE FROM dead_letters WHERE id = ?');
  }

  list(query: DeadLetterQuery): DeadLetter[] {
    const limit = pageSize(query.limit);
    const after = query.afterId ?? 0;
    if (query.destination === undefined) return this.listAll.all(after, limit).map(toDeadLetter);
    const dest = this.destinations.find(query.destination);
    if (dest === undefined) return [];
    return this.listDest.all(dest, after, limit).map(toDeadLetter);
  }

  get(id: number): DeadLetter | undefined {
    const row = this.getOne.get(id);
    return row === undefined ? undefined : toDeadLetter(row);
  }

  /** Replay in chunks; `write` runs one chunk in a durable write transaction. */
  async replay(selection: DeadLetterSelection, write: <T>(fn: () => T) => T): Promise<number> {
    const filter = selectionFilter(selection, this.destinations);
    if (filter === undefined) return 0;
    const page = this.db.prepare<unknown[], DeadLetterRow>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE (${filter.sql}) AND d.id > ? ORDER BY d.id LIMIT ${CHUNK}`,
    );
    let cursor = 0;
    let replayed = 0;
    for (;;) {
      const count = write(() => {
        const rows = page.all(...filter.params, cursor);
        let nextEventId = this.eventIds.next();
        const added = new Map<number, number>();
        const bits = new Map<number, number>();
        for (const row of rows) {
          let bit = bits.get(row.dest);
          if (bit === undefined) {
            const slot = this.slots.take(row.dest, row.name, nextEventId - 1, new Set(bits.keys()));
            bit = slotBit(slot);
            bits.set(row.dest, bit);
          }
          this.insertEvent.run(
            nextEventId++,
            row.source,
            row.message_id,
            row.person,
            row.received_at,
            bit,
            row.event,
          );
          this.deleteOne.run(row.id);
          added.set(row.dest, (added.get(row.dest) ?? 0) + 1);
          cursor = row.id;
        }
        for (const [dest, n] of added) this.destinations.addJobs(dest, n, nextEventId - 1);
        this.eventIds.release(nextEventId);
        return rows.length;
      });
      replayed += count;
      if (count < CHUNK) return replayed;
      await yieldToEventLoop();
    }
  }

  async drop(selection: DeadLetterSelection, write: <T>(fn: () => T) => T): Promise<number> {
    const filter = selectionFilter(selection, this.destinations);
    if (filter === undefined) return 0;
    const chunk = this.db.prepare(
      `DELETE FROM dead_letters WHERE id IN (SELECT d.id FROM dead_letters d WHERE ${filter.sql} LIMIT ${CHUNK})`,
    );
    let dropped = 0;
    for (;;) {
      const count = write(() => chunk.run(...filter.params).changes);
      dropped += count;
      if (count < CHUNK) return dropped;
      await yieldToEventLoop();
    }
  }
}
