/**
 * Correction 10 does not change what Customer.io records: every Report Delivery Event of the parity
 * corpus, sent as Segment's package sends it (always `/api/v1/metrics`) and as cio-relay sends it
 * (a v2 delivery event where v2 has the same effect), leaves the same emulator workspace.
 */
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../src/emulator/workspace/index.js';
import { mapWithCioRelay, PARITY_NOW, readLines, readNdjson } from './parity-helpers.js';

const V1_METRICS = 'https://track.customer.io/api/v1/metrics';
const V2_ENTITY = 'https://track.customer.io/api/v2/entity';

/** Apply one output line's request to `ws`; it must be accepted. */
function apply(ws: Workspace, line: Record<string, unknown>): void {
  if (line['url'] === V1_METRICS) {
    expect(ws.applyV1('POST', '/metrics', line['body'])).toEqual({ status: 200, body: {} });
  } else {
    expect(line['url']).toBe(V2_ENTITY);
    expect(ws.applyV2(line['body'])).toEqual({ ok: true });
  }
}

const metricLines = (lines: Record<string, unknown>[]) =>
  lines.filter((line) => line['action'] === 'reportDeliveryEvent' && !('error' in line));

describe('correction 10: delivery metrics in the workspace', () => {
  const ours = metricLines(mapWithCioRelay(readLines('events.ndjson')));
  const segments = metricLines(readNdjson('segment.out.ndjson'));

  it('cio-relay sends both forms for the corpus, and Segment only v1', () => {
    expect(ours.filter((line) => line['url'] === V2_ENTITY).length).toBe(6);
    expect(ours.filter((line) => line['url'] === V1_METRICS).length).toBe(8);
    expect(segments.every((line) => line['url'] === V1_METRICS)).toBe(true);
  });

  it('Segment’s v1 requests and cio-relay’s mix leave equal workspaces', () => {
    const theirs = new Workspace({ now: () => PARITY_NOW });
    const mine = new Workspace({ now: () => PARITY_NOW });
    for (const line of segments) apply(theirs, line);
    for (const line of ours) apply(mine, line);
    expect(mine.metrics()).toHaveLength(segments.length);
    expect(mine.metrics()).toEqual(theirs.metrics());
    expect(mine.people()).toEqual([]);
  });
});
