/** The public options and handle of `createEmulator()`. */
import type { WorkspaceState } from '../contract.js';
import type { FaultSettings } from './faults.js';
import type { RecordedRequest } from './request-log.js';
import type { Stats } from './stats.js';

export interface EmulatorOptions {
  /** Track API site id; requests must send Basic `siteId:apiKey`. */
  siteId: string;
  apiKey: string;
  /** Default 0: an ephemeral port (read it back from `port`). The CLI defaults to 9090. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Validate and count only; keep no state and no request log. */
  sink?: boolean;
  faults?: FaultSettings;
  /** Restore the workspace from this file at start (when present) and write it on close. */
  snapshotFile?: string;
  /** Default: a new in-memory `Workspace`. */
  workspace?: WorkspaceState;
  /** Clock in milliseconds (like `Date.now`), handed to the default workspace and request log. */
  now?: () => number;
  /** How many recent API requests `GET /_emulator/requests` keeps (default 200; 0 = none). */
  maxRecentRequests?: number;
}

export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:9090`: the relay's `endpoint`. */
  url: string;
  port: number;
  workspace: WorkspaceState;
  /** Replace the fault settings (throws a TypeError naming every invalid field). */
  setFaults(faults: FaultSettings): void;
  /** Current fault settings, with the random seed in use. */
  faults(): FaultSettings & { seed: number };
  stats(): Stats;
  /** Recent API requests, newest first (Authorization redacted). */
  requests(limit?: number): RecordedRequest[];
  /** Stop listening, end hanging requests, write the snapshot file. Safe to call twice. */
  close(): Promise<void>;
}
