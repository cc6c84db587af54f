import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openSqliteStore } from '../../src/store/index.js';
import { describeStoreConformance } from './conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'cio-relay-store-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh database file in the test's temporary directory. */
function tempFile(): string {
  return join(dir, `store-${++files}.db`);
}

describeStoreConformance('SQLite', async () => openSqliteStore({ file: tempFile() }));
