/**
 * Fuzzing the ingest API in-process (Fastify's inject: no sockets, so thousands of requests take
 * seconds). For any request: no 5xx, a JSON answer, every refusal with a code and a message, no
 * accepted event lost, and no prototype polluted. See settings.ts for the seed and the budget.
 */

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, SECRETS, startServer } from '../server/helpers.js';
import { expectRefusal, expectRejectedItems } from './answers.js';
import { checkMixedBatches, mixedBatchConfig } from './mixed-batches.js';
import { failOnUnhandledErrors } from './process-errors.js';
import { expectPrototypesUnchanged, snapshotPrototypes } from './prototypes.js';
import { ingestRequest } from './requests.js';
import { CaseCounter, FUZZ_TIMEOUT_MS, fuzzParameters } from './settings.js';

failOnUnhandledErrors();

let harness: Harness;
const prototypes = snapshotPrototypes();

beforeAll(async () => {
  harness = await startServer();
});
afterAll(async () => {
  await harness?.close();
});

/** Every 8-character piece of every secret: an answer must not echo any part of a key. */
const SECRET_PIECES = SECRETS.flatMap((secret) =>
  Array.from({ length: secret.length - 7 }, (_, i) => secret.slice(i, i + 8)),
);

function expectNoSecret(text: string): void {
  const leaked = SECRET_PIECES.find((piece) => text.includes(piece));
  if (leaked !== undefined)
    expect(text, `the answer holds ${JSON.stringify(leaked)}, part of a key`).not.toContain(leaked);
}

/** Events the store kept (not counting duplicates) since call number `from` of the spy. */
function storedSince(from: number): number {
  let count = 0;
  for (const call of harness.store.calls.slice(from)) count += call.events.length - call.duplicates.length;
  return count;
}

describe('ingest API under random and hostile requests', () => {
  it(
    'answers every request with a status below 500, and every refusal with a code and a message',
    async () => {
      const counter = new CaseCounter('ingest: any request');
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(ingestRequest, async (request) => {
          counter.tick();
          const callsBefore = harness.store.calls.length;
          const response = await harness.app.inject({ method: 'POST', ...request });
          expect(response.statusCode, response.body.slice(0, 300)).toBeLessThan(500);
          expect([200, 400, 401, 404, 413, 415]).toContain(response.statusCode);
          expectNoSecret(response.body);
          const body = response.json() as Record<string, unknown>;
          if (response.statusCode === 200) {
            accepted++;
            expect(body.success).toBe(true);
            expectRejectedItems(body.rejected);
            if (request.batchLength !== undefined) {
              // Every event of the batch is stored, a duplicate, or refused with its index: none vanishes.
              const rejected = (body.rejected as unknown[] | undefined)?.length ?? 0;
              const duplicates = (body.duplicates as number | undefined) ?? 0;
              expect(storedSince(callsBefore) + duplicates + rejected).toBe(request.batchLength);
            }
          } else {
            expectRefusal(body, response.statusCode);
            expectRejectedItems(body.rejected);
            expect(storedSince(callsBefore), 'a refused request stores nothing').toBe(0);
          }
          expectPrototypesUnchanged(prototypes);
        }),
        fuzzParameters('ingest: any request'),
      );
      counter.expectAllRan();
      // Most requests are refused at the door; some hostile ones must get in (about 2 % by default).
      counter.expectShare('were accepted', accepted, 0.01);
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('mixed batches', () => {
  let fresh: Harness;
  beforeAll(async () => {
    fresh = await startServer({ config: mixedBatchConfig() });
  });
  afterAll(async () => {
    await fresh?.close();
  });

  it(
    'keeps every valid event of a batch (count, messageId, person) and refuses each invalid one by index',
    () => checkMixedBatches(() => fresh, 'ingest: mixed batches'),
    FUZZ_TIMEOUT_MS,
  );
});
