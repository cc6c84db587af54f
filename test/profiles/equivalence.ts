/**
 * Workspace equivalence: the v1 requests a reference destination sends for some events go to one
 * emulator, cio-relay's profile output for the same events (v2 batches, as `cio-relay map --batch`
 * prints them) to another; both workspaces must end up the same.
 */
import { expect } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { compileSubscriptions, MapStream } from '../../src/pipeline/index.js';
import { destinationRoutes, type Profile } from '../../src/profiles/index.js';
import { call, startEmulator } from '../emulator/server/helpers.js';

/** 2024-03-01T10:00:00Z: event times; the emulators' clock runs a few hours later. */
export const T = '2024-03-01T10:00:00Z';
export const T_SECONDS = 1_709_287_200;
/** Five minutes after T. */
export const LATER = '2024-03-01T10:05:00Z';
export const LATER_SECONDS = T_SECONDS + 300;
const NOW_MS = 1_709_300_000_000;

/** A reference request; its path is under /api/v1 unless it names its own (`/api/v2/batch`). */
export type V1Request = [method: 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown];

/** The state a user would inspect. */
async function state(emulator: Emulator) {
  return {
    // Activity `id`s differ by design: cio-relay sends the messageId as the event id so that
    // Customer.io drops a retried batch's repeats; neither reference sends one (docs/behaviour.md).
    people: emulator.workspace.people().map((p) => ({
      ...p,
      activity: p.activity.map(({ id: _id, ...entry }) => entry),
    })),
    objects: emulator.workspace.objects(),
    anonymous: emulator.workspace.anonymous(),
  };
}

/**
 * Send `reference` to one emulator and `events` through `profile` (with `settings`) to another;
 * assert both are accepted in full and leave the same workspace, which is returned.
 */
export async function sameWorkspace(
  reference: readonly V1Request[],
  events: readonly Record<string, unknown>[],
  profile: Profile,
  settings?: Record<string, unknown>,
) {
  const options = { now: () => NOW_MS };
  const [v1, v2] = [await startEmulator(options), await startEmulator(options)];
  try {
    for (const [method, path, body] of reference) {
      const url = path.startsWith('/api/') ? path : `/api/v1${path}`;
      const answer = await call(v1, method, url, body === undefined ? {} : { json: body });
      expect({ request: `${method} ${path}`, status: answer.status, body: answer.body }).toMatchObject({
        status: 200,
      });
    }
    const stream = new MapStream({
      subscriptions: compileSubscriptions(destinationRoutes(profile, settings)),
      base: v2.url,
      batch: true,
    });
    const lines = events.flatMap((event, i) => stream.line(JSON.stringify(event), i));
    lines.push(...stream.finish());
    expect(stream.counts.rejected, lines.join('\n')).toBe(0);
    for (const line of lines) {
      const output = JSON.parse(line) as { url?: string; body?: unknown };
      if (output.url === undefined) continue; // a filtered event: nothing sent
      expect(output.url).toBe(`${v2.url}/api/v2/batch`);
      const answer = await call(v2, 'POST', '/api/v2/batch', { json: output.body });
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: {} });
    }
    const reached = await state(v1);
    expect(await state(v2)).toEqual(reached);
    return { workspace: reached, counts: stream.counts };
  } finally {
    await Promise.all([v1.close(), v2.close()]);
  }
}
