/**
 * Group commit: calls made in the same tick are queued and committed together on `setImmediate`,
 * so many concurrent requests share one transaction and one fsync. Every caller of a group is
 * resolved after the commit, or rejected if it failed (the transaction then stored nothing).
 *
 * A group is capped by weight (events): under a burst, one huge transaction would hold the event
 * loop for tens of milliseconds (every request waiting behind it, acks included). Calls past the
 * cap start the next group, committed on a later turn of the loop, so I/O runs in between. A call
 * is never split: its events are in exactly one commit, the one that resolves it.
 *
 * With `durable`, a group's callers are answered once the promise it returns after the commit
 * resolves (the fsync, see wal-sync.ts), so the next group may commit while the disk works.
 */
interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions<I> {
  /** The weight of one call (e.g. its events). */
  weigh: (input: I) => number;
  /** A group takes calls until their weight reaches this (at least one call). */
  maxWeight: number;
  /** Called after each commit; the group is answered when it resolves (rejected if it rejects). */
  durable?: () => Promise<void>;
}

export class GroupCommit<I, O> {
  /** The group the next flush commits (read by bench/e2e-timed.ts to count its events). */
  private queue: Waiting<I, O>[] = [];
  private weight = 0;
  /** Full groups waiting behind `queue`, oldest first. */
  private readonly later: Waiting<I, O>[][] = [];
  private lastWeight = 0;
  private scheduled: NodeJS.Immediate | undefined;
  /** Groups committed but not yet durable. */
  private readonly syncing = new Set<Promise<void>>();
  /** Groups committed successfully (read by tests). */
  commits = 0;

  /** `commit` runs one whole group in one transaction and answers each input, in order. */
  constructor(
    private readonly commit: (inputs: I[]) => O[],
    private readonly options: GroupCommitOptions<I> = { weigh: () => 1, maxWeight: Number.POSITIVE_INFINITY },
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const waiting = { input, resolve, reject };
      const weight = this.options.weigh(input);
      const tail = this.later[this.later.length - 1];
      if (tail === undefined && (this.queue.length === 0 || this.weight < this.options.maxWeight)) {
        this.queue.push(waiting);
        this.weight += weight;
      } else if (tail !== undefined && this.lastWeight < this.options.maxWeight) {
        tail.push(waiting);
        this.lastWeight += weight;
      } else {
        this.later.push([waiting]);
        this.lastWeight = weight;
      }
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Commit the first group queued now; later groups follow on later turns of the event loop. */
  flush(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const group = this.queue;
    this.queue = this.later.shift() ?? [];
    this.weight = this.queue.reduce((sum, w) => sum + this.options.weigh(w.input), 0);
    if (this.queue.length > 0) this.scheduled = setImmediate(() => this.flush());
    if (group.length === 0) return;
    let outputs: O[];
    try {
      outputs = this.commit(group.map((w) => w.input));
      this.commits++;
    } catch (error) {
      for (const w of group) w.reject(error);
      return;
    }
    const answer = () => {
      for (let i = 0; i < group.length; i++) group[i]!.resolve(outputs[i]!);
    };
    if (this.options.durable === undefined) {
      answer();
      return;
    }
    const synced = this.options.durable().then(answer, (error: unknown) => {
      for (const w of group) w.reject(error);
    });
    this.syncing.add(synced);
    void synced.finally(() => this.syncing.delete(synced));
  }

  /** Resolves once every committed group has been answered. */
  async settled(): Promise<void> {
    await Promise.all([...this.syncing]);
  }

  /** Commit everything queued, group after group, now (used by `close`). */
  flushAll(): void {
    while (this.queue.length > 0) this.flush();
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
  }
}
