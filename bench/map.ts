/**
 * bench:map — events per second of the mapping core (`cio-relay map`'s per-line path: parse,
 * validate, 15 preset subscriptions, build, serialise) against, in the same run:
 *   - the floor: JSON.parse + JSON.stringify of the same lines, the least any mapper must do;
 *   - Segment's published package (its single-event path with the same presets), when
 *     parity/segment is installed (`npm --prefix parity/segment ci`).
 * Targets: at least 15x the Segment package, at least 45% of the floor.
 *
 *   npm run bench:map [-- --json FILE]     # FILE: the rates as JSON (bench/report/json-out.ts)
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { trackApiBase } from '../src/customerio/index.js';
import { compileSubscriptions, MapStream } from '../src/pipeline/index.js';
import { actionsProfile } from '../src/profiles/index.js';
import { mixedEvents } from './events.js';
import { writeJsonResults } from './report/json-out.js';

const COUNT = Number(process.env.BENCH_EVENTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const lines = mixedEvents(COUNT).map((e) => JSON.stringify(e));
const bytes = lines.reduce((n, l) => n + l.length, 0);

function floor(): number {
  let n = 0;
  for (const line of lines) n += JSON.stringify(JSON.parse(line)).length;
  return n;
}

const subscriptions = compileSubscriptions(actionsProfile.presets({}));
const base = trackApiBase({ region: 'us' });
function ours(): number {
  const stream = new MapStream({ subscriptions, base, now: () => 0 });
  let n = 0;
  for (let i = 0; i < lines.length; i++) n += stream.line(lines[i]!, i).length;
  return n;
}

type SegmentMapper = (event: unknown) => unknown;
async function loadSegment(): Promise<((line: string) => Promise<number>) | undefined> {
  const adapter = new URL('../parity/segment/adapter.cjs', import.meta.url);
  if (!existsSync(new URL('../parity/segment/node_modules', import.meta.url))) return undefined;
  const require = createRequire(import.meta.url);
  const { createSegmentMapper } = require(adapter.pathname) as {
    createSegmentMapper: (o: { region: string }) => SegmentMapper;
  };
  const map = createSegmentMapper({ region: 'US' });
  return async (line: string) => {
    const requests = await map(JSON.parse(line));
    return JSON.stringify(requests).length;
  };
}

function timeSync(fn: () => number): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function timeSegment(map: (line: string) => Promise<number>, count: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await map(lines[i]!);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  console.log(
    `bench:map: ${COUNT} mixed events (${(bytes / COUNT).toFixed(0)} bytes each on average), ${ROUNDS} rounds`,
  );
  // Warm up the JIT on both paths before measuring.
  floor();
  ours();
  const floorRates: number[] = [];
  const ourRates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    floorRates.push(COUNT / timeSync(floor));
    ourRates.push(COUNT / timeSync(ours));
  }
  const floorRate = median(floorRates);
  const ourRate = median(ourRates);

  const segment = await loadSegment();
  let segmentRate: number | undefined;
  if (segment) {
    // Segment's path is much slower: measure it on a share of the events, interleaved rounds.
    const count = Math.min(COUNT, Number(process.env.BENCH_SEGMENT_EVENTS ?? 5000));
    await timeSegment(segment, Math.min(count, 1000));
    const rates: number[] = [];
    for (let r = 0; r < Math.min(ROUNDS, 3); r++) rates.push(count / (await timeSegment(segment, count)));
    segmentRate = median(rates);
  }

  const row = (name: string, rate: number) =>
    `| ${name.padEnd(38)} | ${Math.round(rate).toLocaleString('en-US').padStart(12)} |`;
  console.log('| path                                   |   events/s   |');
  console.log('|----------------------------------------|--------------|');
  console.log(row('floor: JSON.parse + JSON.stringify', floorRate));
  console.log(row('cio-relay map core', ourRate));
  if (segmentRate !== undefined) console.log(row('@segment/action-destinations (single)', segmentRate));
  console.log('');
  const share = ourRate / floorRate;
  console.log(
    `cio-relay / floor:   ${(share * 100).toFixed(1)}%  (target ≥ 45%)  ${share >= 0.45 ? 'ok' : 'BELOW TARGET'}`,
  );
  if (segmentRate !== undefined) {
    const x = ourRate / segmentRate;
    console.log(`cio-relay / Segment: ${x.toFixed(1)}x  (target ≥ 15x)  ${x >= 15 ? 'ok' : 'BELOW TARGET'}`);
  } else {
    console.log('Segment package not installed: run `npm --prefix parity/segment ci` to compare with it.');
  }
  writeJsonResults('map', {
    events: COUNT,
    averageEventBytes: bytes / COUNT,
    rounds: ROUNDS,
    floorPerSecond: floorRate,
    oursPerSecond: ourRate,
    segmentPerSecond: segmentRate ?? null,
    segmentVersion: segmentVersion(),
  });
}

/** The installed version of Segment's package, for the report (null when not installed). */
function segmentVersion(): string | null {
  const file = new URL(
    '../parity/segment/node_modules/@segment/action-destinations/package.json',
    import.meta.url,
  );
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : null;
}

await main();
