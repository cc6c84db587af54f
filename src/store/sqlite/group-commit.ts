/**
 * Group commit: calls made in the same tick are queued and committed together on `setImmediate`,
 * so many concurrent requests share one transaction and one fsync. Every caller of a group is
 * resolved after the commit, or rejected if it failed (the transaction then stored nothing).
 */
interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<I, O> {
  private queue: Waiting<I, O>[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  /** Groups committed successfully (read by tests). */
  commits = 0;

  /** `commit` runs one whole group in one transaction and answers each input, in order. */
  constructor(private readonly commit: (inputs: I[]) => O[]) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Commit what is queued now (used by `close`, and by the scheduled tick). */
  flush(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const group = this.queue;
    if (group.length === 0) return;
    this.queue = [];
    let outputs: O[];
    try {
      outputs = this.commit(group.map((w) => w.input));
      this.commits++;
    } catch (error) {
      for (const w of group) w.reject(error);
      return;
    }
    for (let i = 0; i < group.length; i++) group[i]!.resolve(outputs[i]!);
  }
}
