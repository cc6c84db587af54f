import { readFileSync } from 'node:fs';
import { trackApiBase } from '../../src/customerio/index.js';
import { compileSubscriptions, MapStream } from '../../src/pipeline/index.js';
import { actionsProfile } from '../../src/profiles/index.js';

export const FIXTURES = new URL('../fixtures/parity/', import.meta.url);
/** The time the Segment fixtures were generated with (PARITY_NOW), for events without one. */
export const PARITY_NOW = 1767225600000;

export function readNdjson(name: string): Record<string, unknown>[] {
  return readLines(name).map((line) => JSON.parse(line));
}

export function readLines(name: string): string[] {
  return readFileSync(new URL(name, FIXTURES), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** What happened to one event on one side: the requests it caused, or that it was refused. */
export type Outcome = { action: string; url: string; body: Record<string, unknown> } | 'rejected';

/** Output lines (ours or Segment's, single mode) grouped by event index. */
export function outcomesByIndex(lines: Record<string, unknown>[]): Map<number, Outcome[]> {
  const byIndex = new Map<number, Outcome[]>();
  for (const line of lines) {
    const index = line['index'] as number;
    const outcome: Outcome =
      'error' in line
        ? 'rejected'
        : {
            action: line['action'] as string,
            url: line['url'] as string,
            body: line['body'] as Record<string, unknown>,
          };
    byIndex.set(index, [...(byIndex.get(index) ?? []), outcome]);
  }
  return byIndex;
}

/** Run the corpus through cio-relay's `map` core with the `actions` profile. */
export function mapWithCioRelay(
  lines: string[],
  options: { batch?: boolean } = {},
): Record<string, unknown>[] {
  const stream = new MapStream({
    subscriptions: compileSubscriptions(actionsProfile.presets({})),
    base: trackApiBase({ region: 'us' }),
    now: () => PARITY_NOW,
    batch: options.batch,
  });
  const out = lines.flatMap((line, i) => stream.line(line, i));
  out.push(...stream.finish());
  return out.map((line) => JSON.parse(line));
}
