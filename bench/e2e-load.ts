/**
 * The load generator of bench/e2e: `/v1/batch` requests of 100 Segment events each, built from
 * bench/events.ts's mix without holding millions of events in memory, sent over a keep-alive
 * undici Pool either as fast as the server answers (closed loop, N senders) or at a fixed rate
 * (open loop, latency measured from the time each request was due, so a stall is not hidden by
 * the sender waiting for it).
 *
 * Every event gets a distinct messageId; its person is one of PEOPLE users (userId `user-k`,
 * anonymousId `anon-k`; the mix's anonymous events keep only the anonymousId), picked by a hash of
 * the event's number, so one person's events spread over many requests and per-person ordering is
 * exercised.
 */
import { Pool } from 'undici';
import { mixedEvents } from './events.js';

export const EVENTS_PER_REQUEST = 100;
export const PEOPLE = 1000;
const TEMPLATES = 1000;
const MARKER = /@@([MUA])@@/;

/** What the destination's subscriptions make of one template event. */
export interface ExpectedOps {
  v2: number;
  metrics: number;
}

/** Builds request bodies from pre-serialised templates with the ids filled in. */
export class BodyFactory {
  /** Events handed out so far (the next event's number). */
  issued = 0;
  readonly averageEventBytes: number;
  private readonly templates: { parts: string[]; fields: string[] }[];
  private readonly prefixV2: Float64Array;
  private readonly prefixMetrics: Float64Array;

  constructor(
    private readonly tag: string,
    expected: (event: Record<string, unknown>) => ExpectedOps = () => ({ v2: 0, metrics: 0 }),
  ) {
    const events = mixedEvents(TEMPLATES, 7);
    this.templates = events.map((event) => {
      const marked: Record<string, unknown> = { ...event, messageId: '@@M@@', anonymousId: '@@A@@' };
      if ('userId' in event) marked['userId'] = '@@U@@';
      if (event['type'] === 'alias') marked['previousId'] = '@@A@@';
      const split = JSON.stringify(marked).split(MARKER);
      return {
        parts: split.filter((_, i) => i % 2 === 0),
        fields: split.filter((_, i) => i % 2 === 1),
      };
    });
    let bytes = 0;
    this.prefixV2 = new Float64Array(TEMPLATES + 1);
    this.prefixMetrics = new Float64Array(TEMPLATES + 1);
    for (let t = 0; t < TEMPLATES; t++) {
      const sample = this.event(t);
      bytes += Buffer.byteLength(sample);
      const ops = expected(JSON.parse(sample) as Record<string, unknown>);
      this.prefixV2[t + 1] = this.prefixV2[t]! + ops.v2;
      this.prefixMetrics[t + 1] = this.prefixMetrics[t]! + ops.metrics;
    }
    this.averageEventBytes = bytes / TEMPLATES;
  }

  /** The JSON of event number `n`. */
  event(n: number): string {
    const { parts, fields } = this.templates[n % TEMPLATES]!;
    const person = personOf(n);
    let out = parts[0]!;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      out += field === 'M' ? `${this.tag}-${n}` : field === 'U' ? `user-${person}` : `anon-${person}`;
      out += parts[i + 1]!;
    }
    return out;
  }

  /** The next request: `{"batch":[...]}` with EVENTS_PER_REQUEST new events. */
  next(): { body: string; first: number } {
    const first = this.issued;
    this.issued += EVENTS_PER_REQUEST;
    const events: string[] = new Array(EVENTS_PER_REQUEST);
    for (let i = 0; i < EVENTS_PER_REQUEST; i++) events[i] = this.event(first + i);
    return { body: `{"batch":[${events.join(',')}]}`, first };
  }

  /** Operations the events [first, first + count) should produce, by endpoint. */
  expectedOps(first: number, count: number): ExpectedOps {
    const sum = (prefix: Float64Array) => {
      const whole = Math.floor(count / TEMPLATES) * prefix[TEMPLATES]!;
      const start = first % TEMPLATES;
      const rest = count % TEMPLATES;
      const end = start + rest;
      const part =
        end <= TEMPLATES
          ? prefix[end]! - prefix[start]!
          : prefix[TEMPLATES]! - prefix[start]! + prefix[end - TEMPLATES]!;
      return whole + part;
    };
    return { v2: sum(this.prefixV2), metrics: sum(this.prefixMetrics) };
  }
}

/** A well-mixed person number for event n (a 32-bit integer hash), 0..PEOPLE-1. */
function personOf(n: number): number {
  let h = Math.imul(n ^ (n >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return ((h ^ (h >>> 16)) >>> 0) % PEOPLE;
}

/** Live counters of a load run; the orchestrator snapshots them at window edges. */
export class Counters {
  requests = 0;
  /** Requests answered 200, and the events they carried that were accepted (not rejected/duplicate). */
  okRequests = 0;
  acceptedEvents = 0;
  rejectedEvents = 0;
  duplicateEvents = 0;
  failedRequests = 0;
  readonly statuses = new Map<string, number>();
  readonly expected: ExpectedOps = { v2: 0, metrics: 0 };
  /** Latencies (ms) of paced requests, from when each was due to its answer. */
  readonly latenciesMs: number[] = [];
  firstError: string | undefined;

  snapshot(): { at: number; acceptedEvents: number; okRequests: number } {
    return { at: performance.now(), acceptedEvents: this.acceptedEvents, okRequests: this.okRequests };
  }
}

export interface Target {
  url: string;
  writeKey: string;
}

export function openPool(url: string, connections: number): Pool {
  return new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
}

const authorizations = new Map<string, string>();

async function sendOne(pool: Pool, target: Target, factory: BodyFactory, counters: Counters): Promise<void> {
  let authorization = authorizations.get(target.writeKey);
  if (authorization === undefined) {
    authorization = `Basic ${Buffer.from(`${target.writeKey}:`).toString('base64')}`;
    authorizations.set(target.writeKey, authorization);
  }
  const { body, first } = factory.next();
  counters.requests++;
  let status = 0;
  let text = '';
  try {
    const response = await pool.request({
      method: 'POST',
      path: '/v1/batch',
      headers: {
        authorization,
        'content-type': 'application/json',
      },
      body,
    });
    status = response.statusCode;
    text = await response.body.text();
  } catch (error) {
    counters.failedRequests++;
    counters.statuses.set('network', (counters.statuses.get('network') ?? 0) + 1);
    counters.firstError ??= `network: ${(error as Error).message}`;
    return;
  }
  counters.statuses.set(String(status), (counters.statuses.get(String(status)) ?? 0) + 1);
  if (status !== 200) {
    counters.failedRequests++;
    counters.firstError ??= `${status}: ${text.slice(0, 300)}`;
    return;
  }
  const answer = JSON.parse(text) as { rejected?: unknown[]; duplicates?: number };
  const rejected = answer.rejected?.length ?? 0;
  const duplicates = answer.duplicates ?? 0;
  if (rejected > 0) counters.firstError ??= `rejected: ${JSON.stringify(answer.rejected![0])}`;
  counters.okRequests++;
  counters.acceptedEvents += EVENTS_PER_REQUEST - rejected - duplicates;
  counters.rejectedEvents += rejected;
  counters.duplicateEvents += duplicates;
  const ops = factory.expectedOps(first, EVENTS_PER_REQUEST);
  counters.expected.v2 += ops.v2;
  counters.expected.metrics += ops.metrics;
}

/**
 * `senders` loops, each sending its next request when the previous one is answered (and `gate`
 * lets it), until `stop()`.
 */
export async function closedLoop(
  pool: Pool,
  target: Target,
  factory: BodyFactory,
  counters: Counters,
  options: { senders: number; stop: () => boolean; gate?: () => Promise<void> },
): Promise<void> {
  const sender = async () => {
    while (!options.stop()) {
      if (options.gate) await options.gate();
      if (options.stop()) break;
      await sendOne(pool, target, factory, counters);
    }
  };
  await Promise.all(Array.from({ length: options.senders }, sender));
}

/**
 * Requests at a fixed rate for `seconds`, whatever the answers take (open loop); each latency is
 * measured from the moment the request was due, so a slow answer delays nothing else unnoticed.
 */
export async function openLoop(
  pool: Pool,
  target: Target,
  factory: BodyFactory,
  counters: Counters,
  options: { requestsPerSecond: number; seconds: number },
): Promise<void> {
  const interval = 1000 / options.requestsPerSecond;
  const total = Math.max(1, Math.round(options.requestsPerSecond * options.seconds));
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      sendOne(pool, target, factory, counters).then(() => {
        counters.latenciesMs.push(performance.now() - due);
      }),
    );
  }
  await Promise.all(pending);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((sorted.length * p) / 100) - 1)]!;
}
