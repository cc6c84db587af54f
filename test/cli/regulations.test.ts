/** `cio-relay regulations delete|suppress ID...` against a running relay and the emulator. */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, type Stack, startStack, waitFor } from '../relay/stack.js';
import { cli } from './cli-helpers.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('cio-relay regulations', () => {
  it('deletes people through the admin API and says what was done', async () => {
    stack = await startStack();
    const s = stack;
    await s.send('/v1/batch', {
      batch: ['ann', 'bob', 'cat'].map((userId) => ({ type: 'identify', userId, traits: { plan: 'pro' } })),
    });
    await waitFor('three people delivered', () => s.emulator.workspace.people().length === 3);

    const result = await cli(['regulations', 'delete', 'ann', 'bob', '--url', s.relay.url], '', {
      ADMIN_TOKEN,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'delete: 2 people',
        '  removed from the relay: 2 events, 0 queued deliveries, 2 delivery log entries, 0 dead letters',
        '  queued for Customer.io: cio (2)',
        '',
      ].join('\n'),
    );
    await waitFor('ann and bob deleted', () => s.emulator.workspace.people().length === 1);
    expect(s.emulator.workspace.person('cat')).toBeDefined();
  });

  it('prints the answer as JSON with --json (suppress)', async () => {
    stack = await startStack();
    const result = await cli(
      ['regulations', 'suppress', 'dan', '--url', stack.relay.url, '--token', ADMIN_TOKEN, '--json'],
      '',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ success: true, type: 'suppress', queued: { cio: 1 } });
  });

  it('splits more user ids than one call takes (100) into several calls', async () => {
    stack = await startStack();
    const ids = Array.from({ length: 230 }, (_, i) => `many-${i}`);
    const result = await cli(['regulations', 'delete', ...ids, '--url', stack.relay.url, '--json'], '', {
      ADMIN_TOKEN,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const answers = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(answers.map((a) => [a.people, a.queued.cio])).toEqual([
      [100, 100],
      [100, 100],
      [30, 30],
    ]);
  });

  it('explains a wrong token, a missing token, an unreachable relay and bad arguments', async () => {
    stack = await startStack();
    const url = stack.relay.url;
    const wrong = await cli(['regulations', 'delete', 'ann', '--url', url], '', {
      ADMIN_TOKEN: 'not-the-admin-token-at-all',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/the relay answered 401: send the admin token/);
    expect(wrong.stderr).not.toContain('not-the-admin-token-at-all');

    const none = await cli(['regulations', 'delete', 'ann', '--url', url]);
    expect(none).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/no admin token: set \$ADMIN_TOKEN/),
    });

    const down = await cli(['regulations', 'delete', 'ann', '--url', 'http://127.0.0.1:1'], '', {
      ADMIN_TOKEN,
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach the relay at http:\/\/127\.0\.0\.1:1/);

    expect((await cli(['regulations', 'erase', 'ann'], '', { ADMIN_TOKEN })).stderr).toMatch(
      /"erase" is not delete or suppress/,
    );
    expect((await cli(['regulations', 'delete'], '', { ADMIN_TOKEN })).stderr).toMatch(
      /name at least one user id/,
    );
  });
});
