/**
 * Sizes the slices of bulk work (prune) by time rather than by rows: a slice is one transaction run
 * synchronously, so its duration is how long it holds the event loop. After each slice the size
 * grows or shrinks so that the next one takes about `budgetMs`, whatever the rows cost on this
 * machine and under this load.
 */
export class SliceBudget {
  constructor(
    private size: number,
    private readonly budgetMs = 2,
    private readonly min = 16,
    private readonly max = 4096,
  ) {}

  /** Rows the next slice may handle. */
  get rows(): number {
    return this.size;
  }

  /** Run one slice of `rows` rows through `fn` (answering the rows it handled) and adapt. */
  run(fn: (rows: number) => number): number {
    const rows = this.size;
    const start = performance.now();
    const done = fn(rows);
    const ms = performance.now() - start;
    // Only a full slice says how long `rows` rows take.
    if (done === rows) {
      if (ms > this.budgetMs) this.size = Math.max(this.min, Math.floor(this.size / 2));
      else if (ms < this.budgetMs / 2) this.size = Math.min(this.max, this.size * 2);
    }
    return done;
  }
}
