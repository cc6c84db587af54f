/**
 * The report's charts, from a run's results: each an SVG file name under docs/images/, the
 * sentence that introduces it, and its markup. A chart whose benchmark did not run is left out.
 */
import type { RunResults } from './results.js';
import { lineChart } from './svg-chart.js';

export interface Chart {
  /** File name, e.g. bench-latency-vs-load.svg. */
  file: string;
  alt: string;
  svg: string;
}

export function charts(run: RunResults): Chart[] {
  const out: Chart[] = [];
  const e2e = run.benchmarks.e2e?.results;
  // The sweep of offered loads on one relay (the fresh-relay point at half the target is not part of it).
  const levels = (e2e?.latency ?? [])
    .filter((l) => l.why.includes('of the sustained rate'))
    .sort((a, b) => a.offered - b.offered);
  if (levels.length > 0) {
    out.push({
      file: 'bench-throughput-vs-load.svg',
      alt: 'Events per second accepted and delivered against the offered load (SQLite, one relay)',
      svg: lineChart({
        title: 'Throughput against offered load (SQLite, one relay)',
        xLabel: 'offered load (events/s, open loop)',
        yLabel: 'events/s',
        series: [
          { name: 'accepted (200 answers)', points: levels.map((l) => [l.offered, l.acceptedPerSecond]) },
          { name: 'delivered to the emulator', points: levels.map((l) => [l.offered, l.deliveredPerSecond]) },
          { name: 'offered', dashed: true, points: levels.map((l) => [l.offered, l.offered]) },
        ],
      }),
    });
    out.push({
      file: 'bench-latency-vs-load.svg',
      alt: 'Ingest latency p50, p95 and p99 against the offered load (SQLite, one relay)',
      svg: lineChart({
        title: 'Ingest latency against offered load (SQLite, one relay)',
        xLabel: 'offered load (events/s, open loop; 100 events per request)',
        yLabel: 'latency per request (ms, log scale)',
        yScale: 'log',
        series: [
          { name: 'p50', points: levels.map((l) => [l.offered, l.p50Ms]) },
          { name: 'p95', points: levels.map((l) => [l.offered, l.p95Ms]) },
          { name: 'p99', points: levels.map((l) => [l.offered, l.p99Ms]) },
        ],
      }),
    });
  }
  const drain = run.benchmarks.drain?.results;
  if (drain && drain.timeline.length > 0) {
    const theoryEnd = Math.min(drain.theorySeconds, drain.timeline[drain.timeline.length - 1]!.atS);
    out.push({
      file: 'bench-drain.svg',
      alt: `Jobs left while a backlog of ${drain.events.toLocaleString('en-US')} events drains at ${drain.requestsPerSecond} requests/s, against the theoretical pace`,
      svg: lineChart({
        title: `Draining ${drain.events.toLocaleString('en-US')} events at ${drain.requestsPerSecond} requests/s`,
        xLabel: 'seconds since the relay was ready',
        yLabel: 'jobs left',
        series: [
          { name: 'measured', points: drain.timeline.map((p) => [p.atS, p.remaining]) },
          {
            name: 'at the rate limit (theory)',
            dashed: true,
            points: [
              [0, drain.jobs],
              [theoryEnd, drain.jobs * (1 - theoryEnd / drain.theorySeconds)],
            ],
          },
        ],
      }),
    });
  }
  const backlog = e2e?.backlog;
  if (backlog && backlog.rssTimeline.length > 0) {
    out.push({
      file: 'bench-memory.svg',
      alt: `Relay RSS while ${backlog.events.toLocaleString('en-US')} events are taken in with the destination down`,
      svg: lineChart({
        title: `Relay memory while ${backlog.events.toLocaleString('en-US')} events queue up (destination down)`,
        xLabel: 'seconds',
        yLabel: 'RSS (MB)',
        series: [{ name: 'relay RSS', points: backlog.rssTimeline.map((p) => [p.atS, p.rssMb]) }],
      }),
    });
  }
  return out;
}
