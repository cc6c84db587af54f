/**
 * Destination names ↔ integer ids (jobs, log entries and dead letters store the id; ids are never
 * reused, events carry slots instead: slots.ts), the persisted pause and the per-destination
 * counters that make `stats` cheap. (The `in_flight` column is no longer used: claims live in
 * memory, see claims.ts.)
 */
import type { Database, Statement } from 'better-sqlite3';
import type { DestinationState } from '../types.js';

export interface DestinationRow {
  unfinished: number;
  delivered: number;
  filtered: number;
}

export class Destinations {
  /** Only ids read from or written to committed rows; cleared when a transaction rolls back. */
  private readonly ids = new Map<string, number>();
  private readonly selectId: Statement<[string], number>;
  private readonly insert: Statement<[string]>;
  private readonly selectCounters: Statement<[number], DestinationRow>;
  private readonly selectPaused: Statement<[string], string | null>;
  private readonly updatePaused: Statement<[string | null, number]>;
  private readonly addUnfinished: Statement<[number, number, number]>;
  private readonly addCounters: Statement<[number, number, number, number]>;
  private readonly updateFrontier: Statement<[number, number]>;

  constructor(db: Database) {
    this.selectId = db.prepare<[string], number>('SELECT id FROM destinations WHERE name = ?').pluck();
    this.insert = db.prepare('INSERT OR IGNORE INTO destinations (name) VALUES (?)');
    this.selectCounters = db.prepare<[number], DestinationRow>(
      'SELECT unfinished, delivered, filtered FROM destinations WHERE id = ?',
    );
    this.selectPaused = db
      .prepare<[string], string | null>('SELECT paused FROM destinations WHERE name = ?')
      .pluck();
    this.updatePaused = db.prepare('UPDATE destinations SET paused = ? WHERE id = ?');
    this.addUnfinished = db.prepare(
      'UPDATE destinations SET unfinished = unfinished + ?, last_event = ? WHERE id = ?',
    );
    this.addCounters = db.prepare(
      `UPDATE destinations SET unfinished = unfinished + ?,
         delivered = delivered + ?, filtered = filtered + ? WHERE id = ?`,
    );
    this.updateFrontier = db.prepare('UPDATE destinations SET frontier = ? WHERE id = ?');
  }

  /** The id of a known destination, or undefined (read-only). */
  find(name: string): number | undefined {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.selectId.get(name);
      if (id !== undefined) this.ids.set(name, id);
    }
    return id;
  }

  /** The id of a destination, created if needed. Call inside a write transaction. */
  ensure(name: string): number {
    const known = this.find(name);
    if (known !== undefined) return known;
    this.insert.run(name);
    const id = this.selectId.get(name)!;
    this.ids.set(name, id);
    return id;
  }

  /** After a rollback: ids created by it may not exist. */
  forget(): void {
    this.ids.clear();
  }

  counters(id: number): DestinationRow | undefined {
    return this.selectCounters.get(id);
  }

  /** `lastEvent`: the newest of them, which makes the destination the most recently used (slots.ts). */
  addJobs(id: number, count: number, lastEvent: number): void {
    this.addUnfinished.run(count, lastEvent, id);
  }

  /** Adjust counters after results or erasure (deltas may be negative). */
  adjust(id: number, unfinished: number, delivered: number, filtered: number): void {
    this.addCounters.run(unfinished, delivered, filtered, id);
  }

  /** Every job of the destination up to this event id is finished or waits for a retry (claims.ts). */
  setFrontier(id: number, frontier: number): void {
    this.updateFrontier.run(frontier, id);
  }

  state(name: string): DestinationState {
    const paused = this.selectPaused.get(name);
    return { paused: paused ? (JSON.parse(paused) as DestinationState['paused']) : null };
  }

  setPaused(name: string, paused: DestinationState['paused']): void {
    this.updatePaused.run(paused === null ? null : JSON.stringify(paused), this.ensure(name));
  }
}
