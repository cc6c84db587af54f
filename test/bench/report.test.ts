/**
 * The benchmark report renderer on fixed results (a quick run's bench/results JSON): what
 * docs/benchmarks.md must say and link. Nothing here is timed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReport } from '../../bench/report/render.js';
import type { RunResults } from '../../bench/report/results.js';
import { tempDir } from '../temp-files.js';

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/bench-run.json', import.meta.url), 'utf8'),
) as RunResults;

function render(change: (run: RunResults) => void = () => {}, setup: (dir: string) => void = () => {}) {
  const run = structuredClone(fixture);
  change(run);
  const dir = tempDir();
  setup(dir);
  const files = writeReport(run, join(dir, 'benchmarks.md'), join(dir, 'images'));
  return { dir, files, markdown: readFileSync(files.markdown, 'utf8') };
}

/** The rows of the markdown table that follows `heading`, as arrays of cells. */
function tableAfter(markdown: string, heading: string): string[][] {
  const section = markdown.split(`## ${heading}\n`)[1]!.split('\n## ')[0]!;
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('|---'))
    .slice(1)
    .map((line) =>
      line
        .slice(2, -2)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
}

describe('the benchmark report', () => {
  it('states the machine and the load average at the start and the end', () => {
    const { markdown } = render();
    const [machine] = tableAfter(markdown, 'The machine');
    expect(machine).toEqual([
      fixture.machine.cpuModel,
      String(fixture.machine.cores),
      expect.stringMatching(/GB$/),
      fixture.machine.node,
      fixture.machine.os,
      expect.stringContaining(fixture.loadStart[0]!.toFixed(2)),
    ]);
    expect(machine![5]).toContain(fixture.loadEnd[0]!.toFixed(2));
  });

  it('has one table of results, each with its same-run baseline and the ratio between them', () => {
    const { markdown } = render();
    const rows = tableAfter(markdown, 'Results');
    const measures = rows.map((r) => r[0]!);
    for (const expected of [
      /^Mapping core \(/,
      /^Mapping core against Segment/,
      /^End to end, SQLite, 1 relay: sustained/,
      /^End to end, PostgreSQL, 1 relay/,
      /^End to end, PostgreSQL, 2 relays/,
      /^Customer.io requests per 100 events, end to end/,
      /^Drain of a 20,000-event backlog at the rate limit \(100 requests\/s/,
      /^Ingest latency p50 \/ p95 \/ p99 at/,
      /^Relay peak RSS, 50,000 of 50,000 events waiting/,
      /^Emulator sink/,
      /^SQLite store: append/,
    ]) {
      expect(measures.some((m) => expected.test(m))).toBe(true);
    }
    for (const row of rows) expect(row).toHaveLength(5);
    const map = rows.find((r) => r[0]!.startsWith('Mapping core ('))!;
    const { oursPerSecond, floorPerSecond } = fixture.benchmarks.map!.results!;
    expect(map[1]).toBe(`${Math.round(oursPerSecond).toLocaleString('en-US')}/s`);
    expect(map[2]).toContain(`${Math.round(floorPerSecond).toLocaleString('en-US')}/s`);
    expect(map[3]).toBe(`${(oursPerSecond / floorPerSecond).toPrecision(2)}×`);
    const drain = rows.find((r) => r[0]!.startsWith('Drain of'))!;
    const d = fixture.benchmarks.drain!.results!;
    expect(drain[1]).toContain(`${d.seconds.toFixed(1)} s`);
    expect(drain[2]).toContain(`${d.theorySeconds.toFixed(1)} s`);
  });

  it('writes the charts as SVG files and links each of them', () => {
    const { markdown, files } = render();
    expect(files.images.map((f) => f.split('/').pop()).sort()).toEqual([
      'bench-drain.svg',
      'bench-latency-vs-load.svg',
      'bench-memory.svg',
      'bench-throughput-vs-load.svg',
    ]);
    for (const file of files.images) {
      const svg = readFileSync(file, 'utf8');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg).toContain('<polyline');
      expect(markdown).toContain(`](images/${file.split('/').pop()})`);
    }
    const latency = readFileSync(files.images.find((f) => f.endsWith('latency-vs-load.svg'))!, 'utf8');
    expect(latency.match(/<polyline/g)).toHaveLength(3); // p50, p95, p99
    const sweep = fixture.benchmarks.e2e!.results!.latency.filter((l) => l.why.includes('sustained'));
    const points = latency.match(/points="([^"]*)"/)![1]!.split(' ');
    expect(points).toHaveLength(sweep.length);
  });

  it('sets published figures beside ours, with the caveat', () => {
    const { markdown } = render();
    const rows = tableAfter(markdown, 'Against published figures');
    const rudder = rows.find((r) => r[0]!.startsWith('RudderStack, events per second'))!;
    expect(rudder[1]).toContain('1,500–3,000');
    expect(rudder[2]).toMatch(/SQLite: [\d,]+\/s; PostgreSQL: [\d,]+\/s/);
    expect(rudder[3]).toMatch(/Theirs: .* Ours: /);
    expect(rows.some((r) => r[0]!.startsWith('Segment') && r[1]!.includes('50'))).toBe(true);
    expect(rows.some((r) => r[0]!.includes('live path') && r[1]!.includes('one request per event'))).toBe(
      true,
    );
  });

  it('gives the commands to reproduce every benchmark that ran', () => {
    const { markdown } = render();
    expect(markdown).toContain('npm run bench ');
    for (const run of Object.values(fixture.benchmarks)) expect(markdown).toContain(`\`${run.command}\``);
  });

  it('says when the machine was busy or the run was quick, and only then', () => {
    const busy = render((run) => {
      run.loadStart = [3.5, 2, 1];
    });
    expect(busy.markdown).toContain('**Noisy machine**: the load average was 3.50 on 2 cores');
    const quiet = render((run) => {
      run.loadStart = [0.3, 0.2, 0.1];
      run.quick = false;
    });
    expect(quiet.markdown).not.toContain('Noisy machine');
    expect(quiet.markdown).not.toContain('Quick smoke run');
    expect(render().markdown).toContain('**Quick smoke run**');
  });

  it('lists a benchmark that failed, and leaves its rows and charts out', () => {
    const { markdown, files } = render((run) => {
      run.benchmarks.drain = {
        ...run.benchmarks.drain!,
        ok: false,
        results: null,
        error: 'exit 1: PostgreSQL down',
      };
    });
    expect(markdown).toContain('- `drain`: exit 1: PostgreSQL down');
    expect(markdown).not.toMatch(/\| Drain of/);
    expect(files.images.some((f) => f.endsWith('bench-drain.svg'))).toBe(false);
  });

  it('describes each benchmark with the sizes this run used, not the full run’s', () => {
    const { markdown } = render((run) => {
      run.benchmarks.map!.results!.events = 1234;
      run.benchmarks.e2e!.results!.run.senders = 3;
      run.benchmarks.drain!.results!.requestsPerSecond = 37;
    });
    const section = markdown.split('## What each benchmark does\n')[1]!.split('\n## ')[0]!;
    expect(section).toContain('in process: 1,234 mixed events');
    expect(section).toContain('from 3 keep-alive senders');
    expect(section).toContain(', 37 requests/s)');
  });

  it('links the fault matrix when it sits next to the report', () => {
    expect(render().markdown).not.toContain('](fault-matrix.md)');
    const withMatrix = render(undefined, (dir) =>
      writeFileSync(join(dir, 'fault-matrix.md'), '# Fault matrix\n'),
    );
    expect(withMatrix.markdown).toContain('[fault-matrix.md](fault-matrix.md)');
    expect(existsSync(join(withMatrix.dir, 'fault-matrix.md'))).toBe(true);
  });
});
