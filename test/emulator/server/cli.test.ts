/** `cio-relay emulator`: flags, banner (never the api key), and a clean stop on SIGTERM/SIGINT. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { parseEmulatorArgs, run, startEmulatorCommand } from '../../../src/cli/emulator.js';
import type { CliIo } from '../../../src/cli/io.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SECRET = 'sk-do-not-print-0123456789';

function fakeIo(env: NodeJS.ProcessEnv = {}): CliIo & { out(): string; err(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  stdout.on('data', (c: Buffer) => chunks.out.push(c));
  stderr.on('data', (c: Buffer) => chunks.err.push(c));
  return {
    stdin: new PassThrough(),
    stdout,
    stderr,
    env,
    out: () => Buffer.concat(chunks.out).toString(),
    err: () => Buffer.concat(chunks.err).toString(),
  };
}

describe('flags', () => {
  it.each([
    [['--port', 'abc'], '--port must be an integer between 0 and 65535 (got "abc")'],
    [['--port', '70000'], '--port must be an integer between 0 and 65535 (got "70000")'],
    [['--error-rate', '1.5'], '--error-rate must be a number between 0 and 1 (got "1.5")'],
    [['--latency-ms=-5'], '--latency-ms must be an integer between 0 and 60000 (got "-5")'],
    [
      ['--latency-ms', '-5'],
      '--latency-ms needs a value; write --latency-ms=VALUE for a value that starts with "-"',
    ],
    [['--error-statuses', '500,200'], '--error-statuses must be an integer between 400 and 599 (got "200")'],
    [['--rate-limit', 'fast'], '--rate-limit must be a number between 0 and 1000000 (got "fast")'],
    [
      ['--error-rate', '0.7', '--drop-rate', '0.7'],
      'invalid faults: errorRate + rateLimitRate + hangRate + dropRate',
    ],
    [
      ['--reset-after-apply-rate', '2'],
      '--reset-after-apply-rate must be a number between 0 and 1 (got "2")',
    ],
    [
      ['--hang-after-apply-rate', '0.6', '--reset-after-apply-rate', '0.6'],
      'invalid faults: errorRate + rateLimitRate + hangRate + dropRate + resetAfterApplyRate + hangAfterApplyRate must not exceed 1',
    ],
    [['--bogus'], 'unknown option "--bogus" (see --help)'],
    [['--port'], '--port needs a value (see --help)'],
    [['--sink=yes'], '--sink takes no value (see --help)'],
    [['--sink', '--snapshot', 'x.json'], '--sink keeps no state, so it cannot be combined with --snapshot'],
    [['--site-id', 'a:b'], '--site-id must not contain ":" (got "a:b")'],
  ])('%j → %s', async (args, message) => {
    const io = fakeIo();
    expect(await run(args, io)).toBe(2);
    expect(io.err()).toContain(`cio-relay emulator: ${message}`);
    expect(io.out()).toBe('');
  });

  it('never echoes an api key, not even in an error', async () => {
    for (const args of [
      ['--api-key', ''],
      ['--api-key', SECRET, SECRET],
      ['--apikey', SECRET],
      ['--api-key', SECRET, '--port', 'x'],
    ]) {
      const io = fakeIo();
      expect(await run(args, io)).toBe(2);
      expect(io.err()).not.toContain(SECRET);
      expect(io.err()).toMatch(/^cio-relay emulator: /);
    }
  });

  it('has defaults, env fallbacks and fault flags', () => {
    const parsed = parseEmulatorArgs(
      ['--throttle-rate', '0.1', '--retry-after', '3', '--rate-limit', '100'],
      {
        CIO_EMULATOR_API_KEY: SECRET,
      },
    );
    expect(parsed).toEqual({
      ok: true,
      help: false,
      options: {
        siteId: 'emulator-site',
        apiKey: SECRET,
        port: 9090,
        host: '127.0.0.1',
        sink: false,
        faults: { rateLimitRate: 0.1, retryAfterSeconds: 3, requestsPerSecond: 100 },
      },
    });
  });

  it('takes the after-apply and no-Retry-After fault flags', () => {
    const parsed = parseEmulatorArgs([
      '--throttle-rate',
      '0.2',
      '--no-retry-after',
      '--reset-after-apply-rate',
      '0.1',
      '--hang-after-apply-rate',
      '0.05',
    ]);
    expect(parsed).toMatchObject({
      ok: true,
      options: {
        faults: {
          rateLimitRate: 0.2,
          omitRetryAfter: true,
          resetAfterApplyRate: 0.1,
          hangAfterApplyRate: 0.05,
        },
      },
    });
  });

  it('prints help', async () => {
    const io = fakeIo();
    expect(await run(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/^Usage: cio-relay emulator \[options\]/);
    expect(io.out()).toContain('--rate-limit N');
  });
});

describe('in process', () => {
  it('prints where it listens and how to point a relay at it, but not the api key', async () => {
    const io = fakeIo();
    const started = await startEmulatorCommand(
      ['--port', '0', '--site-id', 'my-site', '--api-key', SECRET, '--error-rate', '0.5', '--seed', '3'],
      io,
    );
    if (typeof started === 'number') throw new Error(`exit ${started}: ${io.err()}`);
    try {
      const url = started.emulator.url;
      expect(io.out()).toContain(`cio-relay emulator listening on ${url}`);
      expect(io.out()).toContain(`endpoint: ${url}`);
      expect(io.out()).toContain('allowInsecureEndpoint: true');
      expect(io.out()).toContain('site id:   my-site');
      expect(io.out()).toContain('faults:    errorRate=0.5 (seed 3)');
      const auth = `Basic ${Buffer.from(`my-site:${SECRET}`).toString('base64')}`;
      const res = await request(`${url}/auth`, { headers: { authorization: auth } });
      await res.body.text();
      expect([200, 500, 502, 503]).toContain(res.statusCode);
    } finally {
      expect(await started.stop('test')).toBe(0);
    }
    expect(io.out()).toContain('closed');
    expect(io.out() + io.err()).not.toContain(SECRET);
  });

  it('reports a port already in use as exit 1', async () => {
    const io = fakeIo();
    const first = await startEmulatorCommand(['--port', '0'], io);
    if (typeof first === 'number') throw new Error('did not start');
    try {
      const io2 = fakeIo();
      expect(await run(['--port', String(first.emulator.port)], io2)).toBe(1);
      expect(io2.err()).toContain('the address is already in use');
    } finally {
      await first.stop('test');
    }
  });
});

/** Spawn the CLI, wait for its banner, then signal it; resolves with its output and exit code. */
async function spawnAndStop(
  command: string[],
  signal: NodeJS.Signals,
  onListening: (url: string) => Promise<void>,
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, command, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 15 s: ${out} ${err}`)), 15_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', () => reject(new Error(`exited early: ${out} ${err}`)));
  });
  try {
    await onListening(url);
  } finally {
    child.kill(signal);
  }
  const code = await exited;
  return { code, out, err };
}

describe('as a process', () => {
  it('serves until SIGTERM, then closes cleanly and writes the snapshot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cio-emulator-cli-'));
    const file = join(dir, 'state.json');
    try {
      const entry = join(ROOT, 'test/emulator/server/cli-entry.ts');
      const args = [
        '--import',
        'tsx',
        entry,
        'emulator',
        '--port',
        '0',
        '--api-key',
        SECRET,
        '--snapshot',
        file,
      ];
      const result = await spawnAndStop(args, 'SIGTERM', async (url) => {
        const auth = `Basic ${Buffer.from(`emulator-site:${SECRET}`).toString('base64')}`;
        const res = await request(`${url}/api/v1/customers/u1`, {
          method: 'PUT',
          headers: { authorization: auth, 'content-type': 'application/json' },
          body: JSON.stringify({ plan: 'pro' }),
        });
        await res.body.text();
        expect(res.statusCode).toBeLessThan(500);
      });
      expect(result.code).toBe(0);
      expect(result.out).toContain('received SIGTERM: closing');
      expect(result.out).toContain(`snapshot written to ${file}`);
      expect(result.out + result.err).not.toContain(SECRET);
      expect(existsSync(file)).toBe(true);
      expect(() => JSON.parse('' + '{}')).not.toThrow();
      JSON.parse(await readFile(file, 'utf8'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!existsSync(join(ROOT, 'dist/cli/emulator.js')))(
    'runs as bin/cio-relay.js emulator from the build and stops on SIGINT',
    async () => {
      const result = await spawnAndStop(
        ['bin/cio-relay.js', 'emulator', '--port', '0'],
        'SIGINT',
        async (url) => {
          const res = await request(`${url}/_emulator/stats`);
          expect(res.statusCode).toBe(200);
          await res.body.text();
        },
      );
      expect(result.code).toBe(0);
      expect(result.out).toContain('api key:   (as configured; never printed)');
      expect(result.out).not.toContain('emulator-key');
    },
  );
});
