/**
 * Results that could not be recorded (PostgreSQL unreachable, a full disk under SQLite), kept to be
 * recorded once the store works again, by the same relay, without a restart. Their jobs stay in
 * flight meanwhile (so their persons' later jobs wait). On PostgreSQL, unless the lease expires
 * first: then another relay has taken them over and recording them matches nothing.
 */
import type { CompleteInput } from './types.js';

export class Unsettled {
  private pending: CompleteInput[] = [];
  private retrying: Promise<void> | undefined;

  add(input: CompleteInput): void {
    this.pending.push(input);
  }

  /** Record what is pending, oldest first; stops at the first failure (still unreachable). */
  retry(record: (input: CompleteInput) => Promise<void>): Promise<void> {
    if (this.pending.length === 0) return Promise.resolve();
    this.retrying ??= (async () => {
      while (this.pending.length > 0) {
        await record(this.pending[0]!);
        this.pending.shift();
      }
    })().finally(() => {
      this.retrying = undefined;
    });
    return this.retrying;
  }
}
