/**
 * Rows for a multi-row statement as one array per column, the shape `unnest($1::t[], $2::u[], …)`
 * takes: a statement's cost then does not grow with its parameter count. `literals` are the
 * parameters, encoded by array-literal.ts (much cheaper than pg's own array encoding).
 */
import { type ArrayElement, arrayLiteral } from './array-literal.js';

export class Columns {
  readonly arrays: ArrayElement[][];

  constructor(count: number) {
    this.arrays = Array.from({ length: count }, () => []);
  }

  push(...values: ArrayElement[]): void {
    for (let i = 0; i < values.length; i++) this.arrays[i]!.push(values[i]);
  }

  get length(): number {
    return this.arrays[0]!.length;
  }

  /** One array literal per column, in column order. */
  literals(): string[] {
    return this.arrays.map(arrayLiteral);
  }
}
