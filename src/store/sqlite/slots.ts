/**
 * Which destinations hold one of the SLOTS bits of `events.dests` (migration 7). A JS number keeps
 * 53 bits exact, so the bits cannot be the destination ids: those are never reused (log entries and
 * dead letters keep naming their destination), while the names used over a store's life are
 * unbounded. A destination takes a slot when events are queued for it (append, replay); a store
 * runs out only when SLOTS destinations have unfinished jobs at once.
 *
 * When no slot is free, the least recently used destination (smallest `last_event`, set by
 * `addJobs`) with nothing unfinished gives its slot up: no job counted in `unfinished`, no retry,
 * nothing in flight in this process (in-flight-counts.ts), and none of the destinations already
 * given a slot in the current transaction (their jobs are counted at its end). Its row, pause,
 * totals, log entries and dead letters stay; it takes a slot again when it next gets events.
 *
 * Taking a slot sets the destination's frontier just before the next event id: older events still
 * carrying the bit were for the previous holder (all finished) and are not in the new queue. The
 * destination's `done` rows from an earlier holding go with them. A claiming connection notices the
 * change (claims.ts) and reads the queue again.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { InFlightCounts } from './in-flight-counts.js';

/** Bits 0 … 52 of `events.dests`: all exact in a JS number. */
export const SLOTS = 53;

/** The bit of a slot in an event's `dests`. */
export function slotBit(slot: number): number {
  return 2 ** slot;
}

/** Every slot is held by a destination with unfinished jobs: the event cannot be queued. */
export class SlotsExhausted extends Error {
  readonly code = 'destinations_exhausted';

  constructor(destination: string) {
    super(
      `cannot queue events for destination "${destination}": the SQLite store queues for at most ` +
        `${SLOTS} destinations at once and ${SLOTS} others have unfinished jobs. Let their queues ` +
        'drain (a destination removed from the configuration with jobs left never drains: add it ' +
        'back until its queue is empty), or move to PostgreSQL (store.postgres), or start a new store file',
    );
  }
}

type Candidate = [id: number, slot: number];

export class Slots {
  private readonly selectSlot: Statement<[number], number | null>;
  private readonly held: Statement<[], number>;
  private readonly idle: Statement<[], Candidate>;
  private readonly release: Statement<[number]>;
  private readonly assign: Statement<[number, number, number]>;
  private readonly deleteDone: Statement<[number]>;

  constructor(
    db: Database,
    private readonly inFlight: InFlightCounts,
  ) {
    this.selectSlot = db
      .prepare<[number], number | null>('SELECT slot FROM destinations WHERE id = ?')
      .pluck();
    this.held = db.prepare<[], number>('SELECT slot FROM destinations WHERE slot IS NOT NULL').pluck();
    // A retry counts in `unfinished` too: the retries check guards against a counter gone wrong.
    this.idle = db
      .prepare<[], Candidate>(
        `SELECT id, slot FROM destinations d WHERE slot IS NOT NULL AND unfinished <= 0
           AND NOT EXISTS (SELECT 1 FROM retries r WHERE r.dest = d.id)
         ORDER BY last_event, id`,
      )
      .raw();
    this.release = db.prepare('UPDATE destinations SET slot = NULL WHERE id = ?');
    this.assign = db.prepare('UPDATE destinations SET slot = ?, frontier = ? WHERE id = ?');
    this.deleteDone = db.prepare('DELETE FROM done WHERE dest = ?');
  }

  /** The destination's slot, or undefined if it holds none (read-only). */
  of(dest: number): number | undefined {
    return this.selectSlot.get(dest) ?? undefined;
  }

  /**
   * The slot of a destination, taken if it holds none, with its frontier at `frontier` (the last
   * event id given so far). `busy`: destinations whose slots this transaction gave or uses, not to
   * be taken from them. Run inside a write transaction; throws SlotsExhausted when every slot is busy.
   */
  take(dest: number, name: string, frontier: number, busy: ReadonlySet<number>): number {
    const own = this.of(dest);
    if (own !== undefined) return own;
    const slot = this.free() ?? this.reclaim(busy);
    if (slot === undefined) throw new SlotsExhausted(name);
    this.assign.run(slot, frontier, dest);
    this.deleteDone.run(dest);
    return slot;
  }

  private free(): number | undefined {
    const held = new Set(this.held.all());
    for (let slot = 0; slot < SLOTS; slot++) if (!held.has(slot)) return slot;
    return undefined;
  }

  /** The slot of the least recently used destination with nothing unfinished, released. */
  private reclaim(busy: ReadonlySet<number>): number | undefined {
    for (const [id, slot] of this.idle.all()) {
      if (busy.has(id) || this.inFlight.get(id) > 0) continue;
      this.release.run(id);
      return slot;
    }
    return undefined;
  }
}
