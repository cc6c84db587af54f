/**
 * bench:prepared — CPU per event of mapping at ingest (pipeline/prepared.ts) on each thread, for
 * bench/events.ts's mix with the actions profile's presets, in one process, rounds interleaved:
 *   ingest   acceptEvents without / with preparing the operations (the ingest thread's share);
 *   delivery planDelivery mapping the stored event / reading the prepared text (the delivery thread's).
 * CPU time (process.cpuUsage) of one thread, so a busy machine changes the figures less than a rate.
 *
 *   npm run bench:prepared          # BENCH_EVENTS=20000 BENCH_ROUNDS=5 by default
 */
import type { RelayConfig } from '../src/config/types.js';
import { planDelivery } from '../src/pipeline/delivery/plan.js';
import { compileDestinationMapping } from '../src/pipeline/prepared.js';
import { actionsProfile, destinationRoutes } from '../src/profiles/index.js';
import { acceptEvents } from '../src/server/accept.js';
import { createPreparer } from '../src/server/ingest-mapping.js';
import type { Job, NewEvent } from '../src/store/types.js';
import { mixedEvents } from './events.js';

const COUNT = Number(process.env.BENCH_EVENTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BATCH = 100;

const routes = destinationRoutes(actionsProfile, undefined);
const mapping = compileDestinationMapping(routes, 'subscriptions');
const config = { destinations: [{ name: 'cio', path: 'destinations[0]', subscriptions: routes }] };
const prepare = createPreparer(config as unknown as RelayConfig, Date.now);
const requests: string[] = [];
const events = mixedEvents(COUNT);
for (let i = 0; i < COUNT; i += BATCH) requests.push(JSON.stringify(events.slice(i, i + BATCH)));
const arrival = { source: 'web', receivedAt: Date.now(), receivedAtIso: new Date().toISOString() };

function ingest(withPrepare: boolean): NewEvent[] {
  const all: NewEvent[] = [];
  for (const text of requests) {
    const raw = JSON.parse(text) as unknown[];
    all.push(...acceptEvents(raw, arrival, ['cio'], withPrepare ? prepare : undefined).events);
  }
  return all;
}

function deliver(stored: readonly NewEvent[], usePrepared: boolean): number {
  let bytes = 0;
  for (let i = 0; i < stored.length; i += BATCH) {
    const jobs = stored.slice(i, i + BATCH).map(
      (event, n): Job => ({
        id: i + n,
        destination: 'cio',
        eventId: i + n,
        source: event.source,
        messageId: event.messageId,
        personKey: event.personKey,
        body: event.body,
        prepared: usePrepared ? event.prepared : undefined,
        receivedAt: event.receivedAt,
        attempts: 0,
        firstAttemptAt: null,
      }),
    );
    const plan = planDelivery(jobs, {
      destination: 'cio',
      version: mapping.version,
      subscriptions: mapping.subscriptions,
      base: 'http://127.0.0.1',
      maxOperations: 100,
      maxBytes: 500_000,
      now: Date.now,
    });
    for (const request of plan.requests) bytes += request.body.length;
  }
  return bytes;
}

/** CPU µs per event of `fn`, the median of ROUNDS. */
function cpuPerEvent(samples: number[], fn: () => unknown): void {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  samples.push((used.user + used.system) / COUNT);
}

const stored = ingest(true);
const preparedBytes = stored.reduce((n, e) => n + (e.prepared?.length ?? 0), 0) / COUNT;
const bodyBytes = stored.reduce((n, e) => n + e.body.length, 0) / COUNT;
const samples = {
  ingestPlain: [] as number[],
  ingestPrepared: [] as number[],
  deliverMap: [] as number[],
  deliverPrepared: [] as number[],
};
for (let round = 0; round < ROUNDS + 1; round++) {
  // Round 0 warms the JIT and is not counted.
  const s =
    round === 0 ? { ingestPlain: [], ingestPrepared: [], deliverMap: [], deliverPrepared: [] } : samples;
  cpuPerEvent(s.ingestPlain, () => ingest(false));
  cpuPerEvent(s.ingestPrepared, () => ingest(true));
  cpuPerEvent(s.deliverMap, () => deliver(stored, false));
  cpuPerEvent(s.deliverPrepared, () => deliver(stored, true));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) as Record<
  keyof typeof samples,
  number
>;
const row = (label: string, a: number, b: number) =>
  console.log(
    `${label.padEnd(44)} ${a.toFixed(1).padStart(6)} µs  ${b.toFixed(1).padStart(6)} µs  ${(b / a).toFixed(2)}×`,
  );
console.log(
  `${COUNT} events (${bodyBytes.toFixed(0)} bytes stored, ${preparedBytes.toFixed(0)} bytes prepared each), median of ${ROUNDS} rounds, CPU per event`,
);
console.log(`${''.padEnd(44)} ${'before'.padStart(9)}  ${'after'.padStart(9)}`);
row('ingest: accept (validate, serialise [, map])', m.ingestPlain, m.ingestPrepared);
row('delivery: plan (parse + map / read prepared)', m.deliverMap, m.deliverPrepared);
row('both threads', m.ingestPlain + m.deliverMap, m.ingestPrepared + m.deliverPrepared);
