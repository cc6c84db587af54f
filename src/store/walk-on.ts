/**
 * Whether an ordered claim may walk on past jobs held back behind their person's earlier one, up to
 * HELD_BACK_WINDOWS × scanLimit of them (limits.ts). That is worth its cost while other people's
 * jobs lie behind them (a busy person waiting for a retry); in a backlog of a few people, all in
 * flight, nothing does, and every claim between two deliveries would walk the whole window for
 * nothing. So after a claim that was allowed to walk on and took no job, the destination's claims
 * stop at scanLimit for WALK_ON_PAUSE_MS: other people's jobs behind a held-back head then wait at
 * most that long.
 */
import type { ClaimOptions } from './types.js';

export const WALK_ON_PAUSE_MS = 5000;

export class WalkOnPauses {
  private readonly until = new Map<string, number>();

  /** For an ordered claim (an unordered one holds nothing back) not within a pause. */
  allowed(destination: string, { ordered, now }: ClaimOptions): boolean {
    return ordered && (this.until.get(destination) ?? Number.NEGATIVE_INFINITY) <= now;
  }

  /** After a claim made at `now`, `allowed` as answered for it, that took `jobs` jobs. */
  claimed(destination: string, now: number, allowed: boolean, jobs: number): void {
    if (allowed && jobs === 0) this.until.set(destination, now + WALK_ON_PAUSE_MS);
  }
}
