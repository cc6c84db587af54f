/**
 * The report's one table: each result with the baseline measured in the same run (the same
 * benchmark process, same machine, same minute) and the ratio between them, plus the target the
 * issues set where there is one. A benchmark that did not run gives no rows.
 */
import { num, perSecond, ratio } from './format.js';
import type { RunResults } from './results.js';

export interface Row {
  measure: string;
  ours: string;
  baseline: string;
  ratio: string;
  target: string;
}

const TARGETS = {
  mapFloorShare: 0.45,
  mapSegment: 15,
  sqlite: 30_000,
  postgres: 15_000,
  requestsPer100: 1.1,
  p99Ms: 50,
  backlogRssMb: 300,
};

const met = (ok: boolean) => (ok ? 'met' : '**not met**');

export function resultRows(run: RunResults): Row[] {
  const rows: Row[] = [];
  const b = run.benchmarks;

  const map = b.map?.results;
  if (map) {
    rows.push({
      measure: 'Mapping core (`cio-relay map` per line: parse, 15 subscriptions, build, serialise)',
      ours: perSecond(map.oursPerSecond),
      baseline: `${perSecond(map.floorPerSecond)}: \`JSON.parse\` + \`JSON.stringify\` of the same lines`,
      ratio: ratio(map.oursPerSecond, map.floorPerSecond),
      target: `≥ ${TARGETS.mapFloorShare}×: ${met(map.oursPerSecond / map.floorPerSecond >= TARGETS.mapFloorShare)}`,
    });
    if (map.segmentPerSecond) {
      rows.push({
        measure: 'Mapping core against Segment’s package (same events, same presets)',
        ours: perSecond(map.oursPerSecond),
        baseline: `${perSecond(map.segmentPerSecond)}: \`@segment/action-destinations\` ${map.segmentVersion ?? ''}`,
        ratio: ratio(map.oursPerSecond, map.segmentPerSecond),
        target: `≥ ${TARGETS.mapSegment}×: ${met(map.oursPerSecond / map.segmentPerSecond >= TARGETS.mapSegment)}`,
      });
    }
  }

  const e2e = b.e2e?.results;
  if (e2e) {
    const floor = e2e.floor?.eventsPerSecond;
    const floorText = `${perSecond(floor)}: bare \`node:http\`, \`JSON.parse\`, append to a file`;
    if (e2e.steady) {
      const s = e2e.steady;
      const sustained = Math.min(s.acceptedPerSecond, s.deliveredPerSecond);
      rows.push({
        measure: 'End to end, SQLite, 1 relay: sustained (backlog held small, accepted = delivered)',
        ours: perSecond(sustained),
        baseline: floorText,
        ratio: ratio(sustained, floor),
        target: `≥ ${num(TARGETS.sqlite)}/s: ${met(sustained >= TARGETS.sqlite)}`,
      });
    }
    if (e2e.ingest) {
      rows.push({
        measure: 'Ingest alone at full speed, SQLite (the queue absorbs the rest)',
        ours: perSecond(e2e.ingest.acceptedPerSecond),
        baseline: floorText,
        ratio: ratio(e2e.ingest.acceptedPerSecond, floor),
        target: '',
      });
    }
    if (e2e.drain) {
      rows.push({
        measure: `Delivery alone, SQLite (draining ${num(e2e.drain.jobs)} jobs, rate limit 10,000 requests/s)`,
        ours: perSecond(e2e.drain.perSecond),
        baseline: floorText,
        ratio: ratio(e2e.drain.perSecond, floor),
        target: '',
      });
    }
  }

  const pg = b['e2e-postgres']?.results;
  if (pg) {
    const sqlite = pg.parts.find((p) => !p.postgres);
    for (const part of pg.parts.filter((p) => p.postgres)) {
      const vsSqlite = sqlite
        ? `; ${ratio(part.sustainedPerSecond, sqlite.sustainedPerSecond)} SQLite's ${perSecond(sqlite.sustainedPerSecond)} in the same run`
        : '';
      rows.push({
        measure: `End to end, PostgreSQL, ${part.relays} relay${part.relays > 1 ? 's' : ''} on one database: sustained`,
        ours: perSecond(part.sustainedPerSecond),
        baseline: `${perSecond(pg.floorPerSecond)}: the same floor, in this benchmark's run${vsSqlite}`,
        ratio: ratio(part.sustainedPerSecond, pg.floorPerSecond),
        target: `≥ ${num(TARGETS.postgres)}/s: ${met(part.sustainedPerSecond >= TARGETS.postgres)}`,
      });
    }
  }

  if (e2e?.steady) {
    const s = e2e.steady;
    const accepted = s.acceptedPerSecond * s.seconds || 1;
    const opsPer100 = (s.expectedOperations / accepted) * 100;
    const metrics = s.metricsRequestsPer100Events;
    const fewest = (opsPer100 - metrics) / 100 + metrics;
    rows.push({
      measure: 'Customer.io requests per 100 events, end to end (batches of up to 100 operations)',
      ours: num(s.requestsPer100Events, 2),
      baseline: `${num(fewest, 2)}: the fewest that carry the operations (every batch full)`,
      ratio: ratio(s.requestsPer100Events, fewest),
      target: `≤ ${TARGETS.requestsPer100}: ${met(s.requestsPer100Events <= TARGETS.requestsPer100)}`,
    });
  }

  const drain = b.drain?.results;
  if (drain) {
    rows.push({
      measure: `Drain of a ${num(drain.events)}-event backlog at the rate limit (${num(drain.requestsPerSecond)} requests/s, the default)`,
      ours: drain.completed
        ? `${num(drain.seconds, 1)} s (${perSecond(drain.finished / drain.seconds)})`
        : `not done in ${num(drain.boundSeconds)} s (${num(drain.finished)} jobs)`,
      baseline: `${num(drain.theorySeconds, 1)} s: the fewest requests (${num(drain.theoryRequests)}) at the rate limit`,
      ratio: drain.completed ? ratio(drain.theorySeconds, drain.seconds) : '—',
      target: '1× (the limit is the pace)',
    });
    rows.push({
      measure: 'Customer.io requests per 100 events while draining',
      ours: num(drain.requestsPer100Events, 2),
      baseline: `${num((drain.theoryRequests / drain.events) * 100, 2)}: the fewest that carry the operations`,
      ratio: ratio(drain.requestsPer100Events, (drain.theoryRequests / drain.events) * 100),
      target: '',
    });
  }

  const levels = (e2e?.latency ?? []).filter((l) => l.why.includes('of the sustained rate'));
  const lowest = [...levels].sort((x, y) => x.offered - y.offered)[0];
  for (const l of e2e?.latency ?? []) {
    if (!l.why.startsWith('50%') && !l.why.startsWith('half')) continue;
    rows.push({
      measure: `Ingest latency p50 / p95 / p99 at ${perSecond(l.offered)} offered (${l.why})`,
      ours: `${num(l.p50Ms, 1)} / ${num(l.p95Ms, 1)} / ${num(l.p99Ms, 1)} ms`,
      baseline:
        lowest && lowest !== l
          ? `${num(lowest.p50Ms, 1)} / ${num(lowest.p95Ms, 1)} / ${num(lowest.p99Ms, 1)} ms at ${perSecond(lowest.offered)} (the lightest load)`
          : '—',
      ratio: lowest && lowest !== l ? `p99 ${ratio(l.p99Ms, lowest.p99Ms)}` : '—',
      target: `p99 < ${TARGETS.p99Ms} ms: ${met(l.p99Ms < TARGETS.p99Ms)}`,
    });
  }

  const backlog = e2e?.backlog;
  if (backlog) {
    const idle = backlog.rssTimeline[0]?.rssMb;
    rows.push({
      measure: `Relay peak RSS, ${num(backlog.waiting)} of ${num(backlog.events)} events waiting (destination down)`,
      ours: `${num(backlog.peakRssMb)} MB`,
      baseline: `${num(idle)} MB: the same relay before the load`,
      ratio: ratio(backlog.peakRssMb, idle),
      target: `< ${TARGETS.backlogRssMb} MB: ${met(backlog.peakRssMb < TARGETS.backlogRssMb && backlog.accepted >= backlog.events * 0.99)}`,
    });
  }
  if (drain) {
    rows.push({
      measure: `Relay peak RSS while draining the ${num(drain.events)}-event backlog`,
      ours: `${num(drain.peakRssMb)} MB`,
      baseline: backlog ? `${num(backlog.rssTimeline[0]?.rssMb)} MB: a relay before any load` : '—',
      ratio: backlog ? ratio(drain.peakRssMb, backlog.rssTimeline[0]?.rssMb) : '—',
      // The budget is for a backlog waiting on a destination that is down (the row above).
      target: `— (the ${TARGETS.backlogRssMb} MB budget is for the destination-down case)`,
    });
  }

  const sink = b['emulator-sink']?.results;
  if (sink) {
    rows.push({
      measure: `Emulator sink (v2 batches of ${sink.operationsPerBatch} operations, each validated)`,
      ours: `${perSecond(sink.sinkOpsPerSecond)} operations`,
      baseline: `${perSecond(sink.bareOpsPerSecond)}: bare \`node:http\` + \`JSON.parse\``,
      ratio: ratio(sink.sinkOpsPerSecond, sink.bareOpsPerSecond),
      target: 'far above the relay (not the bottleneck)',
    });
  }

  const store = b.store?.results;
  if (store) {
    rows.push({
      measure: 'SQLite store: append, groups of 1,000 events (dedupe, fsync per group)',
      ours: perSecond(store.append.store.perSecond),
      baseline: `${perSecond(store.append.floor.perSecond)}: plain SQLite INSERTs, same transactions`,
      ratio: ratio(store.append.store.perSecond, store.append.floor.perSecond),
      target: '',
    });
    rows.push({
      measure: 'SQLite store: claim 100 + complete 100 (with delivery log)',
      ours: perSecond(store.delivery.store.perSecond),
      baseline: `${perSecond(store.delivery.floor.perSecond)}: plain SELECT + DELETE of 100 rows`,
      ratio: ratio(store.delivery.store.perSecond, store.delivery.floor.perSecond),
      target: '',
    });
  }
  return rows;
}
