/**
 * The fault matrix's rows: each scenario writes its row as a JSON file into a folder shared by the
 * test files of one run (see global-setup.ts), which prints them as one markdown table at the end.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Counts } from './observe.js';

export type StoreName = 'SQLite' | 'PostgreSQL';

export interface MatrixRow extends Counts {
  /** Position of the scenario in the matrix (rows are sorted by it, then by store). */
  order: number;
  scenario: string;
  store: StoreName;
  /** Milliseconds from the end of the fault to an empty queue. */
  recoveryMs: number;
}

export function writeRow(dir: string, row: MatrixRow): void {
  const name = `${String(row.order).padStart(2, '0')}-${row.store}.json`;
  writeFileSync(join(dir, name), JSON.stringify(row));
}

export function readRows(dir: string): MatrixRow[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as MatrixRow)
    .sort((a, b) => a.order - b.order || a.store.localeCompare(b.store));
}

const HEADER = [
  'Scenario',
  'Store',
  'Accepted',
  'Delivered',
  'Dead-lettered (reason)',
  'Duplicates (dropped by id?)',
  'Lost',
  'Recovery',
];

export function markdownTable(rows: readonly MatrixRow[]): string {
  const lines = rows.map((row) => [
    row.scenario,
    row.store,
    String(row.accepted),
    String(row.delivered),
    row.deadLettered === 0
      ? '0'
      : `${row.deadLettered} (${Object.entries(row.deadReasons)
          .map(([code, count]) => `${code} ×${count}`)
          .join(', ')})`,
    row.duplicates === 0 ? '0' : `${row.duplicates} (${row.dropsDuplicatesById ? 'yes' : 'NO'})`,
    String(row.lost),
    `${(row.recoveryMs / 1000).toFixed(1)} s`,
  ]);
  const all = [HEADER, ...lines];
  const widths = HEADER.map((_, column) => Math.max(...all.map((cells) => cells[column]!.length)));
  const format = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [format(HEADER), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...lines.map(format)].join(
    '\n',
  );
}
