/**
 * The events this relay appended and has not claimed yet, in memory (bounded by size, oldest
 * dropped first): a claim of jobs this relay appended (jobs.appender, schema 8) takes their events
 * from here instead of reading them from the database and receiving them again, which was about a
 * quarter of a claim (claim-function.ts). What is missing here (dropped, or appended by another
 * relay) comes from the database. An entry goes once its last job was claimed here.
 */
import type { NewEvent } from '../types.js';

export type RecentEvent = Omit<NewEvent, 'destinations'>;

interface Entry {
  event: RecentEvent;
  /** Jobs of the event not claimed here yet. */
  jobs: number;
  bytes: number;
}

export const RECENT_EVENT_BYTES = 32 * 1024 * 1024;

export class RecentEvents {
  private readonly entries = new Map<number, Entry>();
  private bytes = 0;

  constructor(private readonly maxBytes = RECENT_EVENT_BYTES) {}

  get size(): number {
    return this.entries.size;
  }

  add(id: number, event: RecentEvent, jobs: number): void {
    // UTF-16 text, and the rest of the entry.
    const bytes = 2 * (event.body.length + event.messageId.length + event.personKey.length) + 200;
    if (bytes > this.maxBytes) return;
    this.entries.set(id, { event, jobs, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest, entry);
    }
  }

  /** The event of a job claimed here, if kept. */
  take(id: number): RecentEvent | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    if (--entry.jobs <= 0) this.remove(id, entry);
    return entry.event;
  }

  /** Erasure (GDPR): nothing of the person stays in memory either. */
  forget(personKey: string): void {
    for (const [id, entry] of this.entries) if (entry.event.personKey === personKey) this.remove(id, entry);
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private remove(id: number, entry: Entry): void {
    this.entries.delete(id);
    this.bytes -= entry.bytes;
  }
}
