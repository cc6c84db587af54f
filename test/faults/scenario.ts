/**
 * The shape of one fault scenario and what they share: the store under test (a fresh SQLite file or
 * a fresh PostgreSQL database per scenario), a relay and an emulator on loopback with compressed
 * timings, and the ledger of what the relay accepted.
 */
import { onTestFinished } from 'vitest';
import { type Stack, type StackOptions, startStack, WRITE_KEY } from '../relay/stack.js';
import { createTestDatabase } from '../store/pg-database.js';
import { batchPoster, Ledger, type LedgerOptions } from './ledger.js';
import type { Admin, Counts } from './observe.js';
import type { StoreName } from './table.js';

export interface Outcome {
  counts: Counts;
  recoveryMs: number;
  /** Duplicates this fault may cause at most: what was in flight when answers were lost. */
  maxDuplicates: number;
}

export interface Scenario {
  name: string;
  stores: readonly StoreName[];
  run(store: StoreName): Promise<Outcome>;
}

/** Batches of at most 50 operations, 4 in flight: in-flight work at a fault is at most 200 events. */
export const CONCURRENCY = 4;
export const MAX_OPERATIONS = 50;

export const DESTINATION = {
  concurrency: CONCURRENCY,
  batch: { maxOperations: MAX_OPERATIONS, lingerMs: 5 },
  // An outage of hours, compressed: backoffs are capped at 400 ms instead of 5 minutes.
  retry: { minBackoffMs: 20, maxBackoffMs: 400 },
  timeoutMs: 2000,
};

/**
 * The store configuration for a scenario (SQLite: the relay's own file) and its clean-up (a fresh
 * PostgreSQL database, dropped).
 */
export async function storeConfig(
  store: StoreName,
): Promise<{ config: Record<string, unknown>; drop(): Promise<void> }> {
  if (store === 'SQLite') return { config: {}, drop: async () => undefined };
  const database = await createTestDatabase('cio_relay_faults');
  // A killed relay's claims come back after this lease.
  return { config: { postgres: database.url, claimLeaseMs: 1000 }, drop: database.drop };
}

export interface Run {
  stack: Stack;
  ledger: Ledger;
  admin: Admin;
}

/**
 * A relay (in this process) and an emulator for one scenario, closed when the test ends. `store`:
 * a fresh store of that kind, or a store configuration the scenario manages itself.
 */
export async function startRun(
  store: StoreName | { config: Record<string, unknown> },
  prefix: string,
  options: StackOptions & { ledger?: LedgerOptions } = {},
): Promise<Run> {
  const target =
    typeof store === 'string' ? await storeConfig(store) : { ...store, drop: async () => undefined };
  let stack: Stack;
  try {
    stack = await startStack({
      ...options,
      store: { ...target.config, ...options.store },
      destination: { ...DESTINATION, ...options.destination },
    });
  } catch (error) {
    await target.drop();
    throw error;
  }
  onTestFinished(async () => {
    await stack.close();
    await target.drop();
  });
  const ledger = new Ledger((body) => batchPoster(stack.relay.url, WRITE_KEY)(body), prefix, options.ledger);
  return { stack, ledger, admin: (path) => stack.admin(path) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
