/**
 * Vitest global setup: a folder for the fault matrix's rows (given to the test files through
 * `inject('faultMatrixDir')`), and at the end of the run the table of every row written there,
 * printed and, with FAULT_MATRIX_OUT=path, written to that file (for the benchmark report).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { markdownTable, readRows } from './table.js';

declare module 'vitest' {
  export interface ProvidedContext {
    faultMatrixDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'cio-relay-fault-matrix-'));
  project.provide('faultMatrixDir', dir);
  return () => {
    const rows = readRows(dir);
    rmSync(dir, { recursive: true, force: true });
    if (rows.length === 0) return;
    const table = markdownTable(rows);
    console.log(`\nFault matrix (test/faults):\n\n${table}\n`);
    const out = process.env['FAULT_MATRIX_OUT'];
    if (out) writeFileSync(out, `${table}\n`);
  };
}
