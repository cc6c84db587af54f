/**
 * Parked jobs: the jobs a walk passed over because their person was held back (an earlier job in
 * flight or waiting for a retry, claim.ts). The walk goes on past them instead of stopping there,
 * so one person waiting for a retry does not stop the rest of the destination's queue; once the
 * person is free, the next walk takes them first, in id order.
 *
 * A parked job is saved by the next result (complete.ts) as a `retries` row with due_at 0 (a real
 * retry is due at 1 or later), so that the frontier may pass it: until then it lives in memory only,
 * past the frontier, and a crash or a reload finds it again by walking.
 */

/**
 * Parked jobs per destination at most (about 100 bytes of memory each): past it, a walk stops at the
 * first job held back and starts there again next time, as it did before parking existed (a long
 * outage with every person waiting for a retry parks no more than this).
 */
export const MAX_PARKED = 100_000;

export interface ParkedJob {
  person: string;
  /** Its `retries` row (due_at 0) is in the file. */
  saved: boolean;
}

export class ParkedJobs {
  private readonly byId = new Map<number, ParkedJob>();
  /** Each person's parked ids, ascending. */
  private readonly byPerson = new Map<string, number[]>();
  /** Ids not saved yet (few: those parked since the last result). */
  private readonly pending = new Set<number>();

  get size(): number {
    return this.byId.size;
  }

  get(id: number): ParkedJob | undefined {
    return this.byId.get(id);
  }

  add(id: number, person: string, saved: boolean): void {
    if (this.byId.has(id)) return;
    this.byId.set(id, { person, saved });
    if (!saved) this.pending.add(id);
    const ids = this.byPerson.get(person);
    if (ids === undefined) this.byPerson.set(person, [id]);
    else {
      ids.push(id);
      // A walk parks in id order; one that started again before them (a release) may not.
      if (ids.length > 1 && ids[ids.length - 2]! > id) ids.sort((a, b) => a - b);
    }
  }

  delete(id: number): void {
    const job = this.byId.get(id);
    if (job === undefined) return;
    this.byId.delete(id);
    this.pending.delete(id);
    const ids = this.byPerson.get(job.person)!;
    // Taken in id order, so mostly the first.
    if (ids[0] === id) ids.shift();
    else ids.splice(ids.indexOf(id), 1);
    if (ids.length === 0) this.byPerson.delete(job.person);
  }

  /** Every parked job of this person goes (erasure). */
  deletePerson(person: string): void {
    for (const id of this.byPerson.get(person) ?? []) {
      this.byId.delete(id);
      this.pending.delete(id);
    }
    this.byPerson.delete(person);
  }

  /**
   * The first `perPerson` parked ids of each person not in `blocked`, except those in `held`, in no
   * order: a walk of `perPerson` jobs takes no later one.
   */
  free(blocked: ReadonlySet<string>, held: ReadonlyMap<number, unknown>, perPerson: number): number[] {
    const ids: number[] = [];
    for (const [person, parked] of this.byPerson) {
      if (blocked.has(person)) continue;
      let taken = 0;
      for (const id of parked) {
        if (taken === perPerson) break;
        if (held.has(id)) continue;
        ids.push(id);
        taken++;
      }
    }
    return ids;
  }

  /** Parked jobs not saved yet, except those held in flight (their result decides). */
  unsaved(held: ReadonlyMap<number, unknown>): Array<[id: number, person: string]> {
    const jobs: Array<[number, string]> = [];
    for (const id of this.pending) if (!held.has(id)) jobs.push([id, this.byId.get(id)!.person]);
    return jobs;
  }

  markSaved(ids: readonly number[]): void {
    for (const id of ids) {
      const job = this.byId.get(id);
      if (job) job.saved = true;
      this.pending.delete(id);
    }
  }
}
