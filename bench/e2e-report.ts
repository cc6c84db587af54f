/**
 * What bench/e2e measured, and how it is printed: a line per phase as it ends, then a summary table
 * with each target and whether it was met.
 */
import type { Counters, ExpectedOps } from './e2e-load.js';
import type { TimingReport } from './e2e-servers.js';

export const TARGET = { eventsPerSecond: 30_000, requestsPer100: 1.1, p99Ms: 50, backlogRssMb: 300 };

export interface FloorResult {
  eventsPerSecond: number;
  /** CPU in cores: the floor process, the load generator, every other process on the machine. */
  cpu: { floor: number; bench: number; others: number };
  failed: number;
}

export interface WindowResult {
  seconds: number;
  accepted: number;
  finished: number;
  emulatorOps: number;
  emulatorRequests: number;
  expected: ExpectedOps;
  backlogEnd: number;
  cpu: { relay: number; emulator: number; bench: number; others: number };
  peakRssMb: number;
  timeline: { accepted: number; finished: number; backlog: number }[];
  counters: Counters;
  timing: TimingReport | undefined;
}

export interface DrainResult {
  jobs: number;
  seconds: number;
  completed: boolean;
}

export interface LatencyResult {
  /** The rate the requests were sent at, and the rate the relay answered them (lower if it fell behind). */
  offered: number;
  eventsPerSecond: number;
  why: string;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  finishedPerSecond: number;
  backlogEnd: number;
  failed: number;
  /** CPU in cores: the relay, and every other process (emulator and load generator included). */
  cpu: { relay: number; rest: number };
  timing: TimingReport | undefined;
}

export interface BacklogResult {
  events: number;
  ingestSeconds: number;
  accepted: number;
  peakRssMb: number;
  rssSeries: string;
  /** RSS while ingesting, at most about 100 points (for the report's chart). */
  rssTimeline: { atS: number; rssMb: number }[];
  relayCpu: number;
  waiting: number;
  drain: DrainResult & { peakRssMb: number };
  hwmMb: number;
  stop: { seconds: number; how: string };
  failed: number;
  firstError: string | undefined;
}

export interface Results {
  /** What went wrong on the way (failed requests, rejected events, dead letters): shown last. */
  problems: string[];
  floor?: FloorResult;
  ingest?: WindowResult;
  drain?: DrainResult;
  steady?: WindowResult;
  backlogLimit: number;
  latency: LatencyResult[];
  backlog?: BacklogResult;
}

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '—';
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
const rate = (n: number, seconds: number) => n / seconds;

export function printFloor(floor: FloorResult): void {
  console.log(
    `${fmt(floor.eventsPerSecond)} events/s (CPU in cores: floor ${fmt(floor.cpu.floor, 2)}, load generator ${fmt(floor.cpu.bench, 2)}, other processes ${fmt(floor.cpu.others, 2)})`,
  );
}

export function printWindow(w: WindowResult): void {
  console.log(
    `accepted ${fmt(rate(w.accepted, w.seconds))}/s, delivered ${fmt(rate(w.finished, w.seconds))}/s, backlog at the end ${fmt(w.backlogEnd)} jobs`,
  );
  console.log(`  accepted per second (k): ${w.timeline.map((x) => fmt(x.accepted / 1000, 1)).join(' ')}`);
  console.log(`  delivered per second (k): ${w.timeline.map((x) => fmt(x.finished / 1000, 1)).join(' ')}`);
  console.log(`  backlog (k jobs):         ${w.timeline.map((x) => fmt(x.backlog / 1000, 1)).join(' ')}`);
  console.log(
    `  CPU (cores): relay ${fmt(w.cpu.relay, 2)}, emulator ${fmt(w.cpu.emulator, 2)}, load generator ${fmt(w.cpu.bench, 2)}, other processes ${fmt(w.cpu.others, 2)}; relay peak RSS ${fmt(w.peakRssMb)} MB`,
  );
  printTiming(w.timing);
  const c = w.counters;
  if (c.failedRequests || c.rejectedEvents || c.duplicateEvents) {
    console.log(
      `  ${c.failedRequests} failed requests, ${c.rejectedEvents} rejected and ${c.duplicateEvents} duplicate events; first problem: ${c.firstError}`,
    );
  }
}

export function printLatency(l: LatencyResult): void {
  console.log(
    `p50 ${fmt(l.p50, 1)} ms, p95 ${fmt(l.p95, 1)} ms, p99 ${fmt(l.p99, 1)} ms, max ${fmt(l.max, 1)} ms ` +
      `(${fmt(l.requests)} requests, ${l.failed} failed; delivered ${fmt(l.finishedPerSecond)}/s meanwhile, backlog at the end ${fmt(l.backlogEnd)}; ` +
      `CPU in cores: relay ${fmt(l.cpu.relay, 2)}, all other processes ${fmt(l.cpu.rest, 2)})`,
  );
  printTiming(l.timing);
}

export function printBacklog(b: BacklogResult, drainBoundS: number): void {
  console.log(
    `accepted ${fmt(b.accepted)} in ${fmt(b.ingestSeconds, 1)} s (${fmt(b.accepted / b.ingestSeconds)}/s, relay CPU ${fmt(b.relayCpu, 2)} cores), ` +
      `${fmt(b.waiting)} waiting; peak RSS ${fmt(b.peakRssMb)} MB`,
  );
  console.log(`  RSS (MB) while ingesting: ${b.rssSeries}`);
  console.log(
    `  destination back: ${fmt(b.drain.jobs)} delivered in ${fmt(b.drain.seconds, 1)} s ` +
      `(${fmt(b.drain.jobs / b.drain.seconds)}/s${b.drain.completed ? ', all of them' : `, stopped at the ${drainBoundS} s bound`}), ` +
      `peak RSS ${fmt(b.drain.peakRssMb)} MB (VmHWM ${fmt(b.hwmMb)} MB); graceful stop ${fmt(b.stop.seconds, 1)} s (${b.stop.how})`,
  );
  if (b.failed) console.log(`  ${b.failed} failed requests; first: ${b.firstError}`);
}

/** The relay's own view of its main thread (BENCH_TIMING=1): what took how long, per event. */
export function printTiming(report: TimingReport | undefined): void {
  if (!report) return;
  console.log(
    `  relay main thread over ${fmt(report.seconds, 1)} s (BENCH_TIMING): event loop delay p50 ${fmt(report.loopDelayMs.p50, 1)} ms, p99 ${fmt(report.loopDelayMs.p99, 1)} ms, max ${fmt(report.loopDelayMs.max, 1)} ms`,
  );
  for (const [name, t] of Object.entries(report.tallies).sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(
      `    ${name.padEnd(38)} ${fmt((t.ms / (report.seconds * 1000)) * 100, 1).padStart(5)}% of the time, ` +
        `${fmt(t.calls).padStart(6)} calls, ${fmt(t.ms / t.calls, 2).padStart(6)} ms/call (max ${fmt(t.maxMs, 1)})` +
        (t.items
          ? `, ${fmt(t.items / t.calls)} events/call, ${fmt((t.ms * 1000) / t.items, 1)} µs per event`
          : ''),
    );
  }
}

function row(cells: string[]): string {
  const widths = [70, 20, 12, 8];
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

export function printSummary(r: Results): void {
  console.log('\nsummary');
  console.log(row(['measure', 'value', 'target', 'verdict']));
  const floor = r.floor?.eventsPerSecond;
  if (floor !== undefined)
    console.log(row(['floor: node:http + JSON.parse + append to a file', `${fmt(floor)}/s`, '', '']));
  if (r.steady) {
    const s = r.steady;
    const accepted = rate(s.accepted, s.seconds);
    const delivered = rate(s.finished, s.seconds);
    const sustained = Math.min(accepted, delivered);
    console.log(row([`relay end to end, backlog held under ${fmt(r.backlogLimit)} jobs:`, '', '', '']));
    console.log(row(['  accepted', `${fmt(accepted)}/s`, '', '']));
    console.log(row(['  delivered', `${fmt(delivered)}/s`, '', '']));
    console.log(
      row([
        '  sustained (the lower of the two)',
        `${fmt(sustained)}/s`,
        `≥ ${fmt(TARGET.eventsPerSecond)}/s`,
        verdict(sustained >= TARGET.eventsPerSecond),
      ]),
    );
    if (floor !== undefined) console.log(row(['  ratio to the floor', fmt(sustained / floor, 3), '', '']));
    const per100 = (s.emulatorRequests / s.finished) * 100;
    // Each metric goes alone to /api/v1/metrics; estimated from what the subscriptions make of the
    // events accepted in the window (the emulator's counters do not split requests by path).
    const metricsPer100 = (s.expected.metrics / (s.accepted || 1)) * 100;
    console.log(
      row([
        'Customer.io requests per 100 events (steady state)',
        fmt(per100, 2),
        `≤ ${TARGET.requestsPer100}`,
        verdict(per100 <= TARGET.requestsPer100),
      ]),
    );
    console.log(row(['  /api/v1/metrics, one per metric (estimated)', fmt(metricsPer100, 2), '', '']));
    console.log(row(['  /api/v2/batch', fmt(per100 - metricsPer100, 2), '', '']));
    console.log(
      row([
        '  operations: at the emulator / expected',
        `${fmt(s.emulatorOps)} / ${fmt(s.expected.v2 + s.expected.metrics)}`,
        '',
        '',
      ]),
    );
  }
  if (r.ingest) {
    const accepted = rate(r.ingest.accepted, r.ingest.seconds);
    console.log(row(['relay ingest at full speed: accepted (200 answers)', `${fmt(accepted)}/s`, '', '']));
    if (floor !== undefined) console.log(row(['  ratio to the floor', fmt(accepted / floor, 2), '', '']));
    console.log(
      row(['  delivered meanwhile', `${fmt(rate(r.ingest.finished, r.ingest.seconds))}/s`, '', '']),
    );
  }
  if (r.drain) {
    console.log(
      row([
        `relay delivery alone (draining ${fmt(r.drain.jobs)} jobs${r.drain.completed ? '' : ', bounded'})`,
        `${fmt(r.drain.jobs / r.drain.seconds)}/s`,
        '',
        '',
      ]),
    );
  }
  for (const l of r.latency) {
    console.log(
      row([
        `ingest latency, ${fmt(l.offered)} events/s offered (${l.why}):`,
        `${fmt(l.eventsPerSecond)}/s taken`,
        '',
        '',
      ]),
    );
    console.log(row(['  p50 / p95', `${fmt(l.p50, 1)} / ${fmt(l.p95, 1)} ms`, '', '']));
    console.log(row(['  p99', `${fmt(l.p99, 1)} ms`, `< ${TARGET.p99Ms} ms`, verdict(l.p99 < TARGET.p99Ms)]));
  }
  if (r.backlog) {
    const b = r.backlog;
    const scaled = b.events < 1_000_000 ? ', scaled down' : '';
    const complete = b.accepted >= b.events * 0.99;
    console.log(
      row([
        `relay peak RSS, ${fmt(b.waiting)} of ${fmt(b.events)} events waiting (destination down${scaled})`,
        `${fmt(b.peakRssMb)} MB`,
        `< ${TARGET.backlogRssMb} MB`,
        complete ? verdict(b.peakRssMb < TARGET.backlogRssMb) : 'failed',
      ]),
    );
    console.log(
      row(['  ingest rate with the destination down', `${fmt(b.accepted / b.ingestSeconds)}/s`, '', '']),
    );
    console.log(
      row([
        `  then delivered (destination back${b.drain.completed ? '' : ', bounded'})`,
        `${fmt(b.drain.jobs / b.drain.seconds)}/s`,
        '',
        '',
      ]),
    );
  }
  if (r.problems.length > 0) {
    console.log('\nproblems (the figures above may not mean what they say):');
    for (const problem of r.problems) console.log(`  - ${problem}`);
  }
}

/** Problems a load run met: failed requests, events the relay refused or took for duplicates. */
export function loadProblems(phase: string, c: Counters): string[] {
  if (!c.failedRequests && !c.rejectedEvents && !c.duplicateEvents) return [];
  return [
    `${phase}: ${c.failedRequests} of ${c.requests} requests failed, ${c.rejectedEvents} events rejected, ` +
      `${c.duplicateEvents} taken for duplicates; first: ${c.firstError}`,
  ];
}
