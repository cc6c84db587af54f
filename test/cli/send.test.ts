/**
 * `cio-relay send` against a real relay and the emulator: a file and standard input reach the
 * emulator's workspace; bad lines and refused events are reported with their line numbers; a
 * repeat is counted as duplicates; `--direct` stores through the same validation; progress lines
 * when standard error is not a terminal; 503s are retried; an unreachable relay leaves events
 * unsent and the exit code says so.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, API_KEY, SITE_ID, type Stack, startStack, WRITE_KEY, waitFor } from '../relay/stack.js';
import { tempFile } from '../temp-files.js';
import { cli } from './cli-helpers.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const BIN = join(import.meta.dirname, '../../bin/cio-relay.js');

function lines(events: unknown[]): string {
  return `${events.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n')}\n`;
}

const identify = (id: string) => ({
  type: 'identify',
  userId: id,
  messageId: `id-${id}`,
  traits: { plan: 'pro' },
});
const signedUp = (id: string) => ({ type: 'track', userId: id, event: 'Signed Up', messageId: `su-${id}` });

function send(stack: Stack, args: string[], input = '') {
  return cli(['send', ...args, '--url', stack.relay.url], input, { WRITE_KEY });
}

describe('cio-relay send', () => {
  it('sends a file through the ingest API to Customer.io, and says what it did', async () => {
    stack = await startStack();
    const file = tempFile('events.ndjson', lines([identify('a1'), signedUp('a1'), identify('a2')]));
    const result = await send(stack, [file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^${file}: 3 events sent in 1 request: 3 accepted, 0 rejected, 0 bad lines, 0 unsent\\n`),
    );
    expect(result.stdout).toMatch(/\nelapsed [\d.]+ s, [\d,]+ events\/s\n$/);
    const emulator = stack.emulator;
    await waitFor('both people with their event', () => {
      const a1 = emulator.workspace.person('a1');
      return (
        a1?.attributes['plan'] === 'pro' &&
        a1.activity.some((a) => a.name === 'Signed Up') &&
        emulator.workspace.person('a2')
      );
    });

    const again = await send(stack, [file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('3 accepted (3 of them duplicates, not stored again)');

    const wrongKey = await cli(['send', file, '--url', stack.relay.url], '', {
      WRITE_KEY: 'not-a-write-key',
    });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toMatch(
      /0 events sent in 0 requests: .*, 3 unsent\nstopped: the relay answered 401 \(/,
    );
    expect(wrongKey.stdout + wrongKey.stderr).not.toContain('not-a-write-key');
  });

  it('reads standard input, reports bad lines and refused events by line number, and exits 1', async () => {
    stack = await startStack();
    const input = lines([
      identify('b1'),
      '{"type": "track", "userId": ',
      '[1, 2]',
      { type: 'track', userId: 'b1' },
      '',
      signedUp('b1'),
      '"just a string"',
    ]);
    const result = await send(stack, ['-'], input);
    expect(result.code).toBe(1);
    const out = result.stdout;
    expect(out).toMatch(
      /^standard input: 3 events sent in 1 request: 2 accepted, 1 rejected, 3 bad lines, 0 unsent\n/,
    );
    expect(out).toMatch(/rejected:\n {2}missing_field \(1\): .*event.*\n {4}line 4\n/);
    expect(out).toMatch(
      /bad lines \(not sent\):\n {2}line 2: not JSON \(.+\)\n {2}line 3: not a JSON object \(an array\)/,
    );
    expect(out).toContain('line 7: not a JSON object (a string)');
    await waitFor('b1 with its event', () =>
      stack!.emulator.workspace.person('b1')?.activity.some((a) => a.name === 'Signed Up'),
    );
  });

  it('sends a big file in batches under the relay’s limits, with progress lines when not on a terminal', async () => {
    stack = await startStack();
    const events = Array.from({ length: 6000 }, (_, i) => ({
      type: 'track',
      userId: `c${i % 50}`,
      event: 'Step',
      messageId: `c-${i}`,
      properties: { i, pad: 'x'.repeat(60) },
    }));
    const file = tempFile('big.ndjson', lines(events));
    const result = await send(stack, [file, '--progress-every', '0.001']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/6,000 events sent in 3 requests: 6,000 accepted/);
    const progress = result.stderr.split('\n').filter(Boolean);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    for (const line of progress) {
      expect(line).toMatch(/^send: [\d,]+ events, \d+%, [\d,]+ events\/s, ETA [\d.]+ s$/);
    }
    expect(result.stderr).not.toContain('\r');
    const delivered = async () => (await stack!.admin('/destinations')).body.destinations[0].stats.delivered;
    await waitFor('6,000 delivered', async () => (await delivered()) === 6000, 60_000);
  });

  it('--direct stores events into the relay’s store, with the same validation and deduplication', async () => {
    stack = await startStack();
    const config = tempFile(
      'relay.json',
      JSON.stringify({
        store: { sqlite: join(stack.dir, 'relay.db') },
        admin: { token: ADMIN_TOKEN },
        sources: [{ name: 'web', writeKey: WRITE_KEY }],
        destinations: [
          {
            name: 'cio',
            siteId: SITE_ID,
            apiKey: API_KEY,
            endpoint: stack.emulator.url,
            allowInsecureEndpoint: true,
          },
        ],
      }),
    );
    const file = tempFile('direct.ndjson', lines([identify('d1'), signedUp('d1'), { type: 'identify' }]));
    const result = await cli(['send', file, '--direct', '--config', config], '', {});
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/3 events sent in 1 request: 2 accepted, 1 rejected/);
    expect(result.stdout).toMatch(/missing_identifier \(1\): .*\n {4}line 3\n/);
    await waitFor('d1 delivered by the running relay', () =>
      stack!.emulator.workspace.person('d1')?.activity.some((a) => a.name === 'Signed Up'),
    );
    const again = await cli(['send', file, '--direct', '--config', config, '--source', 'web'], '', {});
    expect(again.stdout).toContain('2 accepted (2 of them duplicates, not stored again)');
    const unknown = await cli(['send', file, '--direct', '--config', config, '--source', 'ios'], '', {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--source ios: no such source in the configuration (its sources: web)');
  });

  it('retries a 503, and leaves events unsent, exit 1, when the relay cannot be reached', async () => {
    let calls = 0;
    const flaky = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        calls++;
        if (calls === 1) {
          response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
          response.end('{"success":false,"code":"store_unavailable","message":"retry later"}');
        } else {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end('{"success":true}');
        }
      });
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    const address = flaky.address() as { port: number };
    const file = tempFile('retry.ndjson', lines([identify('e1')]));
    try {
      const retried = await cli(['send', file, '--url', `http://127.0.0.1:${address.port}`], '', {
        WRITE_KEY,
      });
      expect(retried.code).toBe(0);
      expect(calls).toBe(2);
      expect(retried.stderr).toMatch(
        /^send: the relay answered 503 \(store_unavailable: retry later\); trying again in 1\.0 s \(try 2\)\n/,
      );
    } finally {
      await new Promise((resolve) => flaky.close(resolve));
    }

    const gone = await cli(
      ['send', file, '--url', `http://127.0.0.1:${address.port}`, '--retries', '1'],
      '',
      {
        WRITE_KEY,
      },
    );
    expect(gone.code).toBe(1);
    expect(gone.stdout).toMatch(
      /0 events sent in 0 requests: 0 accepted, 0 rejected, 0 bad lines, 1 unsent\n/,
    );
    expect(gone.stdout).toMatch(
      /stopped: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED; gave up after 2 tries/,
    );
  });

  it('says what is missing: the write key, the file', async () => {
    const noKey = await cli(['send', '-'], '', {});
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("say the source's write key: set WRITE_KEY (or pass --write-key KEY)");
    const noFile = await cli(['send', '/nonexistent/events.ndjson'], '', { WRITE_KEY });
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toContain('cannot read /nonexistent/events.ndjson: no such file');
  });

  it('reads standard input as the installed command does (`cat events | cio-relay send -`)', async () => {
    stack = await startStack();
    const child = spawn(process.execPath, [BIN, 'send', '-', '--url', stack.relay.url], {
      env: { ...process.env, WRITE_KEY },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stdin.end(lines([identify('f1'), signedUp('f1')]));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stdout).toMatch(/^standard input: 2 events sent in 1 request: 2 accepted/);
    expect(code).toBe(0);
    await waitFor('f1 delivered', () =>
      stack!.emulator.workspace.person('f1')?.activity.some((a) => a.name === 'Signed Up'),
    );
  });
});
