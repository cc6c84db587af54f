/**
 * bench/e2e's results as plain JSON for `--json` (bench/report/results.ts reads it): rates per
 * second rather than counts over a window, without the live counters and raw latency samples.
 */
import type { Results, WindowResult } from './e2e-report.js';

export interface E2eRun {
  senders: number;
  seconds: number;
  warmup: number;
  mode: string;
}

function window(w: WindowResult) {
  const finished = w.finished || 1;
  // Each metric goes alone to /api/v1/metrics: estimated from what the subscriptions make of the
  // events accepted (the emulator's counters do not split requests by path).
  const metricsPer100 = (w.expected.metrics / (w.accepted || 1)) * 100;
  return {
    seconds: w.seconds,
    acceptedPerSecond: w.accepted / w.seconds,
    deliveredPerSecond: w.finished / w.seconds,
    requestsPer100Events: (w.emulatorRequests / finished) * 100,
    metricsRequestsPer100Events: metricsPer100,
    emulatorOperations: w.emulatorOps,
    expectedOperations: w.expected.v2 + w.expected.metrics,
    backlogEnd: w.backlogEnd,
    cpu: w.cpu,
    peakRssMb: w.peakRssMb,
    failedRequests: w.counters.failedRequests,
  };
}

export function e2eJson(r: Results, run: E2eRun) {
  return {
    run: { ...run, backlogLimit: r.backlogLimit },
    floor: r.floor ?? null,
    steady: r.steady ? window(r.steady) : null,
    ingest: r.ingest ? window(r.ingest) : null,
    drain: r.drain ? { ...r.drain, perSecond: r.drain.jobs / r.drain.seconds } : null,
    latency: r.latency.map((l) => ({
      offered: l.offered,
      why: l.why,
      acceptedPerSecond: l.eventsPerSecond,
      deliveredPerSecond: l.finishedPerSecond,
      requests: l.requests,
      p50Ms: l.p50,
      p95Ms: l.p95,
      p99Ms: l.p99,
      maxMs: l.max,
      backlogEnd: l.backlogEnd,
      failed: l.failed,
      cpu: l.cpu,
    })),
    backlog: r.backlog
      ? {
          events: r.backlog.events,
          accepted: r.backlog.accepted,
          ingestSeconds: r.backlog.ingestSeconds,
          ingestPerSecond: r.backlog.accepted / r.backlog.ingestSeconds,
          waiting: r.backlog.waiting,
          peakRssMb: r.backlog.peakRssMb,
          rssTimeline: r.backlog.rssTimeline,
          hwmMb: r.backlog.hwmMb,
          drain: { ...r.backlog.drain, perSecond: r.backlog.drain.jobs / r.backlog.drain.seconds },
          failed: r.backlog.failed,
        }
      : null,
    problems: r.problems,
  };
}
