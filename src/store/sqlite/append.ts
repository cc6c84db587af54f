/**
 * The body of one group commit: every `append` call of a tick, in one transaction. An event is
 * stored once, with the bits of its destinations in `dests`: that is its job in each destination's
 * queue (schema.ts, migration 6), no row of its own. Duplicates (same source and messageId within
 * the caller's window, including earlier in the same group) are reported by input position. Rows
 * are collected with ids from the counter and written with multi-row inserts at the end.
 *
 * A call whose destinations cannot all get a slot (slots.ts) fails alone: the others of its group
 * are stored, since it is one destination too many that is wrong, not the store.
 */
import type { Database } from 'better-sqlite3';
import type { AppendOptions, AppendResult, NewEvent } from '../types.js';
import { BatchInsert } from './batch-insert.js';
import type { Counter } from './counter.js';
import type { Dedupe } from './dedupe.js';
import type { Destinations } from './destinations.js';
import { hash32 } from './key-index.js';
import { type Slots, SlotsExhausted, slotBit } from './slots.js';

export interface AppendCall {
  events: readonly NewEvent[];
  options: AppendOptions;
}

export class Appender {
  private readonly events: BatchInsert;

  constructor(
    db: Database,
    private readonly destinations: Destinations,
    private readonly eventIds: Counter,
    private readonly dedupe: Dedupe,
    private readonly slots: Slots,
  ) {
    this.events = new BatchInsert(db, 'events', [
      'id',
      'source',
      'message_id',
      'person',
      'received_at',
      'refs',
      'dests',
      'body',
      'prepared',
    ]);
  }

  /**
   * Run inside a write transaction; then `dedupe.commit()` or `dedupe.rollback()`. Answers each
   * call's result, or the error that kept it out.
   */
  appendGroup(calls: readonly AppendCall[]): (AppendResult | SlotsExhausted)[] {
    this.dedupe.begin();
    let nextEventId = this.eventIds.next();
    const events: unknown[] = [];
    const jobsPerDestination = new Map<number, number>();
    const bits = new Map<string, Bit>();
    const busy = new Set<number>();
    const results: (AppendResult | SlotsExhausted)[] = [];
    for (const call of calls) {
      try {
        this.resolve(call.events, bits, busy, nextEventId - 1);
      } catch (error) {
        if (!(error instanceof SlotsExhausted)) throw error;
        results.push(error);
        continue;
      }
      const window = call.options.dedupeWindowMs;
      const duplicates: number[] = [];
      for (let i = 0; i < call.events.length; i++) {
        const event = call.events[i]!;
        const messageHash = hash32(event.messageId);
        if (
          window > 0 &&
          !this.dedupe.accept(event.source, event.messageId, messageHash, event.receivedAt, window)
        ) {
          duplicates.push(i);
          continue;
        }
        const names = event.destinations.length > 1 ? new Set(event.destinations) : event.destinations;
        const count = names instanceof Set ? names.size : names.length;
        // Nothing would ever read an event without a job: only its dedupe key is kept.
        if (count === 0) continue;
        let dests = 0;
        for (const name of names) {
          const { dest, bit } = bits.get(name)!;
          dests += bit;
          jobsPerDestination.set(dest, (jobsPerDestination.get(dest) ?? 0) + 1);
        }
        events.push(
          nextEventId++,
          event.source,
          event.messageId,
          event.personKey,
          event.receivedAt,
          count,
          dests,
          event.body,
          event.prepared ?? null,
        );
      }
      results.push({ duplicates });
    }
    this.dedupe.flush();
    this.events.run(events);
    for (const [dest, count] of jobsPerDestination) this.destinations.addJobs(dest, count, nextEventId - 1);
    this.eventIds.release(nextEventId);
    return results;
  }

  /**
   * The id and bit of each destination of these events, added to `bits` and their ids to `busy`
   * (the group's so far, whose slots stay theirs); a destination without a slot takes one with its
   * frontier at `lastEventId`.
   */
  private resolve(
    events: readonly NewEvent[],
    bits: Map<string, Bit>,
    busy: Set<number>,
    lastEventId: number,
  ): void {
    for (const event of events) {
      for (const name of event.destinations) {
        if (bits.has(name)) continue;
        const dest = this.destinations.ensure(name);
        bits.set(name, { dest, bit: slotBit(this.slots.take(dest, name, lastEventId, busy)) });
        busy.add(dest);
      }
    }
  }
}

interface Bit {
  dest: number;
  bit: number;
}
