/** `cio-relay dlq --config FILE` on a PostgreSQL store: the relay's dead letters, listed and replayed. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Stack, startStack, waitFor } from '../relay/stack.js';
import { useTestDatabase } from '../store/pg-database.js';
import { cli } from './cli-helpers.js';

const database = useTestDatabase('cio_relay_dlq');
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('cio-relay dlq on PostgreSQL', () => {
  it('lists and replays the dead letters of the configured store', async () => {
    stack = await startStack({ store: { postgres: database.url } });
    const s = stack;
    // An event name over 100 bytes: Customer.io refuses it, a dead letter.
    await s.send('/v1/track', { anonymousId: 'a1', event: 'x'.repeat(150), messageId: 'dlq-1' });
    const letters = async () => (await s.admin('/dead-letters')).body.deadLetters as { id: number }[];
    const [first] = await waitFor('a dead letter', async () => {
      const now = await letters();
      return now.length === 1 && now;
    });
    const config = join(s.dir, 'dlq.json');
    writeFileSync(
      config,
      JSON.stringify({
        store: { postgres: database.url },
        sources: [{ name: 'web', writeKey: 'write-key-dlq' }],
        destinations: [{ name: 'cio', siteId: 's', apiKey: 'k' }],
      }),
    );
    const list = await cli(['dlq', 'list', '--config', config]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('dlq-1');
    const replay = await cli(['dlq', 'replay', '--all', '--config', config]);
    expect(replay.code).toBe(0);
    // The relay sends it again (its idle poll finds the new job) and it dies again: a new letter.
    await waitFor('the replayed event dead again', async () => {
      const now = await letters();
      return now.length === 1 && now[0]!.id !== first!.id;
    });
  });
});
