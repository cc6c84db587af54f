/**
 * The fault matrix: every scenario as one bounded test for a store, asserting the invariants every
 * fault must keep (nothing accepted lost, every dead letter with a reason, duplicates only for what
 * was in flight when answers were lost, and then droppable by event id, each person's events in
 * the order they were sent) and writing its row for the
 * table printed at the end of the run (global-setup.ts).
 */
import { describe, expect, inject, it } from 'vitest';
import type { Scenario } from './scenario.js';
import { droppedConnections } from './scenarios/connections.js';
import { diskFull } from './scenarios/disk-full.js';
import { outage, outagePastRetryWindow } from './scenarios/outage.js';
import { partialBatch } from './scenarios/partial-batch.js';
import { postgresRestart } from './scenarios/postgres-restart.js';
import { processKill, processKillDuringOutage } from './scenarios/process-kill.js';
import { stormWithoutRetryAfter, stormWithRetryAfter } from './scenarios/rate-limit.js';
import { slowAndHanging } from './scenarios/timeouts.js';
import { unauthorizedMidRun } from './scenarios/unauthorized.js';
import { type StoreName, writeRow } from './table.js';

export const SCENARIOS: readonly Scenario[] = [
  processKill,
  processKillDuringOutage,
  outage,
  outagePastRetryWindow,
  stormWithRetryAfter,
  stormWithoutRetryAfter,
  slowAndHanging,
  droppedConnections,
  partialBatch,
  unauthorizedMidRun,
  diskFull,
  postgresRestart,
];

export function faultMatrix(store: StoreName): void {
  describe(`fault matrix on ${store}`, () => {
    SCENARIOS.forEach((scenario, order) => {
      if (!scenario.stores.includes(store)) return;
      it(scenario.name, async () => {
        const { counts, recoveryMs, maxDuplicates } = await scenario.run(store);
        writeRow(inject('faultMatrixDir'), { order, scenario: scenario.name, store, recoveryMs, ...counts });
        expect(counts.accepted).toBeGreaterThan(0);
        expect(counts.lost).toBe(0);
        expect(counts.delivered + counts.deadLettered).toBe(counts.accepted);
        expect(counts.deadWithoutReason).toBe(0);
        expect(counts.duplicates).toBeLessThanOrEqual(maxDuplicates);
        expect(counts.dropsDuplicatesById).toBe(true);
        expect(counts.outOfOrder).toBe(0);
      }, 90_000);
    });
  });
}
