/**
 * What `cio-relay send` did, counted as it goes and told at the end: events sent, accepted
 * (duplicates among them), rejected grouped by reason with the first line numbers, bad lines,
 * events left unsent and why, elapsed time and rate.
 */
import type { RejectedEvent } from '../server/index.js';
import type { EventBatch, LineProblem } from './ndjson-batches.js';
import { formatCount, formatDuration } from './progress.js';

/** Line numbers shown per reason, and bad lines shown, before "and N more". */
const SHOWN = 5;
const BAD_SHOWN = 10;

interface Reason {
  message: string;
  lines: number[];
}

export class SendSummary {
  requests = 0;
  sent = 0;
  duplicates = 0;
  rejected = 0;
  unsent = 0;
  /** Why sending stopped, when it did. */
  stopped: string | undefined;
  private readonly reasons = new Map<string, Reason>();
  private readonly bad: LineProblem[] = [];
  /** Rejections among the events sent (a too-large event is refused here, never sent). */
  private rejectedSent = 0;

  badLine(problem: LineProblem): void {
    this.bad.push(problem);
  }

  /** An event too large for any request: refused here, as the relay would refuse it. */
  tooLarge(line: number, bytes: number, maxBytes: number): void {
    this.reject(
      'event_too_large',
      `the event is ${formatCount(bytes)} bytes, more than a whole request may carry (${formatCount(maxBytes)}); the relay accepts at most 32 KB per event`,
      line,
    );
  }

  answered(batch: EventBatch, rejected: readonly RejectedEvent[], duplicates: number): void {
    this.requests++;
    this.sent += batch.lines.length;
    this.duplicates += duplicates;
    this.rejectedSent += rejected.length;
    for (const refusal of rejected) {
      this.reject(refusal.code, refusal.message, batch.lines[refusal.index] ?? 0);
    }
  }

  notSent(batch: EventBatch, why: string): void {
    this.unsent += batch.lines.length;
    this.stopped ??= why;
  }

  get accepted(): number {
    return this.sent - this.rejectedSent;
  }

  /** 0 when every line became an accepted event, else 1. */
  exitCode(): number {
    return this.rejected > 0 || this.bad.length > 0 || this.unsent > 0 ? 1 : 0;
  }

  render(from: string, seconds: number): string {
    const out: string[] = [];
    const rate = seconds > 0 ? Math.round(this.sent / seconds) : this.sent;
    out.push(
      `${from}: ${formatCount(this.sent)} events sent in ${formatCount(this.requests)} request${this.requests === 1 ? '' : 's'}: ` +
        `${formatCount(this.accepted)} accepted${this.duplicates > 0 ? ` (${formatCount(this.duplicates)} of them duplicates, not stored again)` : ''}, ` +
        `${formatCount(this.rejected)} rejected, ${formatCount(this.bad.length)} bad line${this.bad.length === 1 ? '' : 's'}, ${formatCount(this.unsent)} unsent`,
    );
    if (this.stopped) out.push(`stopped: ${this.stopped}`);
    if (this.reasons.size > 0) {
      out.push('rejected:');
      const sorted = [...this.reasons].sort((a, b) => b[1].lines.length - a[1].lines.length);
      for (const [code, reason] of sorted) {
        out.push(`  ${code} (${formatCount(reason.lines.length)}): ${reason.message}`);
        out.push(`    ${lineList(reason.lines)}`);
      }
    }
    if (this.bad.length > 0) {
      out.push('bad lines (not sent):');
      for (const problem of this.bad.slice(0, BAD_SHOWN))
        out.push(`  line ${problem.line}: ${problem.reason}`);
      if (this.bad.length > BAD_SHOWN) out.push(`  and ${formatCount(this.bad.length - BAD_SHOWN)} more`);
    }
    out.push(`elapsed ${formatDuration(seconds)}, ${formatCount(rate)} events/s`);
    return `${out.join('\n')}\n`;
  }

  private reject(code: string, message: string, line: number): void {
    this.rejected++;
    let reason = this.reasons.get(code);
    if (!reason) {
      reason = { message, lines: [] };
      this.reasons.set(code, reason);
    }
    reason.lines.push(line);
  }
}

function lineList(lines: number[]): string {
  const shown = lines.slice(0, SHOWN).join(', ');
  const more = lines.length > SHOWN ? ` and ${formatCount(lines.length - SHOWN)} more` : '';
  return `line${lines.length === 1 ? '' : 's'} ${shown}${more}`;
}
