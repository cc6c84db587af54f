/**
 * Multi-row INSERTs: rows go in chunks of 64, 16, 4 and 1 (each a statement prepared once), so a
 * thousand rows cost a few dozen statement runs instead of a thousand; per-run overhead (binding,
 * VM setup, crossing into native code) is a large share of a small insert.
 */
import type { Database, Statement } from 'better-sqlite3';

const CHUNKS = [64, 16, 4, 1];

export class BatchInsert {
  private readonly statements = new Map<number, Statement<unknown[]>>();

  constructor(
    private readonly db: Database,
    private readonly table: string,
    private readonly columns: readonly string[],
  ) {}

  /** Insert rows given one after another in `values` (`columns.length` values each). */
  run(values: readonly unknown[]): void {
    const width = this.columns.length;
    const rows = values.length / width;
    let at = 0;
    for (const size of CHUNKS) {
      while (rows - at >= size) {
        this.statement(size).run(values.slice(at * width, (at + size) * width));
        at += size;
      }
    }
  }

  private statement(rows: number): Statement<unknown[]> {
    let statement = this.statements.get(rows);
    if (statement === undefined) {
      const row = `(${this.columns.map(() => '?').join(', ')})`;
      statement = this.db.prepare(
        `INSERT INTO ${this.table} (${this.columns.join(', ')}) VALUES ${Array(rows).fill(row).join(', ')}`,
      );
      this.statements.set(rows, statement);
    }
    return statement;
  }
}
