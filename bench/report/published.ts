/**
 * The report's side-by-side with what others publish (reference/anchors.md §3): their figure, ours
 * from this run, and why the two are not the same measurement.
 */
import { num, perSecond } from './format.js';
import type { RunResults } from './results.js';

export interface PublishedRow {
  claim: string;
  theirs: string;
  ours: string;
  caveat: string;
}

export function publishedRows(run: RunResults): PublishedRow[] {
  const e2e = run.benchmarks.e2e?.results;
  const pg = run.benchmarks['e2e-postgres']?.results;
  const drain = run.benchmarks.drain?.results;
  const sustained = e2e?.steady
    ? Math.min(e2e.steady.acceptedPerSecond, e2e.steady.deliveredPerSecond)
    : null;
  const pg1 = pg?.parts.find((p) => p.postgres && p.relays === 1)?.sustainedPerSecond;
  const per100 = e2e?.steady?.requestsPer100Events ?? drain?.requestsPer100Events;
  const cores = run.machine.cores;

  const ours = [
    sustained !== null ? `SQLite: ${perSecond(sustained)}` : undefined,
    pg1 !== undefined ? `PostgreSQL: ${perSecond(pg1)}` : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  return [
    {
      claim: 'RudderStack, events per second on one node',
      theirs: '1,500–3,000 events/s (conservative: ~750–1,500 by destination type)',
      ours: ours ? `${ours} (one relay, end to end)` : '—',
      caveat:
        `Theirs: a whole RudderStack node (gateway, processor with transformations, router to any destination) on ` +
        `their sizing hardware. Ours: one relay delivering to one Customer.io destination (an emulator on loopback ` +
        `that accepts everything), with the relay, the database, the emulator and the load generator sharing ` +
        `${cores} cores. Neither figure includes a real destination's rate limit.`,
    },
    {
      claim: 'Segment (Actions), operations per Customer.io batch request',
      theirs: '50 by default, at most 100: 1 to 2 requests per 100 events',
      ours: per100 !== undefined ? `${num(per100, 2)} requests per 100 events (batches of up to 100)` : '—',
      caveat:
        'Both count requests to Customer.io per event sent. Ours depends on `batch.maxOperations` (1 to 1,000, ' +
        'default 100) and on each metric (delivery events) going alone to `/api/v1/metrics`; Segment’s figure is ' +
        'its configuration limit, not a measurement.',
    },
    {
      claim: 'RudderStack (Customer.io destination), requests per event on the live path',
      theirs: 'one request per event: 100 per 100 events (its batch mode groups up to 1,000)',
      ours: per100 !== undefined ? `${num(per100, 2)} per 100 events` : '—',
      caveat:
        'Theirs is how its transformer builds live requests (from its source), not a benchmark. Fewer requests ' +
        'matter because Customer.io limits requests, not events: at the same rate limit, batching moves up to ' +
        '100 times more events.',
    },
    {
      claim: 'Customer.io, events per second per workspace implied by the Track API limit',
      theirs: '100 requests/s (fair use) × 50–100 operations ≈ 5,000–10,000 events/s',
      ours: drain
        ? drain.completed
          ? `${perSecond(drain.finished / drain.seconds)} while draining ${num(drain.events)} events at ${num(drain.requestsPerSecond)} requests/s`
          : `did not finish within ${num(drain.boundSeconds)} s`
        : '—',
      caveat:
        'Theirs is arithmetic on a published limit (which Customer.io says is not strictly enforced). Ours is the ' +
        'relay held to that limit by its own rate limiter, against the emulator, which does not throttle.',
    },
  ];
}
