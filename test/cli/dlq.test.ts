/**
 * `cio-relay dlq` against the store of a running relay: list and show a dead letter, replay it after
 * the subscription is fixed (the running relay picks it up), drop another.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Stack, startStack, waitFor } from '../relay/stack.js';
import { cli } from './cli-helpers.js';

let stack: Stack;
afterEach(async () => {
  await stack?.close();
});

const byLabel = {
  name: 'events',
  trigger: 'type = "track"',
  action: 'trackEvent',
  mapping: { name: { '@path': '$.properties.label' } },
};

describe('cio-relay dlq', () => {
  it('lists, shows, replays and drops dead letters', async () => {
    stack = await startStack({ destination: { subscriptions: [byLabel] } });
    const db = join(stack.dir, 'relay.db');
    await stack.send('/v1/batch', {
      batch: [
        {
          type: 'track',
          userId: 'q1',
          event: 'Fixed later',
          messageId: 'q-1',
          properties: { label: 'x'.repeat(120) },
        },
        { type: 'track', userId: 'q2', event: 'Dropped', messageId: 'q-2' }, // no label: name is required
      ],
    });
    await waitFor(
      'two dead letters',
      async () => (await stack.admin('/dead-letters')).body.deadLetters.length === 2,
    );

    const list = await cli(['dlq', 'list', '--db', db]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^id\s+dead at\s+destination\s+person\s+messageId\s+error/);
    expect(list.stdout).toContain('q-1');
    expect(list.stdout).toContain('q-2');
    const ids = [...list.stdout.matchAll(/^(\d+)\s/gm)].map((m) => m[1]!);

    const show = await cli(['dlq', 'show', ids[0]!, '--db', db]);
    const letter = JSON.parse(show.stdout);
    expect(letter).toMatchObject({
      messageId: 'q-1',
      event: { event: 'Fixed later' },
      exchange: { status: 207 },
    });

    const missing = await cli(['dlq', 'replay', '--db', db]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/ids, --destination NAME, or --all/);

    await stack.restartRelay({ subscriptions: [{ ...byLabel, mapping: { name: { '@path': '$.event' } } }] });
    expect((await cli(['dlq', 'replay', ids[0]!, '--db', db])).stdout).toBe('replayed 1 dead letter\n');
    await waitFor(
      'the replayed event',
      () => stack.emulator.workspace.person('q1')?.activity[0]?.name === 'Fixed later',
    );

    expect((await cli(['dlq', 'drop', '--destination', 'cio', '--db', db])).stdout).toBe(
      'dropped 1 dead letter\n',
    );
    expect((await cli(['dlq', 'list', '--db', db])).stdout).toBe('no dead letters\n');
  });

  it('replays many dead letters in chunks, with progress lines when not on a terminal', async () => {
    stack = await startStack({ faults: { errorRate: 1, errorStatuses: [400] } });
    const events = Array.from({ length: 1200 }, (_, i) => ({
      type: 'identify',
      userId: `m${i}`,
      messageId: `m-${i}`,
    }));
    for (let i = 0; i < events.length; i += 400) {
      expect((await stack.send('/v1/batch', { batch: events.slice(i, i + 400) })).status).toBe(200);
    }
    const dead = async () => (await stack.admin('/destinations')).body.destinations[0].stats.dead;
    await waitFor('1,200 dead letters', async () => (await dead()) === 1200, 30_000);
    stack.emulator.setFaults({});

    const db = join(stack.dir, 'relay.db');
    const replay = await cli(['dlq', 'replay', '--all', '--db', db, '--progress-every', '0.001']);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toBe('replayed 1200 dead letters\n');
    const progress = replay.stderr.split('\n').filter(Boolean);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    for (const line of progress) {
      expect(line).toMatch(/^replay: [\d,]+ dead letters, \d+%, [\d,]+ dead letters\/s, ETA [\d.]+ s$/);
    }
    expect(progress.at(-1)).toMatch(/^replay: 1,200 dead letters, 100%/);
    await waitFor('the replayed people', () => stack.emulator.workspace.people().length === 1200, 30_000);
  });

  it('says how to point it at a store', async () => {
    const result = await cli(['dlq', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--config FILE .* or --db FILE/);
  });
});
