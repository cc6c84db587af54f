/**
 * Progress of a long command (`send`, `dlq replay`) on standard error. On a terminal: one line
 * redrawn in place, with a bar, the rate and an ETA when the total is known. Elsewhere (a log file,
 * CI): a plain line every `intervalMs`, so a log shows the command is alive without filling up.
 */

export interface ProgressOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  /** The command, e.g. `send`. */
  label: string;
  /** What `items` counts, e.g. `events`. */
  noun: string;
  /** The total of `done` when known (bytes of a file, dead letters selected): gives %, bar and ETA. */
  total?: number | undefined;
  /** Between two plain lines when not on a terminal (default 10 s). */
  intervalMs?: number;
  now?: () => number;
}

const REDRAW_MS = 100;
const BAR_WIDTH = 24;

export class Progress {
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly started: number;
  private lastShown: number;
  private drawn = false;

  constructor(private readonly options: ProgressOptions) {
    this.tty = options.stream.isTTY === true;
    this.now = options.now ?? Date.now;
    this.started = this.now();
    this.lastShown = this.started;
  }

  /** `done`: in the unit of `total`; `items`: what the rate counts. Shown when due, and once complete. */
  update(done: number, items: number): void {
    const now = this.now();
    const every = this.tty ? REDRAW_MS : (this.options.intervalMs ?? 10_000);
    const complete = this.options.total !== undefined && done >= this.options.total;
    if (now - this.lastShown < every && !complete) return;
    this.lastShown = now;
    if (this.tty) {
      this.options.stream.write(`\r\x1b[2K${this.describe(done, items, now, true)}`);
      this.drawn = true;
    } else {
      this.options.stream.write(`${this.describe(done, items, now, false)}\n`);
    }
  }

  /** Clears the terminal line (the summary takes its place). */
  finish(): void {
    if (this.drawn) this.options.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  /** Seconds since the start. */
  elapsedSeconds(): number {
    return (this.now() - this.started) / 1000;
  }

  private describe(done: number, items: number, now: number, tty: boolean): string {
    const { label, noun, total } = this.options;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = `${formatCount(Math.round(items / seconds))} ${noun}/s`;
    const parts = [`${formatCount(items)} ${noun}`];
    if (total !== undefined && total > 0) {
      const share = Math.min(done / total, 1);
      const eta = done > 0 ? ((total - done) / done) * seconds : undefined;
      const percent = `${Math.floor(share * 100)}%`;
      const etaText = eta === undefined ? 'ETA ?' : `ETA ${formatDuration(eta)}`;
      if (tty) return `${label} ${bar(share)} ${percent} ${parts[0]} ${rate} ${etaText}`;
      parts.push(percent, rate, etaText);
    } else {
      if (tty) return `${label} ${parts[0]} ${rate}`;
      parts.push(rate);
    }
    return `${label}: ${parts.join(', ')}`;
  }
}

function bar(share: number): string {
  const full = Math.round(share * BAR_WIDTH);
  return `[${'#'.repeat(full)}${'-'.repeat(BAR_WIDTH - full)}]`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `42 s`, `3 min 5 s`, `1 h 2 min`. */
export function formatDuration(seconds: number): string {
  if (seconds < 10) return `${Math.max(0, seconds).toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
