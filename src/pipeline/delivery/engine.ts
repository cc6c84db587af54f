/**
 * Delivery for every configured destination: one worker each, all reading the same store. This is
 * what the server talks to (DeliveryPort) and what the relay starts and stops.
 */
import type { DestinationConfig } from '../../config/types.js';
import type { RouteConfig } from '../../profiles/index.js';
import type { Store } from '../../store/types.js';
import type { DeliveryCounters } from './counters.js';
import { type DeliveryLogger, DestinationWorker } from './destination-worker.js';
import type { DeliveryPort, DestinationStatus } from './port.js';
import type { TrackTransport } from './transport.js';

export interface DeliveryEngineOptions {
  destinations: readonly DestinationConfig[];
  store: Store;
  /** The HTTP client for one destination (it holds that destination's credentials). */
  transportFor: (destination: DestinationConfig) => TrackTransport;
  logger: DeliveryLogger;
  now?: () => number;
  random?: () => number;
  idlePollMs?: number;
}

export class DeliveryEngine implements DeliveryPort {
  private readonly workers = new Map<string, DestinationWorker>();
  private readonly transports: TrackTransport[] = [];
  private running = false;

  constructor(private readonly options: DeliveryEngineOptions) {
    for (const destination of options.destinations) {
      const transport = options.transportFor(destination);
      this.transports.push(transport);
      this.workers.set(
        destination.name,
        new DestinationWorker({
          destination,
          store: options.store,
          transport,
          logger: options.logger,
          ...(options.now && { now: options.now }),
          ...(options.random && { random: options.random }),
          ...(options.idlePollMs !== undefined && { idlePollMs: options.idlePollMs }),
        }),
      );
    }
  }

  /** Queue again what a crash left in flight, then start every destination. */
  async start(): Promise<void> {
    const recovered = await this.options.store.recover();
    if (recovered > 0) {
      this.options.logger.warn({ jobs: recovered }, 'jobs in flight at the last stop are queued again');
    }
    await Promise.all([...this.workers.values()].map((worker) => worker.start()));
    this.running = true;
  }

  /** Stop claiming, let deliveries in progress finish, close the HTTP clients. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
    await Promise.all(this.transports.map((transport) => transport.close()));
  }

  notify(destinations: Iterable<string>): void {
    for (const name of destinations) this.workers.get(name)?.wake();
  }

  replayed(destination: string): void {
    this.workers.get(destination)?.wake();
  }

  async applySubscriptions(destination: string, routes: RouteConfig[]): Promise<boolean> {
    const worker = this.workers.get(destination);
    worker?.setSubscriptions(routes);
    return worker !== undefined;
  }

  async resume(destination: string): Promise<boolean> {
    const worker = this.workers.get(destination);
    if (!worker) return false;
    await worker.resume();
    return true;
  }

  /** The live counters of every destination (for the metrics; read them, do not keep them). */
  async counters(): Promise<DeliveryCounters> {
    const all: DeliveryCounters = {};
    for (const [name, worker] of this.workers) all[name] = worker.counters;
    return all;
  }

  status(): Promise<DestinationStatus[]> {
    return Promise.all([...this.workers.values()].map((worker) => worker.status()));
  }

  ready(): boolean {
    return this.running;
  }
}
