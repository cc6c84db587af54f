/**
 * The mixed-batch property, for any store: a batch of valid and invalid events is answered with
 * exactly the invalid indices refused, and the store then holds exactly the valid events (their
 * messageIds and persons, read back from the store).
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { RelayConfig } from '../../src/config/types.js';
import { basic, type Harness, NOW, testConfig, WEB_KEY } from '../server/helpers.js';
import { toJson } from './adversarial.js';
import { expectRefusal, expectRejectedItems } from './answers.js';
import { mixedBatch } from './batches.js';
import { expectPrototypesUnchanged, snapshotPrototypes } from './prototypes.js';
import { CaseCounter, type FuzzName, fuzzParameters } from './settings.js';

/**
 * No deduplication: fast-check replays a failing case while shrinking it, and a replay must not
 * turn into a duplicate (deduplication has its own tests).
 */
export function mixedBatchConfig(): RelayConfig {
  return testConfig((config) => {
    config.dedupe.windowMs = 0;
  });
}

export async function checkMixedBatches(harness: () => Harness, name: FuzzName): Promise<void> {
  const prototypes = snapshotPrototypes();
  const counter = new CaseCounter(name);
  const claim = (limit: number) =>
    harness().store.claim('production', { limit, now: NOW + 1, ordered: false });
  await fc.assert(
    fc.asyncProperty(mixedBatch(), fc.boolean(), async (events, gzip) => {
      counter.tick();
      // Leftovers of a failed case (fast-check replays while shrinking) must not count here.
      await claim(10_000);
      const text = `{"batch":[${events.map((e) => toJson(e.doc)).join(',')}]}`;
      const headers: Record<string, string> = {
        authorization: basic(WEB_KEY),
        'content-type': 'application/json',
      };
      if (gzip) headers['content-encoding'] = 'gzip';
      const response = await harness().app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers,
        payload: gzip ? gzipSync(text) : Buffer.from(text),
      });
      const body = response.json() as Record<string, unknown>;
      const valid = events.filter((e) => e.valid);
      const invalidIndices = events.flatMap((e, i) => (e.valid ? [] : [i]));
      expect(response.statusCode, response.body.slice(0, 500)).toBe(valid.length > 0 ? 200 : 400);
      if (valid.length === 0) expectRefusal(body, 400);
      const rejected = (body.rejected ?? []) as Array<{ index: number }>;
      expectRejectedItems(rejected);
      expect(rejected.map((r) => r.index)).toEqual(invalidIndices);

      // What the store holds now: one job per valid event for this destination, nothing else.
      const jobs = await claim(100);
      expect(jobs.length, 'stored events').toBe(valid.length);
      const sent = valid.map((e) => e.messageId ?? 'relay-*').sort();
      const kept = jobs.map((j) => (j.messageId.startsWith('relay-') ? 'relay-*' : j.messageId)).sort();
      expect(kept, 'messageIds of the stored events').toEqual(sent);
      expect(jobs.map((j) => j.personKey).sort()).toEqual(valid.map((e) => e.personKey).sort());
      for (const job of jobs) {
        const stored = JSON.parse(job.body) as Record<string, unknown>;
        expect(stored.messageId, 'the stored body has the stored messageId').toBe(job.messageId);
      }
      expectPrototypesUnchanged(prototypes);
    }),
    fuzzParameters(name),
  );
  counter.expectAllRan();
}
