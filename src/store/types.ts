/**
 * The durable queue's one interface. The embedded store (SQLite, `sqlite/`) and the scale-out store
 * (PostgreSQL, `postgres/`, issue 6) both implement it and pass the same conformance suite
 * (test/store/conformance.ts). All times are epoch milliseconds.
 *
 * Model: an accepted event is stored once; each destination that should receive it gets one job.
 * A job is queued, in flight (claimed by a delivery worker), waiting for a retry (queued with a due
 * time in the future and attempts > 0), or finished: delivered/filtered jobs are deleted (a log entry
 * remains), dead ones become dead letters that keep the event and can be replayed.
 */

export interface NewEvent {
  /** Name of the source (write key) that sent it. */
  source: string;
  /** Deduplicated per source over the dedupe window. */
  messageId: string;
  /** userId, else anonymousId: the unit of ordering. */
  personKey: string;
  /** The validated event as JSON text. */
  body: string;
  receivedAt: number;
  /** Destinations that get a job for it (after `integrations` filtering). May be empty. */
  destinations: readonly string[];
  /** Its operations as ingest mapped them (pipeline/prepared.ts), for stores that keep them. */
  prepared?: string | undefined;
}

export interface AppendOptions {
  /** Drop events whose (source, messageId) was appended less than this long ago; 0 turns it off. */
  dedupeWindowMs: number;
}

export interface AppendResult {
  /** Input positions of the events dropped as duplicates (not stored, but answered 200). */
  duplicates: number[];
}

export interface Job {
  /** Increases with arrival order within a destination. */
  id: number;
  destination: string;
  eventId: number;
  source: string;
  messageId: string;
  personKey: string;
  /** The event as stored (JSON text). */
  body: string;
  /** Its operations as ingest mapped them, when the store keeps them (pipeline/prepared.ts). */
  prepared?: string | undefined;
  receivedAt: number;
  /** Attempts already finished (0 for a fresh job). */
  attempts: number;
  firstAttemptAt: number | null;
}

export interface ClaimOptions {
  /** At most this many jobs. */
  limit: number;
  now: number;
  /**
   * Per-person order: a job is claimed only when every earlier unfinished job of the same person is
   * claimed in the same call (so it goes first in the same request). Jobs waiting for a retry
   * (due later) or in flight hold back the later jobs of their person.
   */
  ordered: boolean;
  /**
   * Unfinished jobs looked at before giving up, not counting those held back behind their person's
   * earlier job, of which up to HELD_BACK_WINDOWS × scanLimit are walked past (limits.ts; paused
   * for a while after such a walk found nothing, walk-on.ts): bounds the cost of one claim, while a
   * busy person waiting for a retry does not stop everyone else. Default: 20 × limit.
   */
  scanLimit?: number;
}

/** What went wrong with one delivery attempt, as shown in the log, dead letters and the console. */
export interface DeliveryError {
  code: string;
  message: string;
  /** HTTP status, when Customer.io answered. */
  status?: number;
}

/** One HTTP exchange with the Track API, as kept in the delivery log and dead letters. */
export interface Exchange {
  method: string;
  url: string;
  /** This job's part of the request body (its operations), JSON text. */
  requestBody: string;
  status?: number;
  /** Response body, truncated to a few KB. */
  responseBody?: string;
  durationMs?: number;
}

interface ResultBase {
  jobId: number;
  /** What was sent for this job and what came back; absent when nothing was sent. */
  exchange?: Exchange;
}

export type JobResult = ResultBase &
  (
    | { outcome: 'delivered' }
    /** Nothing to send: no subscription matched. */
    | { outcome: 'filtered'; reason: string }
    /** Counts an attempt; the job waits until `dueAt`, holding back its person's later jobs. */
    | { outcome: 'retry'; dueAt: number; error: DeliveryError }
    /** Becomes a dead letter (counts an attempt). */
    | { outcome: 'dead'; error: DeliveryError }
    /** Back to the queue unchanged, no attempt counted (destination paused, shutting down). */
    | { outcome: 'release' }
  );

export interface CompleteInput {
  destination: string;
  now: number;
  /** Results for jobs this destination claimed; every claimed job gets exactly one, eventually. */
  results: readonly JobResult[];
}

export type LogOutcome = 'delivered' | 'filtered' | 'retry' | 'dead';

export interface LogEntry {
  id: number;
  at: number;
  destination: string;
  jobId: number;
  messageId: string;
  personKey: string;
  outcome: LogOutcome;
  /** Attempts including this one. */
  attempts: number;
  /** The event as received (JSON text). */
  event: string;
  exchange?: Exchange;
  error?: DeliveryError;
  reason?: string;
}

export interface LogQuery {
  destination?: string;
  messageId?: string;
  /** Matches the person key (userId, else anonymousId). */
  personKey?: string;
  outcome?: LogOutcome;
  /** Newest first; entries with id < beforeId (paging). */
  beforeId?: number;
  /** Default 50, at most 1000. */
  limit?: number;
}

export interface DeadLetter {
  id: number;
  destination: string;
  source: string;
  messageId: string;
  personKey: string;
  /** The event (JSON text), kept so that a replay maps it again with the current subscriptions. */
  event: string;
  receivedAt: number;
  attempts: number;
  firstAttemptAt: number | null;
  deadAt: number;
  error: DeliveryError;
  exchange?: Exchange;
}

export interface DeadLetterQuery {
  destination?: string;
  /** Oldest first; entries with id > afterId (paging). */
  afterId?: number;
  /** Default 50, at most 1000. */
  limit?: number;
}

/**
 * Which dead letters a replay or drop applies to: these ids, or all of a destination, or (with
 * `all: true`) every one. An empty selection matches nothing.
 */
export interface DeadLetterSelection {
  ids?: readonly number[];
  destination?: string;
  all?: boolean;
}

export interface QueueStats {
  /** Jobs waiting to be sent for the first time, or whose retry is due. */
  queued: number;
  inFlight: number;
  /** Jobs waiting for a retry that is not due yet. */
  retrying: number;
  dead: number;
  /** Totals since the store was created. */
  delivered: number;
  filtered: number;
  /** Earliest due time among jobs waiting for a retry, if any. */
  nextDueAt: number | null;
}

export interface DestinationState {
  /** Set when delivery was paused (401/403), cleared by the operator's resume. */
  paused: (DeliveryError & { at: number }) | null;
}

export interface ForgetResult {
  jobs: number;
  events: number;
  logEntries: number;
  deadLetters: number;
}

export interface PruneOptions {
  now: number;
  dedupeWindowMs: number;
  logMaxEntries: number;
  logMaxAgeMs: number;
  /** Dead letters older than this (since they died) are deleted; absent or 0 keeps them. */
  deadLetterMaxAgeMs?: number;
}

/**
 * A rate limit shared by every relay delivering to the same destination through one store (several
 * processes on PostgreSQL), consulted after the relay's own limiter: together they send at most
 * `requestsPerSecond`, and a `Retry-After` seen by one holds them all back.
 */
export interface SharedRateLimit {
  /** Milliseconds to wait before a request may start; 0 means go (the request is counted). */
  take(destination: string, requestsPerSecond: number): Promise<number>;
  /** Nobody sends to the destination for `ms` from now (a 429's Retry-After). */
  block(destination: string, ms: number): Promise<void>;
}

export interface Store {
  /** Present when several relays may share this store (PostgreSQL); absent for SQLite. */
  readonly sharedRateLimit?: SharedRateLimit;
  /** Whether claimed jobs bring back what `append` got as `prepared` (else ingest need not map). */
  readonly keepsPrepared?: boolean;
  /**
   * Store events and their jobs. Resolves only once they are durably committed; concurrent calls
   * share one commit (group commit). Rejects when the store cannot commit: nothing of that call was
   * stored, and the caller answers 503.
   */
  append(events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /** Claim due jobs of a destination in job order, marking them in flight. */
  claim(destination: string, options: ClaimOptions): Promise<Job[]>;
  /** Record the results of claimed jobs (and their delivery log entries) in one transaction. */
  complete(input: CompleteInput): Promise<void>;
  /**
   * After a crash: jobs left in flight become queued again (their attempt is not counted). A store
   * shared by several relays only takes back this relay's own claims and those whose lease expired.
   */
  recover(): Promise<number>;
  stats(destination: string, now: number): Promise<QueueStats>;
  destinationState(destination: string): Promise<DestinationState>;
  setPaused(destination: string, paused: DestinationState['paused']): Promise<void>;
  listDeadLetters(query: DeadLetterQuery): Promise<DeadLetter[]>;
  getDeadLetter(id: number): Promise<DeadLetter | undefined>;
  /** Queue the selected dead letters again as fresh jobs (attempts reset) and remove them. */
  replayDeadLetters(selection: DeadLetterSelection, now: number): Promise<number>;
  dropDeadLetters(selection: DeadLetterSelection): Promise<number>;
  searchLog(query: LogQuery): Promise<LogEntry[]>;
  /**
   * Erasure (GDPR): delete everything stored about one person key: their unfinished jobs (in flight
   * too: a late result for one changes nothing), their events, delivery log entries and dead
   * letters. Delivered/filtered totals stay. Answers what was removed.
   */
  forgetPerson(personKey: string): Promise<ForgetResult>;
  /** Housekeeping: expire dedupe keys and old log entries, delete events nothing refers to. */
  prune(options: PruneOptions): Promise<void>;
  close(): Promise<void>;
}
