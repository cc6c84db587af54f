/**
 * What delivery counts for the metrics (`GET /metrics`): plain number fields that the delivery
 * worker bumps in place, so counting costs an addition, never an allocation per event (objects are
 * created once per destination, per source and per response status). The server's collectors read
 * them at scrape time, through the delivery thread's messages when delivery runs on its own thread.
 */
import type { JobResult } from '../../store/types.js';
import type { JobPlan } from './plan.js';

/** Upper bounds of the Customer.io request latency histogram, in seconds. */
export const LATENCY_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;
/** Upper bounds of the operations-per-request histogram. */
export const BATCH_BOUNDS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000] as const;

/** A histogram's state: `counts[i]` holds the observations in bucket i (not cumulative; the last is above every bound). */
export interface HistogramCounts {
  counts: number[];
  sum: number;
  count: number;
}

/** Final outcomes of jobs (one per event and destination), and failed attempts to be retried. */
export interface OutcomeCounts {
  delivered: number;
  filtered: number;
  /** Attempts that failed and were scheduled again (one event may count several times). */
  retried: number;
  dead: number;
}

export interface DestinationCounters {
  /** By the event's source. */
  outcomes: Record<string, OutcomeCounts>;
  /** Customer.io's answers by HTTP status, plus `timeout` and `network` when none came. */
  responses: Record<string, number>;
  /** Seconds from sending a request to its answer (or failure). */
  latency: HistogramCounts;
  /** Operations per request sent. */
  batchOperations: HistogramCounts;
  /** Times a request waited for the rate limit, and for how long in total. */
  rateLimitWaits: number;
  rateLimitWaitSeconds: number;
}

/** By destination name. */
export type DeliveryCounters = Record<string, DestinationCounters>;

export function destinationCounters(): DestinationCounters {
  return {
    outcomes: {},
    responses: {},
    latency: histogram(LATENCY_BOUNDS.length),
    batchOperations: histogram(BATCH_BOUNDS.length),
    rateLimitWaits: 0,
    rateLimitWaitSeconds: 0,
  };
}

function histogram(bounds: number): HistogramCounts {
  return { counts: new Array<number>(bounds + 1).fill(0), sum: 0, count: 0 };
}

export function observe(into: HistogramCounts, bounds: readonly number[], value: number): void {
  let i = 0;
  while (i < bounds.length && value > bounds[i]!) i++;
  into.counts[i]!++;
  into.sum += value;
  into.count++;
}

/** One request sent: its answer (status, or `timeout`/`network`), latency and size. */
export function countRequest(
  into: DestinationCounters,
  answer: number | string,
  ms: number,
  ops: number,
): void {
  into.responses[answer] = (into.responses[answer] ?? 0) + 1;
  observe(into.latency, LATENCY_BOUNDS, ms / 1000);
  observe(into.batchOperations, BATCH_BOUNDS, ops);
}

export function countRateLimitWait(into: DestinationCounters, ms: number): void {
  into.rateLimitWaits++;
  into.rateLimitWaitSeconds += ms / 1000;
}

/** A delivery's recorded results (`results[i]` is the result of `plans[i]`'s job). */
export function countOutcomes(
  into: DestinationCounters,
  plans: readonly JobPlan[],
  results: readonly JobResult[],
): void {
  for (let i = 0; i < results.length; i++) {
    const outcome = results[i]!.outcome;
    if (outcome === 'release') continue;
    const source = plans[i]!.job.source;
    const counts = outcomesOf(into, source);
    if (outcome === 'retry') counts.retried++;
    else counts[outcome]++;
  }
}

function outcomesOf(into: DestinationCounters, source: string): OutcomeCounts {
  let counts = into.outcomes[source];
  if (counts === undefined) {
    counts = { delivered: 0, filtered: 0, retried: 0, dead: 0 };
    into.outcomes[source] = counts;
  }
  return counts;
}

/** `into` plus `more` (a delivery thread's counts before it was restarted), in place. */
export function addCounters(into: DeliveryCounters, more: DeliveryCounters): DeliveryCounters {
  for (const [name, from] of Object.entries(more)) {
    let to = into[name];
    if (to === undefined) {
      to = destinationCounters();
      into[name] = to;
    }
    for (const [source, counts] of Object.entries(from.outcomes)) {
      const sum = outcomesOf(to, source);
      sum.delivered += counts.delivered;
      sum.filtered += counts.filtered;
      sum.retried += counts.retried;
      sum.dead += counts.dead;
    }
    for (const [answer, count] of Object.entries(from.responses)) {
      to.responses[answer] = (to.responses[answer] ?? 0) + count;
    }
    addHistogram(to.latency, from.latency);
    addHistogram(to.batchOperations, from.batchOperations);
    to.rateLimitWaits += from.rateLimitWaits;
    to.rateLimitWaitSeconds += from.rateLimitWaitSeconds;
  }
  return into;
}

function addHistogram(into: HistogramCounts, more: HistogramCounts): void {
  for (let i = 0; i < into.counts.length; i++) into.counts[i]! += more.counts[i] ?? 0;
  into.sum += more.sum;
  into.count += more.count;
}
