/**
 * What the routes and hooks of one emulator instance share. One object per `createEmulator()` call,
 * passed explicitly (no Fastify decorators or global type augmentation, which would leak into the
 * relay's own Fastify server typings).
 */
import type { Socket } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { WorkspaceState } from '../contract.js';
import type { AuthCheck } from './auth.js';
import type { FaultInjector } from './fault-injector.js';
import type { RequestLog } from './request-log.js';
import type { StatsCounter } from './stats.js';

export interface RequestState {
  /** `now()` when the request arrived (wall clock, or the injected clock). */
  arrivedAt: number;
  /** `performance.now()` at arrival, for durations unaffected by an injected clock. */
  startedMs: number;
  fault?: string;
  /** A fault that acts once the request was applied: its answer is reset or withheld. */
  afterApply?: 'reset' | 'hang';
  /** Set once the exchange is in the request log (a reset one must not be logged again). */
  recorded?: boolean;
  /** The serialised answer, kept for the request log. */
  response?: string;
}

export interface ServerContext {
  siteId: string;
  workspace: WorkspaceState;
  sink: boolean;
  checkAuth: AuthCheck;
  faults: FaultInjector;
  stats: StatsCounter;
  log: RequestLog;
  now: () => number;
  snapshotFile: string | undefined;
  /** Aborted by `close()`: cuts injected latency short. */
  shutdown: AbortSignal;
  /** Sockets of requests left hanging by a fault; `close()` destroys them. */
  hung: Set<Socket>;
  requests: WeakMap<FastifyRequest, RequestState>;
  /** The emulator's own base URL (known once listening). */
  url(): string;
}

/** Paths that carry Track API credentials and are subject to auth, faults, stats and the request log. */
export function isApiPath(url: string): boolean {
  return url.startsWith('/api/') || url === '/auth' || url.startsWith('/auth?') || url.startsWith('/auth/');
}

export function isInspectPath(url: string): boolean {
  return url === '/_emulator' || url.startsWith('/_emulator/') || url.startsWith('/_emulator?');
}

/** The request body as the catch-all parser left it (a Buffer), or undefined when there was none. */
export function rawBody(request: FastifyRequest): Buffer | undefined {
  return Buffer.isBuffer(request.body) ? request.body : undefined;
}

/** The path without its query string. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
