/**
 * The embedded store: one better-sqlite3 connection, WAL. Work is synchronous inside SQLite; the
 * async interface lets appends from one tick share a commit and lets bulk work yield between chunks.
 */
import Database from 'better-sqlite3';
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
  Store,
} from '../types.js';
import { Unsettled } from '../unsettled.js';
import { type AppendCall, Appender } from './append.js';
import { BACKSTOP_PAGES, Checkpointer } from './checkpointer.js';
import { Claimer } from './claim.js';
import { Claims } from './claims.js';
import { Completer } from './complete.js';
import { Counter } from './counter.js';
import { DeadLetterRetention } from './dead-letter-retention.js';
import { DeadLetters } from './dead-letters.js';
import { Dedupe } from './dedupe.js';
import { Destinations } from './destinations.js';
import { Durability, type SyncLevel } from './durability.js';
import { Forget } from './forget.js';
import { GroupCommit } from './group-commit.js';
import { InFlightCounts } from './in-flight-counts.js';
import { DeliveryLog } from './log.js';
import { LogKeys } from './log-keys.js';
import { LogWriter } from './log-writer.js';
import { Pruner } from './prune.js';
import { RunMarker } from './run-marker.js';
import { configure, migrate } from './schema.js';
import { Slots, SlotsExhausted } from './slots.js';
import { Stats } from './stats.js';
import { WalSync } from './wal-sync.js';
import type { WriteLock } from './write-lock.js';

export interface SqliteStoreOptions {
  /** Database file path, or ':memory:'. */
  file: string;
  /**
   * Run WAL checkpoints on a worker thread (default true). Another connection to the same file in
   * this process (the delivery thread's) leaves them to the first one.
   */
  checkpoints?: boolean;
  /** Shared with the other connections of this process to the same file (see write-lock.ts). */
  writeLock?: WriteLock;
  /** SQLite's page cache (default 32 MB). */
  cacheMb?: number;
  /**
   * Shared with the other connections of this process to the same file, so that one that claims
   * (the delivery thread's) shows its jobs in flight in the others' stats (see in-flight-counts.ts).
   */
  inFlightCounts?: InFlightCounts;
  /**
   * The running relay's own connection: it marks the file while open, so that the next relay's
   * `uncleanStop` tells whether this one closed it (run-marker.ts).
   */
  marksRun?: boolean;
}

export class SqliteStore implements Store {
  readonly keepsPrepared = true;
  private readonly db: Database.Database;
  private readonly durability: Durability;
  private readonly destinations: Destinations;
  private readonly appender: Appender;
  private readonly appends: GroupCommit<AppendCall, AppendResult | SlotsExhausted>;
  private readonly claims: Claims;
  private readonly claimer: Claimer;
  /** A claim's reads in one snapshot (claim.ts). */
  private readonly readClaim: (dest: number, destination: string, options: ClaimOptions) => Job[];
  private readonly completer: Completer;
  private readonly statistics: Stats;
  private readonly deadLetters: DeadLetters;
  private readonly log: DeliveryLog;
  private readonly pruner: Pruner;
  private readonly forgetter: Forget;
  private readonly deadLetterRetention: DeadLetterRetention;
  private readonly unsettled = new Unsettled();
  private readonly checkpointer: Checkpointer | undefined;
  private readonly walSync: WalSync | undefined;
  private readonly runMarker: RunMarker | undefined;
  private pruning: Promise<void> | undefined;
  private closed = false;

  constructor(options: SqliteStoreOptions) {
    this.db = new Database(options.file);
    try {
      configure(this.db, options.cacheMb);
      migrate(this.db);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.durability = new Durability(this.db, options.writeLock);
    // A file system without WAL support leaves another journal mode: appends then commit at FULL.
    const wal = !this.db.memory && this.db.pragma('journal_mode', { simple: true }) === 'wal';
    const walSync = wal ? new WalSync(`${options.file}-wal`) : undefined;
    this.walSync = walSync;
    this.destinations = new Destinations(this.db);
    const inFlight = options.inFlightCounts ?? InFlightCounts.create();
    const slots = new Slots(this.db, inFlight);
    const eventIds = new Counter(this.db, 'next_event_id');
    const dedupe = new Dedupe(this.db);
    this.appender = new Appender(this.db, this.destinations, eventIds, dedupe, slots);
    this.appends = new GroupCommit<AppendCall, AppendResult | SlotsExhausted>(
      (calls) => {
        let results: (AppendResult | SlotsExhausted)[];
        try {
          // Durable through walSync when there is a file (answered after its fsync), else FULL.
          results = this.durability.write(this.walSync ? 'relaxed' : 'durable', () =>
            this.appender.appendGroup(calls),
          );
        } catch (error) {
          dedupe.rollback();
          this.destinations.forget();
          throw error;
        }
        dedupe.commit();
        return results;
      },
      {
        ...APPEND_GROUP_LIMIT,
        ...(walSync && { durable: () => walSync.sync() }),
      },
    );
    this.claims = new Claims(this.db, inFlight);
    this.claimer = new Claimer(this.db, this.claims);
    this.readClaim = this.db.transaction((dest: number, destination: string, claimOptions: ClaimOptions) =>
      this.claimer.claim(dest, destination, claimOptions),
    );
    const logIds = new Counter(this.db, 'next_log_id');
    const logKeys = new LogKeys(this.db);
    const logWriter = new LogWriter(this.db, logKeys);
    this.completer = new Completer(this.db, this.claims, this.destinations, logIds, logWriter);
    this.statistics = new Stats(this.db, this.destinations, inFlight);
    this.deadLetters = new DeadLetters(this.db, this.destinations, eventIds, slots);
    this.log = new DeliveryLog(this.db, this.destinations, logKeys);
    this.pruner = new Pruner(this.db, dedupe, logIds, logWriter);
    this.forgetter = new Forget(this.db, this.destinations, logWriter);
    this.deadLetterRetention = new DeadLetterRetention(this.db);
    if (!this.db.memory) {
      this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
      this.db.pragma(`journal_size_limit = ${BACKSTOP_PAGES * 4096}`);
      if (options.checkpoints !== false) this.checkpointer = new Checkpointer(options.file);
    }
    if (options.marksRun) this.runMarker = this.write('durable', () => new RunMarker(this.db));
  }

  /**
   * With `marksRun`: the last relay on this file died without closing it, so the batches it had in
   * flight are sent again (and may reach Customer.io twice).
   */
  get uncleanStop(): boolean {
    return this.runMarker?.uncleanStop ?? false;
  }

  /** Append groups committed so far (one per tick with appends; tests check the sharing). */
  get commitCount(): number {
    return this.appends.commits;
  }

  async append(events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closed) throw new Error('store is closed');
    const result = await this.appends.submit({ events, options });
    if (result instanceof SlotsExhausted) throw result;
    return result;
  }

  async claim(destination: string, options: ClaimOptions): Promise<Job[]> {
    this.open();
    await this.settle();
    const dest = this.destinations.find(destination);
    if (dest === undefined) return [];
    return this.readClaim(dest, destination, options);
  }

  /**
   * Results that cannot be written (a full disk) are kept and written before the next claim or
   * result, so their jobs do not stay in flight until the next start (unsettled.ts).
   */
  async complete(input: CompleteInput): Promise<void> {
    this.open();
    try {
      await this.settle();
      this.record(input);
    } catch (error) {
      this.unsettled.add(input);
      throw error;
    }
  }

  private record(input: CompleteInput): void {
    const dest = this.destinations.find(input.destination);
    if (dest === undefined || input.results.length === 0) return;
    const settlement = this.write('relaxed', () => {
      // The queue as the file has it: a job forgotten meanwhile may have let the destination's
      // slot change hands since its claim, and the frontier must not move back (claims.ts).
      this.claims.current(dest);
      return this.completer.complete(dest, input);
    });
    this.claims.settled(dest, settlement);
  }

  private settle(): Promise<void> {
    return this.unsettled.retry(async (input) => this.record(input));
  }

  /**
   * Claims are in memory only (claims.ts): after a crash every unfinished job is queued anyway.
   * This forgets the claims of this connection (their late results change nothing).
   */
  async recover(): Promise<number> {
    this.open();
    return this.claims.clear();
  }

  async stats(destination: string, now: number): Promise<QueueStats> {
    this.open();
    return this.statistics.stats(destination, now);
  }

  async destinationState(destination: string): Promise<DestinationState> {
    this.open();
    return this.destinations.state(destination);
  }

  async setPaused(destination: string, paused: DestinationState['paused']): Promise<void> {
    this.open();
    this.write('durable', () => this.destinations.setPaused(destination, paused));
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
    return this.deadLetters.replay(selection, (fn) => this.write('durable', fn));
  }

  async dropDeadLetters(selection: DeadLetterSelection): Promise<number> {
    this.open();
    return this.deadLetters.drop(selection, (fn) => this.write('durable', fn));
  }

  async searchLog(query: LogQuery): Promise<LogEntry[]> {
    this.open();
    return this.log.search(query);
  }

  async forgetPerson(personKey: string): Promise<ForgetResult> {
    this.open();
    const result = this.write('durable', () => this.forgetter.forget(personKey));
    this.claims.forgetPerson(personKey);
    return result;
  }

  /** Concurrent calls share the run in progress. */
  prune(options: PruneOptions): Promise<void> {
    this.open();
    const write = <T>(fn: () => T) => this.write('relaxed', fn);
    const stopped = () => this.closed;
    this.pruning ??= this.pruner
      .prune(options, write, stopped)
      .then(async () => {
        const maxAge = options.deadLetterMaxAgeMs ?? 0;
        if (maxAge > 0) await this.deadLetterRetention.expireBefore(options.now - maxAge, write, stopped);
      })
      .finally(() => {
        this.pruning = undefined;
      });
    return this.pruning;
  }

  /** Commits the appends already made, waits for a prune to stop, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.appends.flushAll();
    this.closed = true;
    await this.appends.settled();
    await this.walSync?.close();
    await this.pruning?.catch(() => undefined);
    await this.checkpointer?.stop();
    try {
      if (this.runMarker) this.write('durable', () => this.runMarker!.clear());
    } catch {
      // A full disk, say: the next relay then warns of an unclean stop it did not need to.
    }
    this.db.close();
  }

  private open(): void {
    if (this.closed) throw new Error('store is closed');
  }

  private write<T>(level: SyncLevel, fn: () => T): T {
    return this.durability.write(level, fn);
  }
}

export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(options);
}
