/**
 * Messages between the relay's main thread (ingest, admin API) and its delivery thread. Plain data
 * only: they cross the thread boundary by structured clone.
 */
import type { DestinationConfig } from '../config/types.js';
import type { DeliveryCounters, DestinationStatus } from '../pipeline/delivery/index.js';
import type { RouteConfig } from '../profiles/index.js';

export interface DeliveryThreadData {
  storeFile: string;
  /** The memory of the store's WriteLock, shared by the two threads' connections. */
  writeLock: SharedArrayBuffer;
  /** The memory of the store's InFlightCounts: the thread's claims, shown in the main thread's stats. */
  inFlightCounts: SharedArrayBuffer;
  destinations: DestinationConfig[];
  idlePollMs?: number;
}

/** Main → delivery thread. */
export type ToDelivery =
  | { type: 'notify'; destinations: string[] }
  | { type: 'status'; id: number }
  | { type: 'counters'; id: number }
  | { type: 'resume'; id: number; destination: string }
  | { type: 'subscriptions'; id: number; destination: string; routes: RouteConfig[] }
  | { type: 'stop' };

export type ReplyValue = DestinationStatus[] | boolean | DeliveryCounters;

export type LogLevel = 'info' | 'warn' | 'error';

/** Delivery thread → main. */
export type FromDelivery =
  | { type: 'started' }
  | { type: 'failed'; message: string }
  | { type: 'log'; level: LogLevel; details: object; message: string }
  /** The metrics' counters, every second (so a crash loses at most a second of counts). */
  | { type: 'counters'; value: DeliveryCounters }
  | { type: 'reply'; id: number; value: ReplyValue }
  | { type: 'replyError'; id: number; message: string };
