/**
 * Child-process entry for bench/e2e with BENCH_TIMING=1: `cio-relay serve` from the sources, with
 * the store's synchronous work timed from the outside (the classes' prototypes are wrapped before
 * the relay starts; nothing in src/ changes):
 *   - append: each group commit (GroupCommit.flush), with the events it held;
 *   - claim, complete: each call's synchronous part (the whole SQLite transaction);
 *   - other store writes (prune chunks, pause, replay): SqliteStore's private `write`;
 *   - delivery: DestinationWorker's `deliver` from its call to its first await, which is the
 *     mapping and request building of planDelivery (the await is the HTTP request);
 * and the event loop's delay (perf_hooks.monitorEventLoopDelay), which is what an ingest request
 * waits for besides its own work.
 *
 * SIGUSR2 prints `E2E-TIMING {json}` on stdout (the child's log) and starts a new window.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { main } from '../src/cli/main.js';
import { DestinationWorker } from '../src/pipeline/delivery/destination-worker.js';
import { GroupCommit } from '../src/store/sqlite/group-commit.js';
import { SqliteStore } from '../src/store/sqlite/store.js';

interface Tally {
  calls: number;
  ms: number;
  items: number;
  maxMs: number;
}

let tallies = new Map<string, Tally>();
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
let windowStart = performance.now();

function record(name: string, ms: number, items: number): void {
  let tally = tallies.get(name);
  if (!tally) {
    tally = { calls: 0, ms: 0, items: 0, maxMs: 0 };
    tallies.set(name, tally);
  }
  tally.calls++;
  tally.ms += ms;
  tally.items += items;
  if (ms > tally.maxMs) tally.maxMs = ms;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Wrap `proto[name]`, timing its synchronous part; `items` counts what one call handled, from its
 * arguments or (when it returns a promise) from what the promise resolves to.
 */
function wrap(
  proto: object,
  name: string,
  label: string,
  items: (self: unknown, args: unknown[], result?: unknown) => number,
  fromResult = false,
) {
  const target = proto as Record<string, Method>;
  const original = target[name];
  if (typeof original !== 'function') {
    process.stdout.write(`e2e-timed: ${label}: no method ${name} to time\n`);
    return;
  }
  target[name] = function (this: unknown, ...args: unknown[]) {
    const before = fromResult ? 0 : items(this, args);
    const start = performance.now();
    const nesting = depth++;
    let result: unknown;
    try {
      result = original.apply(this, args);
      return result;
    } finally {
      depth--;
      const ms = performance.now() - start;
      // A `write` inside claim/complete is part of them, not "other writes".
      if (label !== 'other store writes' || nesting === 0) {
        if (fromResult && result instanceof Promise) {
          result.then(
            (value) => record(label, ms, items(this, args, value)),
            () => record(label, ms, 0),
          );
        } else record(label, ms, before);
      }
    }
  };
}
let depth = 0;

const length = (value: unknown) => (Array.isArray(value) ? value.length : 0);
wrap(GroupCommit.prototype, 'flush', 'append (group commit)', (self) => {
  const queue = (self as { queue?: { input?: { events?: unknown[] } }[] }).queue ?? [];
  return queue.reduce((n, waiting) => n + length(waiting.input?.events), 0);
});
wrap(SqliteStore.prototype, 'claim', 'claim', (_self, _args, jobs) => length(jobs), true);
wrap(SqliteStore.prototype, 'complete', 'complete', (_self, args) =>
  length((args[0] as { results?: unknown[] })?.results),
);
wrap(SqliteStore.prototype, 'write', 'other store writes', () => 0);
wrap(DestinationWorker.prototype, 'deliver', 'deliver: plan (map + build requests)', (_self, args) =>
  length(args[0]),
);

process.on('SIGUSR2', () => {
  const seconds = (performance.now() - windowStart) / 1000;
  const report = {
    seconds,
    tallies: Object.fromEntries(tallies),
    loopDelayMs: {
      p50: loop.percentile(50) / 1e6,
      p99: loop.percentile(99) / 1e6,
      max: loop.max / 1e6,
    },
  };
  process.stdout.write(`E2E-TIMING ${JSON.stringify(report)}\n`);
  tallies = new Map();
  loop.reset();
  windowStart = performance.now();
});

process.exitCode = await main(process.argv.slice(2));
