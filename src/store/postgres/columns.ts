/**
 * Rows for a multi-row statement as one array per column, the shape `unnest($1::t[], $2::u[], …)`
 * takes: a statement's cost then does not grow with its parameter count.
 */
export class Columns {
  readonly arrays: unknown[][];

  constructor(count: number) {
    this.arrays = Array.from({ length: count }, () => []);
  }

  push(...values: unknown[]): void {
    for (let i = 0; i < values.length; i++) this.arrays[i]!.push(values[i]);
  }

  get length(): number {
    return this.arrays[0]!.length;
  }
}
