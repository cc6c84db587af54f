/**
 * Delivery on its own thread, seen from the main thread: the same DeliveryPort as the in-process
 * engine, with each call a message to the delivery thread (delivery-thread.ts).
 *
 * Ingest (HTTP, validation, appends) and delivery (claims, mapping, requests, results) each keep a
 * core busy under load; on one thread they took turns. Both threads open the same SQLite file and
 * take turns to write through a shared lock (store/sqlite/write-lock.ts).
 *
 * Should the thread die (a bug, not a Customer.io failure: those are outcomes), it is started again
 * after a second; jobs it left in flight are queued again by the new engine's recover().
 */
import type { Worker } from 'node:worker_threads';
import {
  addCounters,
  type DeliveryCounters,
  type DeliveryPort,
  type DestinationStatus,
} from '../pipeline/delivery/index.js';
import type { RouteConfig } from '../profiles/index.js';
import { WriteLock } from '../store/index.js';
import type { DeliveryThreadData, FromDelivery, ReplyValue, ToDelivery } from './delivery-messages.js';
import type { Logger } from './logger.js';
import { MappingBalance } from './mapping-balance.js';
import { startModuleWorker } from './module-worker.js';

const RESTART_DELAY_MS = 1000;
/** A scrape waits this long for fresh counters from a busy thread, then shows the last ones it got. */
const COUNTERS_WAIT_MS = 1000;

interface Pending {
  resolve: (value: ReplyValue) => void;
  reject: (error: Error) => void;
}

export class ThreadedDelivery implements DeliveryPort {
  private worker: Worker | undefined;
  private running = false;
  private stopping = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Destinations to wake, sent once per turn of the event loop rather than once per request. */
  private readonly toNotify = new Set<string>();
  private notifyScheduled = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly writeLock: WriteLock;
  /** The running thread's latest counters, and the sum of those of threads that stopped before it. */
  private latestCounters: DeliveryCounters = {};
  private earlierCounters: DeliveryCounters = {};
  private readonly mapping = new MappingBalance(
    () => performance.eventLoopUtilization(),
    () => this.worker?.performance.eventLoopUtilization(),
  );

  constructor(
    private readonly data: DeliveryThreadData,
    private readonly logger: Logger,
  ) {
    this.writeLock = new WriteLock(data.writeLock);
  }

  /** Ingest maps ahead while the delivery thread is the busier one (mapping-balance.ts). */
  ingestShouldMap(): boolean {
    return this.mapping.ingestShouldMap();
  }

  /** The running thread (diagnostics and tests). */
  get thread(): Worker | undefined {
    return this.worker;
  }

  /** Resolves once the thread's engine has started (rejects if it could not). */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const worker = startModuleWorker(new URL('./delivery-thread.js', import.meta.url), this.data);
      this.worker = worker;
      const threadId = worker.threadId;
      let started = false;
      worker.on('message', (message: FromDelivery) => {
        if (message.type === 'started') {
          started = true;
          this.running = true;
          resolve();
        } else if (message.type === 'failed') {
          if (!started) reject(new Error(`delivery could not start: ${message.message}`));
          else this.logger.error({ reason: message.message }, 'delivery thread failed');
        } else {
          this.receive(message);
        }
      });
      worker.on('error', (error) => {
        if (!started) reject(error);
        else this.logger.error({ err: error }, 'delivery thread crashed');
      });
      worker.on('exit', (code) => {
        this.writeLock.releaseFor(threadId);
        addCounters(this.earlierCounters, this.latestCounters);
        this.latestCounters = {};
        this.running = false;
        this.worker = undefined;
        for (const call of this.pending.values()) call.reject(new Error('delivery thread stopped'));
        this.pending.clear();
        if (!started) {
          reject(new Error(`delivery thread exited with code ${code} while starting`));
        } else if (!this.stopping) {
          this.logger.error({ code }, 'delivery thread stopped unexpectedly; starting it again in 1 s');
          this.restartTimer = setTimeout(() => this.restart(), RESTART_DELAY_MS);
        }
      });
    });
  }

  /** Let deliveries in progress finish, then close the thread's store connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    this.send({ type: 'stop' });
    await exited;
  }

  notify(destinations: Iterable<string>): void {
    for (const name of destinations) this.toNotify.add(name);
    if (this.notifyScheduled || this.toNotify.size === 0) return;
    this.notifyScheduled = true;
    setImmediate(() => {
      this.notifyScheduled = false;
      this.send({ type: 'notify', destinations: [...this.toNotify] });
      this.toNotify.clear();
    });
  }

  replayed(destination: string): void {
    this.notify([destination]);
  }

  async status(): Promise<DestinationStatus[]> {
    return (await this.call({ type: 'status', id: this.nextId++ })) as DestinationStatus[];
  }

  async applySubscriptions(destination: string, routes: RouteConfig[]): Promise<boolean> {
    const applied = (await this.call({
      type: 'subscriptions',
      id: this.nextId++,
      destination,
      routes,
    })) as boolean;
    // A restarted thread starts from this data: it must start with these subscriptions too.
    this.data.destinations = this.data.destinations.map((d) =>
      d.name === destination ? { ...d, subscriptions: routes } : d,
    );
    return applied;
  }

  async resume(destination: string): Promise<boolean> {
    return (await this.call({ type: 'resume', id: this.nextId++, destination })) as boolean;
  }

  ready(): boolean {
    return this.running && !this.stopping;
  }

  /** Counted since the relay started, across thread restarts: fresh from the thread if it answers soon. */
  async counters(): Promise<DeliveryCounters> {
    if (this.running) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), COUNTERS_WAIT_MS);
      });
      const fresh = this.call({ type: 'counters', id: this.nextId++ }).catch(() => undefined);
      const value = await Promise.race([fresh, late]);
      clearTimeout(timer);
      if (value !== undefined && this.running) this.latestCounters = value as DeliveryCounters;
    }
    return addCounters(addCounters({}, this.earlierCounters), this.latestCounters);
  }

  private call(message: ToDelivery & { id: number }): Promise<ReplyValue> {
    if (!this.running) return Promise.reject(new Error('delivery is not running'));
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      this.send(message);
    });
  }

  private send(message: ToDelivery): void {
    this.worker?.postMessage(message);
  }

  private receive(message: FromDelivery): void {
    switch (message.type) {
      case 'log':
        this.logger[message.level](message.details, message.message);
        return;
      case 'counters':
        this.latestCounters = message.value;
        return;
      case 'reply':
      case 'replyError': {
        const call = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.type === 'reply') call?.resolve(message.value);
        else call?.reject(new Error(message.message));
        return;
      }
    }
  }

  private restart(): void {
    if (this.stopping) return;
    this.start().catch((error: unknown) => {
      this.logger.error({ err: error }, 'delivery thread could not start; trying again in 1 s');
      this.restartTimer = setTimeout(() => this.restart(), RESTART_DELAY_MS);
    });
  }
}
