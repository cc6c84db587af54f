/**
 * A small SVG line chart for the benchmark report: one x axis, one y axis (both linear, starting at
 * zero unless told otherwise), "nice" ticks with grid lines, one polyline with point markers per
 * series, and a legend. Plain strings, no dependency: the output is a static file that GitHub and
 * any browser render, and that diffs as text.
 */

export interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
  /** Dashed line, e.g. for a theoretical or reference series. */
  dashed?: boolean;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  width?: number;
  height?: number;
  /** Axis ranges; by default from 0 (or the smallest value, if negative) to the largest value. */
  xMax?: number;
  yMax?: number;
  /** 'log' for values spanning orders of magnitude (latencies): ticks 1, 2, 5 × 10^k; values ≤ 0 left out. */
  yScale?: 'linear' | 'log';
}

// Colour-blind-safe palette (Okabe–Ito), in a fixed order so a series keeps its colour across runs.
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
const MARGIN = { top: 40, right: 20, bottom: 50, left: 70 };
const LEGEND_LINE = 18;

/** Tick values from 0 (or min) to at least max, with a step of 1, 2 or 5 × 10^k; about `count` ticks. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) max = min + 1;
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let v = first; v < max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Ticks 1, 2, 5 × 10^k from the power of ten at or below `min` to the one at or above `max` (> 0). */
export function logTicks(min: number, max: number): number[] {
  const low = Math.floor(Math.log10(min));
  const high = Math.max(low + 1, Math.ceil(Math.log10(max)));
  const ticks: number[] = [];
  for (let k = low; k <= high; k++) {
    for (const m of k === high ? [1] : [1, 2, 5]) ticks.push(Number((m * 10 ** k).toPrecision(12)));
  }
  return ticks;
}

/**
 * Short tick labels, in one unit per axis (the largest tick's): 1234 → "1,234"; on an axis up to
 * 25,000, 5000 → "5k"; on one up to 1.5M, 500000 → "0.5M"; 0.25 → "0.25".
 */
export function tickLabel(value: number, axisMax = value): string {
  const top = Math.abs(axisMax);
  const trim = (n: number) => String(Number(n.toFixed(2)));
  if (top >= 1e6) return value === 0 ? '0' : `${trim(value / 1e6)}M`;
  if (top >= 1e4) return value === 0 ? '0' : `${trim(value / 1e3)}k`;
  if (Math.abs(value) >= 1000) return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
  return trim(value);
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const r1 = (n: number) => Number(n.toFixed(1));

export function lineChart(chart: LineChart): string {
  const width = chart.width ?? 640;
  const height = chart.height ?? 360;
  const log = chart.yScale === 'log';
  const series = chart.series.map((s) => ({
    ...s,
    points: s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!log || y > 0)),
  }));
  const all = series.flatMap((s) => s.points);
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  const xTicks = niceTicks(Math.min(0, ...xs), chart.xMax ?? Math.max(1e-9, ...xs));
  const yTicks = log
    ? logTicks(ys.length > 0 ? Math.min(...ys) : 1, chart.yMax ?? Math.max(...ys, 10))
    : niceTicks(Math.min(0, ...ys), chart.yMax ?? Math.max(1e-9, ...ys));
  const [x0, x1] = [xTicks[0]!, xTicks[xTicks.length - 1]!];
  const [y0, y1] = [yTicks[0]!, yTicks[yTicks.length - 1]!];
  const legendHeight = series.length * LEGEND_LINE;
  const plot = {
    left: MARGIN.left,
    top: MARGIN.top + legendHeight,
    right: width - MARGIN.right,
    bottom: height - MARGIN.bottom,
  };
  const px = (x: number) => r1(plot.left + ((x - x0) / (x1 - x0)) * (plot.right - plot.left));
  const share = log
    ? (y: number) => (Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0))
    : (y: number) => (y - y0) / (y1 - y0);
  const py = (y: number) => r1(plot.bottom - share(y) * (plot.bottom - plot.top));

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="title" x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
  );
  out.push('<g class="grid" stroke="#e0e0e0">');
  for (const t of yTicks)
    out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${py(t)}" y2="${py(t)}"/>`);
  for (const t of xTicks)
    out.push(`<line x1="${px(t)}" x2="${px(t)}" y1="${plot.top}" y2="${plot.bottom}"/>`);
  out.push('</g>');
  out.push(
    `<g class="axes" stroke="#333333"><line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}"/>` +
      `<line x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${plot.bottom}"/></g>`,
  );
  out.push('<g class="x-ticks" text-anchor="middle" fill="#333333">');
  for (const t of xTicks) out.push(`<text x="${px(t)}" y="${plot.bottom + 16}">${tickLabel(t, x1)}</text>`);
  out.push('</g>');
  out.push('<g class="y-ticks" text-anchor="end" fill="#333333">');
  for (const t of yTicks) out.push(`<text x="${plot.left - 6}" y="${py(t) + 4}">${tickLabel(t, y1)}</text>`);
  out.push('</g>');
  out.push(
    `<text class="x-label" x="${(plot.left + plot.right) / 2}" y="${height - 12}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
    `<text class="y-label" x="16" y="${(plot.top + plot.bottom) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(plot.top + plot.bottom) / 2})">${escapeXml(chart.yLabel)}</text>`,
  );
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    const coords = s.points.map(([x, y]) => `${px(x)},${py(y)}`);
    out.push(`<g class="series" data-name="${escapeXml(s.name)}">`);
    out.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash} points="${coords.join(' ')}"/>`,
    );
    // Markers only where there are few points: a long time series would be a smear of dots.
    if (s.points.length <= 30) {
      for (const c of coords) {
        const [cx, cy] = c.split(',');
        out.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${colour}"/>`);
      }
    }
    out.push('</g>');
    const ly = MARGIN.top + i * LEGEND_LINE;
    out.push(
      `<g class="legend"><line x1="${plot.left + 10}" x2="${plot.left + 34}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash}/>` +
        `<text x="${plot.left + 40}" y="${ly + 4}">${escapeXml(s.name)}</text></g>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
