import { describe, expect, it } from 'vitest';
import { lineChart, logTicks, niceTicks, tickLabel } from '../../bench/report/svg-chart.js';

/** Every tag closed in order (a tiny well-formedness check: the charts use no CDATA or comments). */
function expectWellFormed(svg: string): void {
  const stack: string[] = [];
  for (const [, closing, name, , selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z]+)((?:\s+[^<>]*?)?)(\/?)>/g)) {
    if (selfClosing) continue;
    if (closing) expect(stack.pop()).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
  // No stray markup characters outside tags.
  expect(svg.replace(/<[^<>]*>/g, '')).not.toMatch(/[<>]/);
}

function polylines(svg: string): { x: number; y: number }[][] {
  return [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map(([, points]) =>
    points!
      .split(' ')
      .filter(Boolean)
      .map((pair) => {
        const [x, y] = pair.split(',').map(Number);
        return { x: x!, y: y! };
      }),
  );
}

describe('lineChart', () => {
  const chart = {
    title: 'Throughput & latency <SQLite>',
    xLabel: 'offered load (events/s)',
    yLabel: 'events/s',
    width: 600,
    height: 300,
    series: [
      {
        name: 'accepted',
        points: [
          [2000, 2000],
          [10000, 9900],
          [20000, 18000],
        ] as [number, number][],
      },
      {
        name: 'delivered "p99"',
        dashed: true,
        points: [
          [2000, 1990],
          [10000, Number.NaN],
          [20000, 17000],
        ] as [number, number][],
      },
    ],
  };
  const svg = lineChart(chart);

  it('is one well-formed SVG document with the declared size', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expectWellFormed(svg);
  });

  it('draws one polyline per series, skipping points that are not numbers, inside the plot', () => {
    const lines = polylines(svg);
    expect(lines.map((l) => l.length)).toEqual([3, 2]);
    for (const point of lines.flat()) {
      expect(point.x).toBeGreaterThan(0);
      expect(point.x).toBeLessThan(600);
      expect(point.y).toBeGreaterThan(0);
      expect(point.y).toBeLessThan(300);
    }
    // x grows left to right; a larger y is drawn higher (smaller SVG y).
    const [accepted] = lines;
    expect(accepted![0]!.x).toBeLessThan(accepted![2]!.x);
    expect(accepted![0]!.y).toBeGreaterThan(accepted![2]!.y);
    expect(svg).toMatch(/<polyline [^>]*stroke-dasharray/);
  });

  it('labels the axes and ticks and names each series in the legend, escaping text', () => {
    expect(svg).toContain('Throughput &amp; latency &lt;SQLite&gt;');
    expect(svg).toContain('>offered load (events/s)</text>');
    expect(svg).toContain('>events/s</text>');
    expect(svg).toContain('>accepted</text>');
    expect(svg).toContain('>delivered &quot;p99&quot;</text>');
    expect(svg).toContain('>20k</text>');
    expect(svg).toContain('>0</text>');
  });

  it('still renders a chart with no data (axes from zero, no NaN in the markup)', () => {
    const empty = lineChart({
      title: 'nothing',
      xLabel: 'x',
      yLabel: 'y',
      series: [{ name: 'a', points: [] }],
    });
    expectWellFormed(empty);
    expect(empty).not.toContain('NaN');
    expect(empty).not.toContain('Infinity');
  });
});

describe('lineChart with a log scale', () => {
  it('spaces powers of ten evenly and leaves out values that are not positive', () => {
    const svg = lineChart({
      title: 'latency',
      xLabel: 'load',
      yLabel: 'ms',
      yScale: 'log',
      series: [
        {
          name: 'p99',
          points: [
            [1, 0],
            [2, 10],
            [3, 100],
            [4, 1000],
          ],
        },
      ],
    });
    expectWellFormed(svg);
    const [line] = polylines(svg);
    expect(line).toHaveLength(3);
    const [a, b, c] = line!.map((p) => p.y);
    expect(a! - b!).toBeCloseTo(b! - c!, 0);
    for (const label of ['>1</text>', '>10</text>', '>100</text>', '>1,000</text>'])
      expect(svg).toContain(label);
  });
});

describe('niceTicks, logTicks and tickLabel', () => {
  it('log ticks run 1, 2, 5 per decade from below the smallest value to above the largest', () => {
    expect(logTicks(3, 40)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(logTicks(0.5, 2)).toEqual([0.1, 0.2, 0.5, 1, 2, 5, 10]);
  });

  it('cover the range with steps of 1, 2 or 5 times a power of ten', () => {
    expect(niceTicks(0, 23_000)).toEqual([0, 5000, 10000, 15000, 20000, 25000]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('shorten large numbers', () => {
    expect(tickLabel(25_000)).toBe('25k');
    expect(tickLabel(1_500_000)).toBe('1.5M');
    expect(tickLabel(5000)).toBe('5,000');
    expect(tickLabel(5000, 25_000)).toBe('5k');
    expect(tickLabel(500_000, 1_500_000)).toBe('0.5M');
    expect(tickLabel(0.25)).toBe('0.25');
  });
});
