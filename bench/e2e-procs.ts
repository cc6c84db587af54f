/**
 * Child processes for bench/e2e: start one (stdout and stderr to a log file), wait until it answers
 * HTTP, read its memory and CPU from /proc, and stop every child when the benchmark ends, however it
 * ends (normal exit, exception, Ctrl-C).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux
/** Preloaded into every child: it stops itself should the benchmark die without stopping it. */
const EXIT_WITH_PARENT = join(import.meta.dirname, '../scripts/exit-with-parent.mjs');

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  logFile: string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<string>;
}

const children = new Set<Child>();

function killAllNow(): void {
  for (const child of children) {
    try {
      child.process.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

process.on('exit', killAllNow);
for (const [signal, number] of [
  ['SIGINT', 2],
  ['SIGTERM', 15],
  ['SIGHUP', 1],
] as const) {
  process.on(signal, () => {
    killAllNow();
    process.exit(128 + number);
  });
}

/**
 * A node child running `entry` (TypeScript through tsx unless `tsx: false`); `nodeArgs` go before
 * it (e.g. --cpu-prof). The child is node itself, so its pid is the one to read in /proc.
 */
export function startChild(
  name: string,
  entry: string,
  args: string[],
  options: { logFile: string; nodeArgs?: string[]; env?: NodeJS.ProcessEnv; tsx?: boolean },
): Child {
  const log = openSync(options.logFile, 'a');
  const loader = options.tsx === false ? [] : ['--import', 'tsx'];
  const preloads = [...loader, '--import', EXIT_WITH_PARENT];
  const proc = spawn(process.execPath, [...(options.nodeArgs ?? []), ...preloads, entry, ...args], {
    stdio: ['ignore', log, log],
    env: { ...process.env, ...options.env },
  });
  closeSync(log);
  if (proc.pid === undefined) throw new Error(`could not start ${name}`);
  const exited = new Promise<string>((resolve) => {
    proc.once('exit', (code, signal) => {
      children.delete(child);
      resolve(signal ?? `exit ${code}`);
    });
  });
  const child: Child = {
    name,
    pid: proc.pid,
    process: proc,
    logFile: options.logFile,
    exited,
    async stop(graceMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return exited;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const how = await exited;
      clearTimeout(timer);
      return how;
    },
  };
  children.add(child);
  return child;
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((child) => child.stop(5000)));
}

/** The last lines of a child's log, for error messages. */
export function logTail(child: Child, lines = 15): string {
  try {
    return readFileSync(child.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Poll `url` until it answers at all (any status); fail if the child exits first. */
export async function waitForHttp(url: string, child: Child, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone: string | undefined;
  void child.exited.then((how) => {
    gone = how;
  });
  for (;;) {
    if (gone !== undefined)
      throw new Error(`${child.name} exited (${gone}) before it answered:\n${logTail(child)}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms`);
    await sleep(100);
  }
}

export interface ProcSample {
  /** Resident set size now, and the peak since the process started (VmHWM), in MB. */
  rssMb: number;
  peakRssMb: number;
  /** User + system CPU time since the process started, in seconds. */
  cpuSeconds: number;
}

/** Memory and CPU of a live process from /proc (Linux). */
export function procSample(pid: number): ProcSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return {
    rssMb: kb('VmRSS') / 1024,
    peakRssMb: kb('VmHWM') / 1024,
    cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND,
  };
}

/** Samples a process's RSS every `everyMs` until stopped; keeps the peak and a coarse timeline. */
export class RssSampler {
  peakMb = 0;
  readonly timeline: { atS: number; rssMb: number }[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly started = performance.now();

  constructor(
    private readonly pid: number,
    everyMs = 200,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.sample();
  }

  sample(): number {
    try {
      const { rssMb } = procSample(this.pid);
      this.peakMb = Math.max(this.peakMb, rssMb);
      this.timeline.push({ atS: (performance.now() - this.started) / 1000, rssMb });
      return rssMb;
    } catch {
      return 0; // the process is gone
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** CPU time the whole machine spent busy (all cores, all processes) since boot, in seconds. */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / CLOCK_TICKS_PER_SECOND;
}
