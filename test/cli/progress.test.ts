/**
 * The progress shown by `send` and `dlq replay`: on a terminal one line redrawn in place with a
 * bar, rate and ETA (or counts and rate when the total is unknown); elsewhere a plain line per
 * interval. A fake clock drives it.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/progress.js';

function terminal(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk;
  });
  return { stream, text: () => text };
}

describe('progress', () => {
  it('draws a bar with %, rate and ETA on a terminal, redrawn at most every 100 ms, cleared at the end', () => {
    const out = terminal(true);
    let now = 0;
    const progress = new Progress({
      stream: out.stream,
      label: 'send',
      noun: 'events',
      total: 1000,
      now: () => now,
    });
    now = 50;
    progress.update(100, 10); // too soon after the start: not drawn
    now = 2000;
    progress.update(250, 5000);
    expect(out.text()).toBe(
      '\r\x1b[2Ksend [######------------------] 25% 5,000 events 2,500 events/s ETA 6.0 s',
    );
    progress.finish();
    expect(out.text().endsWith('\r\x1b[2K')).toBe(true);
  });

  it('shows counts and rate without a total, and plain lines per interval when not on a terminal', () => {
    const out = terminal(false);
    let now = 0;
    const progress = new Progress({
      stream: out.stream,
      label: 'send',
      noun: 'events',
      intervalMs: 5000,
      now: () => now,
    });
    now = 1000;
    progress.update(0, 100);
    now = 5000;
    progress.update(0, 1000);
    now = 6000;
    progress.update(0, 1200);
    now = 10_000;
    progress.update(0, 3000);
    progress.finish();
    expect(out.text()).toBe('send: 1,000 events, 200 events/s\nsend: 3,000 events, 300 events/s\n');
  });

  it('says minutes and hours for long ETAs', () => {
    const out = terminal(false);
    let now = 0;
    const progress = new Progress({
      stream: out.stream,
      label: 'replay',
      noun: 'dead letters',
      total: 100_000,
      intervalMs: 1000,
      now: () => now,
    });
    now = 60_000;
    progress.update(1000, 1000);
    expect(out.text()).toBe('replay: 1,000 dead letters, 1%, 17 dead letters/s, ETA 1 h 39 min\n');
  });
});
