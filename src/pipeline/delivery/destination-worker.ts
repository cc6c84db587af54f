/**
 * Delivery for one destination: claims due jobs from the store (the store enforces per-person
 * order), maps them, sends the requests under the rate limit, and records each job's outcome.
 *
 * Up to `concurrency` deliveries run at once; the requests of one delivery go one after the other,
 * so that a person's operations split over two requests still arrive in order. After a delivery
 * that did not fill a batch, the next claim waits `lingerMs` so that quiet traffic is still batched
 * while the first event after a pause goes out at once. Two failed requests in a row (5xx, 429,
 * timeouts, network) mean Customer.io is struggling: the whole destination then backs off, growing
 * with each further failure, instead of trying every other person's events against it. A 401/403
 * pauses it until an operator resumes it; its jobs stay queued.
 */

import type { DestinationConfig } from '../../config/types.js';
import { classifyResponse, type TrackResponse } from '../../customerio/index.js';
import type { RouteConfig } from '../../profiles/index.js';
import type { DeliveryError, DestinationState, Job, Store } from '../../store/types.js';
import { compileDestinationMapping, type DestinationMapping } from '../prepared.js';
import {
  countOutcomes,
  countRateLimitWait,
  countRequest,
  type DestinationCounters,
  destinationCounters,
} from './counters.js';
import { DeliveryOutcomes, type Fate } from './outcomes.js';
import { type PlannedRequest, planDelivery } from './plan.js';
import type { DestinationStatus } from './port.js';
import { RateLimiter } from './rate-limiter.js';
import { backoffMs } from './retry-policy.js';
import { type TrackTransport, TransportError } from './transport.js';

export interface DeliveryLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface WorkerOptions {
  destination: DestinationConfig;
  store: Store;
  transport: TrackTransport;
  logger: DeliveryLogger;
  now?: () => number;
  random?: () => number;
  /** How often an idle destination looks for work nobody announced (replays from the CLI). */
  idlePollMs?: number;
}

/** Failed requests in a row after which the whole destination backs off. */
const FAILURES_BEFORE_BACKOFF = 2;

export class DestinationWorker {
  readonly name: string;
  /** For the metrics: bumped in place, read at scrape time. */
  readonly counters: DestinationCounters = destinationCounters();
  private readonly destination: DestinationConfig;
  private mapping: DestinationMapping;
  private readonly limiter: RateLimiter;
  private readonly now: () => number;
  private paused: DestinationState['paused'] = null;
  private lastError: (DeliveryError & { at: number }) | null = null;
  private backoffUntil = 0;
  private consecutiveFailures = 0;
  private lingerUntil = 0;
  private running = 0;
  private pumping = false;
  private pumpAgain = false;
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private stopping = false;
  private started = false;
  private idle: Array<() => void> = [];

  constructor(private readonly options: WorkerOptions) {
    this.destination = options.destination;
    this.name = options.destination.name;
    this.now = options.now ?? Date.now;
    this.mapping = compileDestinationMapping(
      this.destination.subscriptions,
      `${this.destination.path}.subscriptions`,
    );
    this.limiter = new RateLimiter(this.destination.rateLimit.requestsPerSecond, this.now());
  }

  async start(): Promise<void> {
    this.paused = (await this.options.store.destinationState(this.name)).paused;
    this.started = true;
    if (this.paused) {
      this.options.logger.warn(
        { destination: this.name, reason: this.paused.message },
        'destination is paused; resume it once its credentials are fixed',
      );
    }
    this.wake();
  }

  /** New work may be there: look soon (coalesced). */
  wake(): void {
    if (this.scheduled || this.stopping || !this.started) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.pump();
    });
  }

  /** Map with these subscriptions from the next delivery on (a compile error throws, nothing changes). */
  setSubscriptions(routes: readonly RouteConfig[]): void {
    this.mapping = compileDestinationMapping(routes, `${this.destination.path}.subscriptions`);
  }

  async resume(): Promise<void> {
    if (!this.paused) return;
    await this.options.store.setPaused(this.name, null);
    this.paused = null;
    this.consecutiveFailures = 0;
    this.backoffUntil = 0;
    this.options.logger.info({ destination: this.name }, 'destination resumed');
    this.wake();
  }

  /** Stop claiming; wait for deliveries in progress (their unsent jobs are released). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.clearTimer();
    if (this.running > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  async status(): Promise<DestinationStatus> {
    const now = this.now();
    const backoffUntil = Math.max(this.backoffUntil, this.limiter.notBefore);
    return {
      name: this.name,
      state: this.paused ? 'paused' : backoffUntil > now ? 'backing-off' : 'running',
      paused: this.paused,
      backoffUntil: backoffUntil > now ? backoffUntil : null,
      requestsPerSecond: this.limiter.requestsPerSecond,
      ordering: this.destination.ordering,
      stats: await this.options.store.stats(this.name, now),
      lastError: this.lastError,
    };
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        await this.claimWhileRoom();
      } while (this.pumpAgain && !this.stopping);
    } catch (error) {
      this.options.logger.error(
        { destination: this.name, err: error },
        'could not read the queue; trying again in 1 s',
      );
      this.sleepUntil(this.now() + 1000);
    } finally {
      this.pumping = false;
    }
  }

  private async claimWhileRoom(): Promise<void> {
    const { batch, concurrency, ordering } = this.destination;
    while (!this.stopping && !this.paused && this.running < concurrency) {
      const now = this.now();
      const notBefore = Math.max(this.backoffUntil, this.lingerUntil);
      if (now < notBefore) return this.sleepUntil(notBefore);
      const jobs = await this.options.store.claim(this.name, {
        limit: batch.maxOperations,
        now,
        ordered: ordering,
      });
      if (jobs.length === 0) return this.sleepUntil(now + (this.options.idlePollMs ?? 1000));
      if (jobs.length < batch.maxOperations) this.lingerUntil = now + batch.lingerMs;
      this.running++;
      void this.deliver(jobs).finally(() => {
        this.running--;
        if (this.running === 0) for (const resolve of this.idle.splice(0)) resolve();
        this.wake();
      });
    }
  }

  private async deliver(jobs: Job[]): Promise<void> {
    const { batch, base, retry } = this.destination;
    const plan = planDelivery(jobs, {
      destination: this.name,
      version: this.mapping.version,
      subscriptions: this.mapping.subscriptions,
      base,
      maxOperations: batch.maxOperations,
      maxBytes: batch.maxBytes,
      now: this.now,
    });
    const outcomes = new DeliveryOutcomes(plan.jobs);
    let stopSending = false;
    for (const request of plan.requests) {
      if (stopSending || !(await this.mayStart())) {
        outcomes.unsent(request);
        continue;
      }
      stopSending = await this.send(request, outcomes);
    }
    const now = this.now();
    const results = outcomes.results(now, retry, this.options.random);
    try {
      await this.options.store.complete({ destination: this.name, now, results });
      countOutcomes(this.counters, plan.jobs, results);
    } catch (error) {
      // Both stores keep the results and record them once they can (store/unsettled.ts); the jobs
      // stay in flight meanwhile. Should the relay stop first, they are sent again.
      this.options.logger.error(
        { destination: this.name, err: error, jobs: jobs.length },
        'could not record delivery outcomes; the store keeps them and records them once it works again (if the relay stops first, these jobs are sent again)',
      );
    }
  }

  /**
   * Wait for the rate limit (this relay's, then the one shared with other relays, if the store has
   * one); false when the destination stopped or paused meanwhile.
   */
  private async mayStart(): Promise<boolean> {
    for (;;) {
      if (this.stopping || this.paused) return false;
      let wait = this.limiter.take(this.now());
      if (wait === 0) wait = await this.takeShared();
      // Another delivery's 429 may have brought a Retry-After while the shared limit was asked.
      if (wait === 0) wait = Math.max(0, this.limiter.notBefore - this.now());
      if (wait === 0) return true;
      countRateLimitWait(this.counters, wait);
      await delay(wait);
    }
  }

  /** 0 when the shared limit lets the request go; an unreachable store does not hold it back. */
  private async takeShared(): Promise<number> {
    const shared = this.options.store.sharedRateLimit;
    if (shared === undefined) return 0;
    return shared.take(this.name, this.limiter.requestsPerSecond).catch(() => 0);
  }

  /** Send one request and record its fate; true when the rest of this delivery must not be sent. */
  private async send(request: PlannedRequest, outcomes: DeliveryOutcomes): Promise<boolean> {
    const started = this.now();
    let response: TrackResponse;
    try {
      response = await this.options.transport.post(request.url, request.body, this.destination.timeoutMs);
    } catch (error) {
      const message =
        error instanceof TransportError ? error.message : `request failed: ${(error as Error).message}`;
      const code = error instanceof TransportError ? error.code : 'network';
      if (this.stopping) {
        outcomes.unsent(request);
        return true;
      }
      countRequest(this.counters, code, this.now() - started, request.operations.length);
      this.failed(started, { code, message }, undefined);
      outcomes.record(
        request,
        { kind: 'retry', error: { code, message }, retryAfterMs: undefined },
        {
          method: 'POST',
          url: request.url,
          durationMs: this.now() - started,
        },
      );
      return true;
    }
    const now = this.now();
    const exchange = {
      method: 'POST',
      url: request.url,
      status: response.status,
      responseBody: response.body,
      durationMs: now - started,
    };
    countRequest(this.counters, response.status, now - started, request.operations.length);
    const result = classifyResponse(response, now);
    if (result.kind === 'delivered') {
      this.consecutiveFailures = 0;
      this.limiter.succeeded();
      const items = new Map<number, Fate>();
      for (const [index, reason] of result.failedItems) {
        items.set(index, {
          kind: 'dead',
          error: { code: 'refused_item', message: reason, status: response.status },
        });
      }
      outcomes.record(request, { kind: 'delivered' }, exchange, items);
      return false;
    }
    const error = { code: `http_${response.status}`, message: result.reason, status: response.status };
    switch (result.kind) {
      case 'retry':
        if (response.status === 429) {
          this.limiter.throttled(now, result.retryAfterMs);
          if (result.retryAfterMs !== undefined) {
            await this.options.store.sharedRateLimit
              ?.block(this.name, result.retryAfterMs)
              .catch(() => undefined);
          }
        }
        this.failed(now, error, result.retryAfterMs);
        outcomes.record(request, { kind: 'retry', error, retryAfterMs: result.retryAfterMs }, exchange);
        return true;
      case 'pause':
        await this.pause(error, now);
        outcomes.record(request, { kind: 'release' }, exchange);
        return true;
      case 'refused':
        this.lastError = { ...error, at: now };
        outcomes.record(request, { kind: 'dead', error }, exchange);
        return false;
    }
  }

  private failed(now: number, error: DeliveryError, retryAfterMs: number | undefined): void {
    this.lastError = { ...error, at: now };
    this.consecutiveFailures++;
    if (this.consecutiveFailures >= FAILURES_BEFORE_BACKOFF || retryAfterMs !== undefined) {
      const wait = Math.max(
        retryAfterMs ?? 0,
        backoffMs(this.consecutiveFailures - FAILURES_BEFORE_BACKOFF + 1, this.destination.retry),
      );
      const until = now + wait;
      if (until > this.backoffUntil) {
        this.backoffUntil = until;
        this.options.logger.warn(
          { destination: this.name, error: error.message, waitMs: wait },
          'Customer.io is failing; destination backs off',
        );
      }
    }
  }

  private async pause(error: DeliveryError, now: number): Promise<void> {
    if (this.paused) return;
    this.paused = { ...error, at: now };
    this.lastError = this.paused;
    this.options.logger.error(
      { destination: this.name, status: error.status },
      'Customer.io refused the credentials; destination paused until resumed (its events stay queued)',
    );
    await this.options.store.setPaused(this.name, this.paused);
  }

  private sleepUntil(at: number): void {
    if (this.stopping || at >= this.timerAt) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.wake();
      },
      Math.max(0, at - this.now()),
    );
    this.timer.unref?.();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
