/** `cio-relay serve`: the ways it refuses to start, each with a message that says what to do. */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../temp-files.js';
import { cli } from './cli-helpers.js';

let busy: Server | undefined;
afterEach(() => {
  busy?.close();
});

describe('cio-relay serve', () => {
  it('says which port is taken and how to choose another', async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy!.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    const result = await cli(['serve', '--emulator-port', String(port)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `cio-relay serve: cannot start the demo emulator: listen EADDRINUSE: address already in use 127.0.0.1:${port}; stop the other process or choose another port with --emulator-port N\n`,
    );
  });

  it('refuses an invalid configuration with every problem and no secret', async () => {
    const dir = tempDir();
    const file = join(dir, 'relay.yaml');
    writeFileSync(
      file,
      'sources: [{ name: web, writeKey: top-secret-write-key }]\ndestinations:\n  - { name: cio, siteId: s, apiKey: top-secret-api-key, batch: { maxOperations: 5000 } }\n',
    );
    const result = await cli(['serve', '--config', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('destinations[0].batch.maxOperations');
    expect(result.stderr).not.toContain('top-secret');
  });

  it('rejects unknown flags and bad ports', async () => {
    expect((await cli(['serve', '--nope'])).code).toBe(2);
    const badPort = await cli(['serve', '--port', '70000']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/integer from 0 to 65535/);
    expect((await cli(['serve', '--help'])).stdout).toMatch(/^Usage: cio-relay serve/);
  });
});
