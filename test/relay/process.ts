/** The relay as users run it: `cio-relay serve --config FILE` in its own process (built bin/). */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '../../bin/cio-relay.js');
const EXIT_WITH_PARENT = join(import.meta.dirname, '../../scripts/exit-with-parent.mjs');

/** Write a one-source, one-destination configuration file for the emulator at `endpoint`. */
export function writeRelayConfig(
  dir: string,
  options: {
    endpoint: string;
    siteId: string;
    apiKey: string;
    writeKey: string;
    destination?: object;
    /** Merged into the store's configuration (e.g. `{ postgres: url }`). */
    store?: object;
    /** The admin API's settings (e.g. `{ token }`); off when absent. */
    admin?: object;
  },
): string {
  const file = join(dir, 'relay.json');
  writeFileSync(
    file,
    JSON.stringify({
      server: { port: 0, host: '127.0.0.1' },
      store: { sqlite: join(dir, 'relay.db'), ...options.store },
      ...(options.admin && { admin: options.admin }),
      sources: [{ name: 'load', writeKey: options.writeKey }],
      destinations: [
        {
          name: 'cio',
          siteId: options.siteId,
          apiKey: options.apiKey,
          endpoint: options.endpoint,
          allowInsecureEndpoint: true,
          retry: { minBackoffMs: 20, maxBackoffMs: 200 },
          ...options.destination,
        },
      ],
    }),
  );
  return file;
}

/**
 * Start `cio-relay serve` and resolve with its URL once it listens (`env`: e.g. a LOG_LEVEL), and
 * what it has written so far to stdout and stderr.
 */
export function spawnRelay(
  configFile: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(
    process.execPath,
    ['--import', EXIT_WITH_PARENT, BIN, 'serve', '--config', configFile],
    {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const collect = (chunk: Buffer) => {
      out += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ child, url, output: () => out });
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.on('exit', (code) => reject(new Error(`relay exited with ${code} before listening: ${out}`)));
  });
}

export function basicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
}
