/**
 * Delivery's metrics, from the counters delivery keeps itself (pipeline/delivery/counters.ts): at
 * each scrape the latest snapshot replaces what the collectors show. Counters are prom-client
 * Counters set from the snapshot; histograms, already bucketed by delivery, are exposed by a small
 * collector of their own (prom-client's Histogram only takes single observations).
 */
import { Counter, type Metric, type Registry } from 'prom-client';
import {
  BATCH_BOUNDS,
  type DeliveryCounters,
  type DestinationCounters,
  type HistogramCounts,
  LATENCY_BOUNDS,
} from '../pipeline/delivery/index.js';

const OUTCOMES = [
  ['delivered', 'Events delivered to Customer.io (2xx), per source and destination.'],
  ['filtered', 'Events a destination did not send: no subscription matched, or a profile filter rule.'],
  [
    'retried',
    'Delivery attempts that failed (408, 429, 5xx, timeout, network) and were scheduled again; one event may count several times.',
  ],
  [
    'dead',
    'Events that became dead letters: refused by Customer.io (4xx), rejected by their mapping, or out of retries.',
  ],
] as const;

export function registerDeliveryMetrics(registry: Registry): { update(counters: DeliveryCounters): void } {
  let current: DeliveryCounters = {};
  const registers = [registry];
  const perDestination = <L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    fill: (counter: Counter<L>, destination: string, counters: DestinationCounters) => void,
  ) =>
    new Counter<L>({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const [destination, counters] of Object.entries(current)) fill(this, destination, counters);
      },
    });

  for (const [outcome, help] of OUTCOMES) {
    perDestination(
      `cio_relay_events_${outcome}_total`,
      help,
      ['source', 'destination'],
      (c, destination, d) => {
        for (const [source, counts] of Object.entries(d.outcomes))
          c.inc({ source, destination }, counts[outcome]);
      },
    );
  }
  perDestination(
    'cio_relay_customerio_responses_total',
    'Requests to the Customer.io Track API by outcome: the HTTP status, or timeout / network when no answer came.',
    ['destination', 'status'],
    (c, destination, d) => {
      for (const [status, count] of Object.entries(d.responses)) c.inc({ destination, status }, count);
    },
  );
  perDestination(
    'cio_relay_rate_limit_waits_total',
    'Times a request to Customer.io waited for the rate limit (this relay’s, or the one shared through PostgreSQL).',
    ['destination'],
    (c, destination, d) => c.inc({ destination }, d.rateLimitWaits),
  );
  perDestination(
    'cio_relay_rate_limit_wait_seconds_total',
    'Seconds requests to Customer.io spent waiting for the rate limit.',
    ['destination'],
    (c, destination, d) => c.inc({ destination }, d.rateLimitWaitSeconds),
  );
  registry.registerMetric(
    bucketed(
      'cio_relay_customerio_request_duration_seconds',
      'Time from sending a request to the Track API to its answer (or its failure).',
      LATENCY_BOUNDS,
      () => current,
      (d) => d.latency,
    ),
  );
  registry.registerMetric(
    bucketed(
      'cio_relay_batch_operations',
      'Operations per request sent to the Track API (a /api/v2/batch request carries up to batch.maxOperations).',
      BATCH_BOUNDS,
      () => current,
      (d) => d.batchOperations,
    ),
  );
  return {
    update(counters) {
      current = counters;
    },
  };
}

interface Sample {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

/**
 * A histogram per destination from counts bucketed elsewhere. The registry only asks a metric for
 * its name, help, type and `get()`: this is all of that, hence the cast to its Metric type.
 */
function bucketed(
  name: string,
  help: string,
  bounds: readonly number[],
  counters: () => DeliveryCounters,
  pick: (d: DestinationCounters) => HistogramCounts,
): Metric {
  const metric = {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    reset() {},
    async get() {
      const values: Sample[] = [];
      for (const [destination, d] of Object.entries(counters())) {
        const histogram = pick(d);
        let cumulative = 0;
        bounds.forEach((le, i) => {
          cumulative += histogram.counts[i] ?? 0;
          values.push({ metricName: `${name}_bucket`, labels: { destination, le }, value: cumulative });
        });
        values.push({
          metricName: `${name}_bucket`,
          labels: { destination, le: '+Inf' },
          value: histogram.count,
        });
        values.push({ metricName: `${name}_sum`, labels: { destination }, value: histogram.sum });
        values.push({ metricName: `${name}_count`, labels: { destination }, value: histogram.count });
      }
      return { name, help, type: 'histogram', aggregator: 'sum', values };
    },
  };
  return metric as unknown as Metric;
}
