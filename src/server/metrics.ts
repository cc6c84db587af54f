/**
 * The relay's Prometheus metrics (prom-client), one registry per server. Nothing on the request
 * path touches prom-client: ingest bumps plain numbers per source (ingest-counts.ts), delivery its
 * own counters (pipeline/delivery/counters.ts, on whichever thread it runs), and the queue depth
 * comes from the store. All are read once per scrape, and collectors turn them into exposition.
 * Every metric: docs/metrics.md.
 */
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { RelayConfig } from '../config/types.js';
import type { DeliveryPort } from '../pipeline/delivery/index.js';
import type { QueueStats, Store } from '../store/types.js';
import { IngestCounts, type SourceCounts } from './ingest-counts.js';
import { registerDeliveryMetrics } from './metrics-delivery.js';

export interface MetricsOptions {
  config: RelayConfig;
  store: Store;
  delivery: DeliveryPort;
  now: () => number;
}

let processMetrics: Registry | undefined;

/**
 * prom-client's process metrics (CPU, memory, event-loop lag, GC), registered once per process:
 * they hook into the event loop and the garbage collector, which one relay (or a test file's many
 * servers) needs only once.
 */
function processRegistry(): Registry {
  if (processMetrics === undefined) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

const PER_SOURCE: ReadonlyArray<[keyof Omit<SourceCounts, 'rejected' | 'jobs'>, string, string]> = [
  [
    'received',
    'cio_relay_events_received_total',
    'Events in ingest requests with a valid write key and a readable body that the relay answered (200 or 400).',
  ],
  [
    'duplicate',
    'cio_relay_events_duplicate_total',
    'Events dropped at ingest as duplicates (same source and messageId within the dedupe window).',
  ],
  [
    'unrouted',
    'cio_relay_events_unrouted_total',
    'Events stored for no destination (integrations turned Customer.io off, or no destination takes the source).',
  ],
  [
    'unavailable',
    'cio_relay_events_unavailable_total',
    'Events of ingest requests answered 503 because the store could not commit them (the client sends them again).',
  ],
];

export class RelayMetrics {
  readonly registry = new Registry();
  /** Bumped by the ingest route. */
  readonly ingest: IngestCounts;
  /** Read at scrape time by the queue gauge. */
  private queueStats = new Map<string, QueueStats>();
  private readonly delivery: ReturnType<typeof registerDeliveryMetrics>;

  constructor(private readonly options: MetricsOptions) {
    this.ingest = new IngestCounts();
    const registers = [this.registry];
    const sources = () => this.ingest.bySource;
    for (const [field, name, help] of PER_SOURCE) {
      new Counter({
        name,
        help,
        labelNames: ['source'],
        registers,
        collect() {
          this.reset();
          for (const [source, counts] of sources()) this.inc({ source }, counts[field]);
        },
      });
    }
    new Counter({
      name: 'cio_relay_events_rejected_total',
      help: 'Events refused at ingest (invalid), by the refusal code.',
      labelNames: ['source', 'code'],
      registers,
      collect() {
        this.reset();
        for (const [source, counts] of sources()) {
          for (const [code, count] of counts.rejected) this.inc({ source, code }, count);
        }
      },
    });
    new Counter({
      name: 'cio_relay_events_queued_total',
      help: 'Delivery jobs created at ingest: one per stored event and destination.',
      labelNames: ['source', 'destination'],
      registers,
      collect() {
        this.reset();
        for (const [source, counts] of sources()) {
          for (const [destination, jobs] of counts.jobs) this.inc({ source, destination }, jobs);
        }
      },
    });
    const statuses = () => this.ingest.byStatus;
    new Counter({
      name: 'cio_relay_ingest_requests_total',
      help: 'Ingest requests (/v1/...) by the HTTP status answered.',
      labelNames: ['status'],
      registers,
      collect() {
        this.reset();
        for (const [status, count] of statuses()) this.inc({ status }, count);
      },
    });
    const queue = () => this.queueStats;
    new Gauge({
      name: 'cio_relay_queue_jobs',
      help: "Jobs in a destination's queue by state (queued: due now; retrying: waiting for a later retry; in_flight: being delivered; dead: dead letters), from the store at scrape time.",
      labelNames: ['destination', 'state'],
      registers,
      collect() {
        this.reset();
        for (const [destination, stats] of queue()) {
          this.set({ destination, state: 'queued' }, stats.queued);
          this.set({ destination, state: 'retrying' }, stats.retrying);
          this.set({ destination, state: 'in_flight' }, stats.inFlight);
          this.set({ destination, state: 'dead' }, stats.dead);
        }
      },
    });
    this.delivery = registerDeliveryMetrics(this.registry);
  }

  /** The exposition text: the relay's metrics and the process's (`Content-Type`: `contentType`). */
  async exposition(): Promise<string> {
    await this.refresh();
    return Registry.merge([processRegistry(), this.registry]).metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Read what the collectors show: delivery's counters and each destination's queue. */
  private async refresh(): Promise<void> {
    const { config, store, delivery, now } = this.options;
    const at = now();
    const [counters, stats] = await Promise.all([
      delivery.counters ? delivery.counters().catch(() => undefined) : undefined,
      Promise.all(
        config.destinations.map(
          async (d) => [d.name, await store.stats(d.name, at).catch(() => undefined)] as const,
        ),
      ),
    ]);
    if (counters) this.delivery.update(counters);
    this.queueStats = new Map(stats.filter((s): s is [string, QueueStats] => s[1] !== undefined));
  }
}
