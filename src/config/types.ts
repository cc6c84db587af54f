/**
 * The relay's configuration once read, validated and completed with defaults (see load.ts).
 * Durations are milliseconds here whatever unit the file uses.
 */
import type { Region } from '../customerio/index.js';
import type { RouteConfig } from '../profiles/index.js';

export interface RelayConfig {
  /** The file it came from (absent for the demo configuration). */
  file?: string;
  server: { host: string; port: number };
  /**
   * SQLite database file (the embedded store; `:memory:` for tests), or PostgreSQL (the scale-out
   * store) when `postgres` is set: its URL and how long a relay's claims outlive its last renewal.
   */
  store: { sqlite: string; postgres?: { url: string; leaseMs: number } };
  /** Token for `/admin` (Bearer); without one the admin API answers 403 and says how to set it. */
  admin: {
    token: string | undefined;
    /** `GET /metrics` without the token (default: the token is required, as for the admin API). */
    publicMetrics?: boolean;
  };
  /** messageId deduplication per source; 0 turns it off. */
  dedupe: { windowMs: number };
  deliveryLog: { maxEntries: number; maxAgeMs: number };
  /** Dead letters are deleted this long after they died; 0 (or absent) keeps them. */
  deadLetters?: { maxAgeMs: number };
  sources: SourceConfig[];
  destinations: DestinationConfig[];
}

export interface SourceConfig {
  name: string;
  writeKey: string;
  /** Ingest requests with this write key (token bucket); absent: no limit. */
  rateLimit?: { requestsPerSecond: number; burst: number };
}

export interface DestinationConfig {
  name: string;
  /** Where it sits in the file, e.g. `destinations[1]`, for messages. */
  path: string;
  siteId: string;
  apiKey: string;
  region: Region;
  /** Another Track API base (e.g. the emulator), instead of the region's. */
  endpoint: string | undefined;
  /** The Track API base URL actually used: `endpoint`, else the region's. */
  base: string;
  profile: string;
  /** The profile's settings as the file gives them (the profile applies its defaults). */
  settings?: Readonly<Record<string, unknown>>;
  /** Whether `subscriptions` are the profile's presets (the file has none of its own). */
  presets?: boolean;
  /** What events are routed by: the file's subscriptions or else the profile's presets, then the profile's filter rules. */
  subscriptions: RouteConfig[];
  /** Names of the sources it takes events from (default: all). */
  sources: string[];
  batch: { maxOperations: number; maxBytes: number; lingerMs: number };
  rateLimit: { requestsPerSecond: number };
  /** Deliver each person's operations in order (default true). */
  ordering: boolean;
  /** Requests in flight at once (default 4). */
  concurrency: number;
  /** Per request (default 30 s). */
  timeoutMs: number;
  retry: RetryConfig;
}

export interface RetryConfig {
  /** First wait (default 1 s); doubles each attempt, with jitter. */
  minBackoffMs: number;
  /** Longest wait between two attempts (default 5 min). */
  maxBackoffMs: number;
  /** Give up (dead letter) once the first attempt is older than this (default 4 h) ... */
  maxAgeMs: number;
  /** ... and at least this many attempts were made (default 3). */
  minAttempts: number;
}
