/**
 * The last hour of one destination in 5-minute bars: deliveries per minute (dead ones stacked in
 * red) and the p95 end-to-end latency as a line. Drawn as SVG attributes (no inline styles: the
 * relay's CSP forbids them); each bar's title and the caption give the figures as text.
 */
import { useEffect } from 'preact/hooks';
import { call } from '../api';
import { useLoad } from '../load';
import type { Activity, ActivityBucket } from '../types';
import { ErrorNote } from './error-note';

const REFRESH_MS = 15_000;
const WIDTH = 360;
const HEIGHT = 80;

export function ActivityChart({ destination }: { destination: string }) {
  const { result, reload } = useLoad(
    () => call<{ activity: Activity }>(`/activity?destination=${encodeURIComponent(destination)}`),
    [destination],
  );
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  if (result === undefined) return null;
  if (!result.ok) return <ErrorNote error={result.error} />;
  const { buckets, bucketMs } = result.value.activity;
  const perMinute = (count: number) => count / (bucketMs / 60_000);
  const top = Math.max(1, ...buckets.map((b) => perMinute(b.delivered + b.dead)));
  const slowest = Math.max(1, ...buckets.map((b) => b.p95LatencyMs ?? 0));
  const slot = WIDTH / buckets.length;
  const delivered = buckets.reduce((sum, b) => sum + b.delivered, 0);
  const dead = buckets.reduce((sum, b) => sum + b.dead, 0);
  const latest = buckets.findLast((b) => b.p95LatencyMs !== null);
  const line = buckets
    .map((b, i) =>
      b.p95LatencyMs === null
        ? null
        : `${i * slot + slot / 2},${HEIGHT - (b.p95LatencyMs / slowest) * HEIGHT}`,
    )
    .filter((point) => point !== null)
    .join(' ');
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" height={HEIGHT} aria-hidden="true">
        {buckets.map((b, i) => {
          const okHeight = (perMinute(b.delivered) / top) * HEIGHT;
          const deadHeight = (perMinute(b.dead) / top) * HEIGHT;
          return (
            <g key={b.start}>
              <title>{describe(b)}</title>
              <rect class="bar" x={i * slot + 2} width={slot - 4} y={HEIGHT - okHeight} height={okHeight} />
              <rect
                class="bar dead"
                x={i * slot + 2}
                width={slot - 4}
                y={HEIGHT - okHeight - deadHeight}
                height={deadHeight}
              />
            </g>
          );
        })}
        {line !== '' && <polyline class="latency" points={line} />}
      </svg>
      <figcaption>
        Last hour: {delivered} delivered ({perMinute(delivered / buckets.length).toFixed(1)}/min)
        {dead > 0 && `, ${dead} dead`}
        {latest !== undefined && `; p95 latency ${latest.p95LatencyMs} ms (latest 5 min with deliveries)`}
      </figcaption>
    </figure>
  );
}

function describe(bucket: ActivityBucket): string {
  const time = new Date(bucket.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const latency = bucket.p95LatencyMs === null ? '' : `, p95 ${bucket.p95LatencyMs} ms`;
  return `from ${time}: ${bucket.delivered} delivered, ${bucket.dead} dead, ${bucket.retry} retried${latency}`;
}
