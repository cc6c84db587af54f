/**
 * The scale-out store: any number of relays on one PostgreSQL database (or schema). Appends share a
 * transaction per group (group-commit.ts) and resolve only after it commits; claims lock person
 * buckets with SKIP LOCKED (claim.ts) under a lease that other relays take over when it expires
 * (lease.ts). Connection errors reject the call (ingest then answers 503); the pool reconnects by
 * itself once the database is back.
 */
import type pg from 'pg';
import { APPEND_GROUP_LIMIT } from '../limits.js';
import type {
  AppendOptions,
  AppendResult,
  ClaimOptions,
  CompleteInput,
  DeadLetter,
  DeadLetterQuery,
  DeadLetterSelection,
  DestinationState,
  ForgetResult,
  Job,
  LogEntry,
  LogQuery,
  NewEvent,
  PruneOptions,
  QueueStats,
  SharedRateLimit,
  Store,
} from '../types.js';
import { Unsettled } from '../unsettled.js';
import { WalkOnPauses } from '../walk-on.js';
import { type AppendCall, appendGroup } from './append.js';
import { claimJobs } from './claim.js';
import { completeJobs } from './complete.js';
import { randomShard } from './counters.js';
import { DeadLetters } from './dead-letters.js';
import { Destinations } from './destinations.js';
import { forgetPerson } from './forget.js';
import { AsyncGroupCommit } from './group-commit.js';
import { HeldJobs } from './held.js';
import { Lease } from './lease.js';
import { searchLog } from './log.js';
import { isMissingPartition, Rotation } from './partitions.js';
import { createPool, redactUrl, transaction } from './pool.js';
import { prune } from './prune.js';
import { PostgresRateLimit } from './rate-limit.js';
import { RecentEvents } from './recent-events.js';
import { migrate } from './schema.js';
import { queueStats } from './stats.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Schema holding the tables (created if missing); default `public`. */
  schema?: string;
  /** Connections per relay for delivery work (claims, results); default 8. Other work uses up to 4. */
  poolSize?: number;
  /** Memory for the events this relay appended until it claims them (recent-events.ts); default 32 MB. */
  recentEventBytes?: number;
  /** Ids per partition of the jobs, events and log tables (partitions.ts); default 1,000,000. */
  partitionSize?: number;
  /** How long a relay's claims survive it once it stops renewing them; default 30 s. */
  leaseMs?: number;
  /** Told about background failures (lease renewal, dropped idle connections). */
  onError?: (error: unknown) => void;
  /**
   * Told when a lease renewal queued again the claims of relays whose lease ran out (killed, hung
   * or cut off): how many jobs, whose batches may reach Customer.io twice.
   */
  onReaped?: (jobs: number) => void;
}

export class PostgresStore implements Store {
  /** Appends and operator actions: committed durably. */
  private readonly pool: pg.Pool;
  /** Claims, results and the rate limit: see `synchronousCommit` and `indexOnly` in pool.ts. */
  private readonly work: pg.Pool;
  private readonly destinations: Destinations;
  private readonly appends: AsyncGroupCommit<AppendCall, AppendResult>;
  private readonly deadLetters: DeadLetters;
  private readonly lease: Lease;
  private readonly unsettled = new Unsettled();
  private readonly held = new HeldJobs();
  private readonly recent: RecentEvents;
  private readonly walkOn = new WalkOnPauses();
  private readonly partitions: Rotation;
  readonly sharedRateLimit: SharedRateLimit;
  private pruning: Promise<void> | undefined;
  private closed = false;

  private constructor(options: PostgresStoreOptions) {
    const onError = options.onError ?? (() => undefined);
    const connection = { url: options.url, schema: options.schema ?? 'public' };
    this.pool = createPool({ ...connection, max: 4, synchronousCommit: true }, onError);
    this.work = createPool(
      { ...connection, max: options.poolSize ?? 8, synchronousCommit: false, indexOnly: true },
      onError,
    );
    this.destinations = new Destinations(this.pool);
    this.recent = new RecentEvents(options.recentEventBytes);
    this.partitions = new Rotation(this.pool, options.partitionSize ?? 1_000_000);
    this.appends = new AsyncGroupCommit<AppendCall, AppendResult>(
      (calls) =>
        this.appendGroup(calls).catch(async (error: unknown) => {
          // Its ids fell beyond the last range of a table: make ranges, then once more.
          if (!isMissingPartition(error)) throw error;
          const jobs = calls.reduce(
            (n, call) => n + call.events.reduce((m, e) => m + e.destinations.length, 0),
            0,
          );
          await this.partitions.ensure(jobs);
          return this.appendGroup(calls);
        }),
      APPEND_GROUP_LIMIT.weigh,
      // A round trip costs far more than SQLite's per-event work: bigger groups.
      APPEND_GROUP_LIMIT.maxWeight * 8,
    );
    this.deadLetters = new DeadLetters(this.pool, this.destinations);
    this.sharedRateLimit = new PostgresRateLimit(this.work);
    this.lease = new Lease(
      this.pool,
      options.leaseMs ?? 30_000,
      { onError, onReaped: options.onReaped ?? (() => undefined) },
      () => this.afterRenewal(),
    );
  }

  /** Connect, create or migrate the schema, and register this relay's lease. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    try {
      const client = await store.pool.connect();
      try {
        await migrate(client, options.schema ?? 'public');
      } finally {
        client.release();
      }
      await store.partitions.ensure();
      await store.lease.start();
    } catch (error) {
      await store.pool.end().catch(() => undefined);
      await store.work.end().catch(() => undefined);
      throw new Error(
        `cannot open the PostgreSQL store at ${redactUrl(options.url)}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    return store;
  }

  /** Renew this relay's lease now (a timer does it every third of the lease; tests call it). */
  renewLease(): Promise<void> {
    return this.lease.renew();
  }

  /** Append groups committed so far (tests check the sharing). */
  get commitCount(): number {
    return this.appends.commits;
  }

  private async appendGroup(calls: AppendCall[]): Promise<AppendResult[]> {
    return appendGroup(this.pool, this.destinations, calls, await this.lease.id(), this.recent);
  }

  append(events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    return this.appends.submit({ events, options });
  }

  async claim(destination: string, options: ClaimOptions): Promise<Job[]> {
    this.open();
    await this.settle().catch(() => undefined);
    const dest = await this.destinations.find(destination);
    if (dest === undefined) return [];
    const owner = await this.lease.id();
    const walkOn = this.walkOn.allowed(destination, options);
    const jobs = await this.held.claim(dest, () =>
      claimJobs(this.work, dest, destination, options, owner, this.lease.relays, this.recent, walkOn),
    );
    this.walkOn.claimed(destination, options.now, walkOn, jobs.length);
    return jobs;
  }

  async complete(input: CompleteInput): Promise<void> {
    this.open();
    try {
      await this.record(input);
    } catch (error) {
      this.unsettled.add(input);
      throw error;
    }
  }

  private async record(input: CompleteInput): Promise<void> {
    const dest = await this.destinations.find(input.destination);
    if (dest === undefined || input.results.length === 0) return;
    const owner = await this.lease.id();
    // A shard drawn per call: concurrent results (of this relay too) rarely wait on one row.
    const complete = () =>
      completeJobs(this.work, dest, input, owner, randomShard(), (jobId) => this.held.messageId(dest, jobId));
    await complete().catch(async (error: unknown) => {
      // Its log ids fell beyond the last range: make ranges, then once more.
      if (!isMissingPartition(error)) throw error;
      await this.partitions.ensure(input.results.length);
      await complete();
    });
    this.held.release(
      dest,
      input.results.map((result) => result.jobId),
    );
  }

  /** Record results kept while the database was unreachable (unsettled.ts). */
  private settle(): Promise<void> {
    return this.unsettled.retry((input) => this.record(input));
  }

  /** After each lease renewal: pending results, then in-flight jobs nobody here works on (held.ts). */
  private async afterRenewal(): Promise<void> {
    await this.settle();
    // A scan of the in-flight jobs: on the connections that may plan one (pool.ts, indexOnly).
    await this.held.sweep(this.pool, await this.lease.id());
  }

  /**
   * This relay's own claims go back to the queue, and so do those of relays whose lease expired.
   * Live relays' claims are left alone (unlike SQLite's recover, which owns the whole file).
   */
  async recover(): Promise<number> {
    this.open();
    // Two transactions: one holding its counter row must not then wait for jobs (counters.ts).
    const own = await this.lease.releaseOwn(this.pool);
    this.held.clear();
    return own + (await this.lease.reap(this.pool));
  }

  async stats(destination: string, now: number): Promise<QueueStats> {
    this.open();
    return queueStats(this.pool, this.destinations, destination, now);
  }

  async destinationState(destination: string): Promise<DestinationState> {
    this.open();
    return this.destinations.state(destination);
  }

  async setPaused(destination: string, paused: DestinationState['paused']): Promise<void> {
    this.open();
    await this.destinations.setPaused(destination, paused);
  }

  async listDeadLetters(query: DeadLetterQuery): Promise<DeadLetter[]> {
    this.open();
    return this.deadLetters.list(query);
  }

  async getDeadLetter(id: number): Promise<DeadLetter | undefined> {
    this.open();
    return this.deadLetters.get(id);
  }

  async replayDeadLetters(selection: DeadLetterSelection, _now: number): Promise<number> {
    this.open();
    return this.deadLetters.replay(selection);
  }

  async dropDeadLetters(selection: DeadLetterSelection): Promise<number> {
    this.open();
    return this.deadLetters.drop(selection);
  }

  async searchLog(query: LogQuery): Promise<LogEntry[]> {
    this.open();
    return searchLog(this.pool, this.destinations, query);
  }

  async forgetPerson(personKey: string): Promise<ForgetResult> {
    this.open();
    const result = await transaction(this.pool, (client) => forgetPerson(client, personKey));
    this.recent.forget(personKey);
    return result;
  }

  /** Concurrent calls share the run in progress. */
  prune(options: PruneOptions): Promise<void> {
    this.open();
    this.pruning ??= prune(this.pool, options, () => this.closed)
      .then(() => this.partitions.maintain())
      .finally(() => {
        this.pruning = undefined;
      });
    return this.pruning;
  }

  /** Commits the appends already made, gives the lease up (queueing its claims again), disconnects. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.appends.settled();
    await this.settle().catch(() => undefined);
    await this.pruning?.catch(() => undefined);
    await this.lease.stop().catch(() => undefined);
    await Promise.all([this.pool.end(), this.work.end()]);
  }

  private open(): void {
    if (this.closed) throw new Error('store is closed');
  }
}

export function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  return PostgresStore.open(options);
}
