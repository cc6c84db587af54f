/**
 * The relay on the PostgreSQL store (`store.postgres`), end to end against the emulator: delivery
 * in order through failures, dead letters listed and replayed through the admin API after a fixed
 * subscription, the delivery log, and a queue that survives a restart of the relay.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../store/pg-database.js';
import { type Stack, startStack, waitFor } from './stack.js';

const database = useTestDatabase('cio_relay_relay');
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const tracks = (count: number, people: number, prefix: string) =>
  Array.from({ length: count }, (_, i) => ({
    type: 'track',
    userId: `${prefix}${i % people}`,
    event: 'Step',
    messageId: `${prefix}-${i}`,
    properties: { seq: i, label: i % 50 === 7 ? 'x'.repeat(150) : 'ok' },
  }));

async function status(s: Stack) {
  return (await s.admin('/destinations/cio')).body.destination;
}

describe('relay on PostgreSQL', () => {
  it('delivers in order through failures; dead letters replay after the fix; the log finds them', async () => {
    const labelled = [
      {
        name: 'events',
        trigger: 'type = "track"',
        action: 'trackEvent',
        mapping: { name: { '@path': '$.properties.label' } },
      },
    ];
    stack = await startStack({
      store: { postgres: database.url },
      faults: { errorRate: 0.3, errorStatuses: [500, 503], seed: 11 },
      destination: { batch: { maxOperations: 10, lingerMs: 5 }, concurrency: 4, subscriptions: labelled },
    });
    const s = stack;
    const events = tracks(200, 5, 'p');
    for (let i = 0; i < events.length; i += 50) {
      expect((await s.send('/v1/batch', { batch: events.slice(i, i + 50) })).status).toBe(200);
    }
    // Event names are limited to 100 bytes: the 4 long labels are refused and dead-lettered.
    await waitFor(
      'all delivered or dead',
      async () => {
        const stats = (await status(s)).stats;
        return stats.delivered === 196 && stats.dead === 4;
      },
      30_000,
    );
    for (let p = 0; p < 5; p++) {
      const seqs = s.emulator.workspace
        .person(`p${p}`)!
        .activity.filter((a) => a.kind === 'event')
        .map((a) => a.data?.['seq'] as number);
      const unique = [...new Set(seqs)];
      expect(unique).toEqual([...unique].sort((a, b) => a - b));
    }
    const letters = (await s.admin('/dead-letters')).body.deadLetters;
    expect(letters.map((l: { messageId: string }) => l.messageId)).toEqual(['p-7', 'p-57', 'p-107', 'p-157']);
    const log = (await s.admin('/deliveries?messageId=p-57')).body.entries;
    expect(log[0]).toMatchObject({ outcome: 'dead', error: { code: 'refused_item' } });

    s.emulator.setFaults({});
    await s.restartRelay({ subscriptions: [{ ...labelled[0], mapping: { name: { '@path': '$.event' } } }] });
    expect((await s.admin('/dead-letters/replay', { body: { all: true } })).status).toBe(200);
    await waitFor('the replayed events', async () => (await status(s)).stats.delivered === 200, 20_000);
    expect((await s.admin('/dead-letters')).body.deadLetters).toEqual([]);
  });

  it('keeps the queue and the pause across a restart of the relay', async () => {
    stack = await startStack({ store: { postgres: database.url }, emulatorApiKey: 'the-right-key' });
    const s = stack;
    await s.send('/v1/track', { userId: 'k1', event: 'Queued', messageId: 'k-1' });
    await waitFor('the pause', async () => (await status(s)).state === 'paused');
    await s.send('/v1/track', { userId: 'k1', event: 'Queued too', messageId: 'k-2' });
    await s.restartRelay({ apiKey: 'the-right-key' });
    expect((await status(s)).state).toBe('paused');
    expect((await s.admin('/destinations/cio/resume', { method: 'POST' })).status).toBe(200);
    await waitFor('both delivered in order', () => {
      const names = s.emulator.workspace.person('k1')?.activity.map((a) => a.name);
      return names?.length === 2 && names;
    });
    expect(s.emulator.workspace.person('k1')!.activity.map((a) => a.name)).toEqual(['Queued', 'Queued too']);
  });
});
