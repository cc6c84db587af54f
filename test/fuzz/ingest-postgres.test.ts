/**
 * The mixed-batch property on PostgreSQL, the store where bad ids did the most harm (a NUL failed
 * the whole request; two lone-surrogate messageIds became one and the second was dropped).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createServer } from '../../src/server/index.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import type { Store } from '../../src/store/types.js';
import { type Harness, NOW, recordingDelivery, spyStore } from '../server/helpers.js';
import { useTestDatabase } from '../store/pg-database.js';
import { checkMixedBatches, mixedBatchConfig } from './mixed-batches.js';
import { failOnUnhandledErrors } from './process-errors.js';
import { FUZZ_TIMEOUT_MS } from './settings.js';

failOnUnhandledErrors();

const database = useTestDatabase('cio_relay_fuzz');
let harness: Harness;
let inner: Store;

beforeAll(async () => {
  const config = mixedBatchConfig();
  inner = await openPostgresStore({ url: database.url, schema: 'fuzz' });
  const store = spyStore(inner);
  const delivery = recordingDelivery(config.destinations.map((d) => d.name));
  const app = await createServer({ config, store, delivery, now: () => NOW });
  harness = { app, store, delivery, config, close: async () => undefined };
});
afterAll(async () => {
  await harness?.app.close();
  await inner?.close();
});

describe('mixed batches on PostgreSQL', () => {
  it(
    'keeps every valid event of a batch (count, messageId, person) and refuses each invalid one by index',
    () => checkMixedBatches(() => harness, 'ingest: mixed batches (PostgreSQL)'),
    FUZZ_TIMEOUT_MS,
  );
});
