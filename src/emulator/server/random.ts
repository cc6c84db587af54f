/**
 * A small seedable pseudo-random source (mulberry32). Fault injection draws from it so that a test
 * which sets `seed` sees the same sequence of injected faults on every run; `Math.random` cannot be
 * seeded.
 */
import { randomInt } from 'node:crypto';

export interface RandomSource {
  /** The seed this source started from (reported by `GET /_emulator/faults` so a run can be replayed). */
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
}

export function randomSeed(): number {
  return randomInt(0, 2 ** 32);
}

export function createRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return {
    seed: seed >>> 0,
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}
