/**
 * Group commit over a network database: calls arriving while a transaction is on its way wait and
 * go together in the next one, so many concurrent requests share one round trip and one WAL flush.
 * At most one group is in flight per store, which also keeps one relay's appends in arrival order.
 * A group is capped by weight (events) so one transaction stays short; a call is never split.
 * Every caller of a group is resolved after its commit, or rejected if it failed (nothing stored).
 */
interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

export class AsyncGroupCommit<I, O> {
  private queue: Waiting<I, O>[] = [];
  private running: Promise<void> | undefined;
  /** Groups committed successfully (read by tests). */
  commits = 0;

  constructor(
    private readonly commit: (inputs: I[]) => Promise<O[]>,
    private readonly weigh: (input: I) => number,
    private readonly maxWeight: number,
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Resolves once every submitted call has been answered. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    // Let the calls of this turn of the event loop join the first group.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const group = this.take();
      try {
        const outputs = await this.commit(group.map((w) => w.input));
        this.commits++;
        for (let i = 0; i < group.length; i++) group[i]!.resolve(outputs[i]!);
      } catch (error) {
        for (const w of group) w.reject(error);
      }
    }
    this.running = undefined;
  }

  private take(): Waiting<I, O>[] {
    let weight = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || weight < this.maxWeight)) {
      weight += this.weigh(this.queue[count]!.input);
      count++;
    }
    return this.queue.splice(0, count);
  }
}
