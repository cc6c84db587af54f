/**
 * The servers of bench/e2e, each in its own process: the relay (`cio-relay serve --config FILE`),
 * the emulator (`cio-relay emulator --sink`) and the floor; their HTTP APIs as the benchmark uses
 * them; and the relay's configuration.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfig } from '../src/config/index.js';
import { isOperation } from '../src/customerio/index.js';
import { compileSubscriptions, route } from '../src/pipeline/router.js';
import type { QueueStats } from '../src/store/types.js';
import type { ExpectedOps } from './e2e-load.js';
import { type Child, freePort, sleep, startChild, waitForHttp } from './e2e-procs.js';

export const SITE_ID = 'bench-site';
export const API_KEY = 'bench-api-key';
export const WRITE_KEY = 'bench-write-key';
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const DESTINATION = 'cio';

export interface RelaySettings {
  /** Where logs, configuration files and databases go. */
  dir: string;
  /** 'source': bench/e2e-cli.ts through tsx; 'dist': node bin/cio-relay.js (after npm run build). */
  mode: 'source' | 'dist';
  /** Time the store and the event loop from inside (bench/e2e-timed.ts); source mode only. */
  timing: boolean;
  nodeArgs: string[];
  logLevel: string;
  /** Merged into the store's configuration (e.g. `{ postgres: url }`); default a fresh SQLite file. */
  store?: Record<string, unknown>;
  /** Merged over the destination's settings (a key set to undefined falls back to the default). */
  destination?: Record<string, unknown>;
}

export function relayConfig(
  port: number,
  emulatorUrl: string,
  db: string,
  store: Record<string, unknown> = {},
  destination: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    server: { host: '127.0.0.1', port },
    store: { sqlite: db, ...store },
    admin: { token: ADMIN_TOKEN },
    sources: [{ name: 'web', writeKey: WRITE_KEY }],
    destinations: [
      {
        name: DESTINATION,
        siteId: SITE_ID,
        apiKey: API_KEY,
        endpoint: emulatorUrl,
        allowInsecureEndpoint: true,
        batch: { maxOperations: 100 },
        // The configuration's maximum: far above what is sent, so the limiter never sets the pace.
        rateLimit: { requestsPerSecond: 10_000 },
        concurrency: 4,
        // Short backoffs, so that the drain after the outage fits in the benchmark.
        retry: { minBackoffMs: 200, maxBackoffMs: 2000 },
        ...destination,
      },
    ],
  };
}

/** What the relay's subscriptions (the default profile's presets) make of one event, by endpoint. */
export function expectedOpsOf(): (event: Record<string, unknown>) => ExpectedOps {
  const config = validateConfig(relayConfig(1, 'http://127.0.0.1:1', ':memory:'), {});
  const subscriptions = compileSubscriptions(config.destinations[0]!.subscriptions);
  const context = { now: () => Date.now() };
  return (event) => {
    const ops = { v2: 0, metrics: 0 };
    for (const { result } of route(event, subscriptions, context)) {
      if (!isOperation(result)) continue;
      if (result.endpoint === 'v2') ops.v2++;
      else ops.metrics++;
    }
    return ops;
  };
}

export interface EmulatorStats {
  requests: { total: number; byStatus: Record<string, number> };
  operations: { accepted: number; rejected: number };
}

export interface TimingReport {
  seconds: number;
  tallies: Record<string, { calls: number; ms: number; items: number; maxMs: number }>;
  loopDelayMs: { p50: number; p99: number; max: number };
}

async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export class EmulatorProcess {
  private constructor(
    readonly child: Child,
    readonly url: string,
  ) {}

  static async start(dir: string): Promise<EmulatorProcess> {
    const port = await freePort();
    const child = startChild(
      'emulator',
      'bench/e2e-cli.ts',
      ['emulator', '--sink', '--port', String(port), '--site-id', SITE_ID, '--api-key', API_KEY],
      { logFile: join(dir, 'emulator.log') },
    );
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/_emulator/stats`, child);
    return new EmulatorProcess(child, url);
  }

  stats(): Promise<EmulatorStats> {
    return getJson(`${this.url}/_emulator/stats`);
  }

  /** Replace the fault settings (`{}` clears them). */
  async faults(settings: Record<string, unknown>): Promise<void> {
    const response = await fetch(`${this.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    });
    if (!response.ok) throw new Error(`emulator faults: ${response.status} ${await response.text()}`);
  }
}

export class FloorProcess {
  private constructor(
    readonly child: Child,
    readonly url: string,
  ) {}

  static async start(dir: string): Promise<FloorProcess> {
    const port = await freePort();
    const child = startChild('floor', 'bench/e2e-floor.ts', [String(port), join(dir, 'floor.ndjson')], {
      logFile: join(dir, 'floor.log'),
    });
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(url, child);
    return new FloorProcess(child, url);
  }
}

export class RelayProcess {
  private constructor(
    readonly child: Child,
    readonly url: string,
    private readonly timed: boolean,
  ) {}

  static async start(name: string, emulatorUrl: string, settings: RelaySettings): Promise<RelayProcess> {
    const port = await freePort();
    const configFile = join(settings.dir, `${name}.json`);
    const config = relayConfig(
      port,
      emulatorUrl,
      join(settings.dir, `${name}.db`),
      settings.store,
      settings.destination,
    );
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const args = ['serve', '--config', configFile];
    const options = {
      logFile: join(settings.dir, `${name}.log`),
      nodeArgs: settings.nodeArgs,
      env: { LOG_LEVEL: settings.logLevel },
    };
    const timed = settings.timing && settings.mode === 'source';
    const child =
      settings.mode === 'dist'
        ? startChild(name, 'bin/cio-relay.js', args, { ...options, tsx: false })
        : startChild(name, timed ? 'bench/e2e-timed.ts' : 'bench/e2e-cli.ts', args, options);
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/health`, child);
    return new RelayProcess(child, url, timed);
  }

  async stats(): Promise<QueueStats> {
    const answer = await getJson<{ destination: { stats: QueueStats } }>(
      `${this.url}/admin/destinations/${DESTINATION}`,
      { authorization: `Bearer ${ADMIN_TOKEN}` },
    );
    return answer.destination.stats;
  }

  /** Jobs the relay is done with: delivered, or matched by no subscription. */
  async finished(): Promise<number> {
    const stats = await this.stats();
    return stats.delivered + stats.filtered;
  }

  /** Jobs not done yet: queued, in flight or waiting for a retry. */
  async backlog(): Promise<number> {
    const stats = await this.stats();
    return stats.queued + stats.inFlight + stats.retrying;
  }

  /** Wait until nothing is queued, in flight or waiting for a retry; seconds taken, or undefined. */
  drain(timeoutS: number): Promise<number | undefined> {
    return this.backlogBelow(1, timeoutS);
  }

  /** Wait until fewer than `limit` jobs are left to do; seconds taken, or undefined after `timeoutS`. */
  async backlogBelow(limit: number, timeoutS: number): Promise<number | undefined> {
    const start = performance.now();
    for (;;) {
      if ((await this.backlog()) < limit) return (performance.now() - start) / 1000;
      if (performance.now() - start > timeoutS * 1000) return undefined;
      await sleep(100);
    }
  }

  /**
   * With timing on (bench/e2e-timed.ts): end the relay's timing window and read its report; the
   * next window starts at once. Undefined otherwise.
   */
  async timing(): Promise<TimingReport | undefined> {
    if (!this.timed) return undefined;
    const marker = 'E2E-TIMING ';
    const reports = () =>
      readFileSync(this.child.logFile, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith(marker));
    const before = reports().length;
    this.child.process.kill('SIGUSR2');
    for (let i = 0; i < 100; i++) {
      await sleep(20);
      const lines = reports();
      if (lines.length > before)
        return JSON.parse(lines[lines.length - 1]!.slice(marker.length)) as TimingReport;
    }
    return undefined;
  }

  /** SIGTERM (graceful: stop accepting, finish deliveries, close the store); seconds it took. */
  async stop(): Promise<{ seconds: number; how: string }> {
    const start = performance.now();
    const how = await this.child.stop(30_000);
    return { seconds: (performance.now() - start) / 1000, how };
  }
}

/**
 * Holds senders back while the relay's backlog is at or above `limit` jobs (polled every 100 ms), so
 * that a closed loop measures what the relay sustains end to end rather than how fast a queue grows.
 */
export class BacklogGate {
  backlog = 0;
  private open = true;
  private stopped = false;
  private readonly polling: Promise<void>;

  constructor(
    private readonly relay: RelayProcess,
    private readonly limit: number,
  ) {
    this.polling = this.poll();
  }

  private async poll(): Promise<void> {
    while (!this.stopped) {
      this.backlog = await this.relay.backlog();
      this.open = this.backlog < this.limit;
      await sleep(100);
    }
  }

  async wait(): Promise<void> {
    while (!this.open && !this.stopped) await sleep(10);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.polling;
  }
}
