/** The snapshot file: loaded at start when present, written on close and on POST /_emulator/snapshot. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, identify, startEmulator } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cio-emulator-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('snapshot file', () => {
  it('round-trips the workspace through close and a restart', async () => {
    const file = join(dir, 'state.json');
    const first = await startEmulator({ snapshotFile: file });
    await call(first, 'POST', '/api/v2/entity', { json: identify('u1', { plan: 'pro' }) });
    await first.close();
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ people: [{ id: 'u1' }] });

    const second = await startEmulator({ snapshotFile: file });
    try {
      expect(second.workspace.person('u1')?.attributes).toEqual({ plan: 'pro' });
    } finally {
      await second.close();
    }
  });

  it('writes on POST /_emulator/snapshot', async () => {
    const file = join(dir, 'state.json');
    const emulator = await startEmulator({ snapshotFile: file });
    try {
      await call(emulator, 'POST', '/api/v2/entity', { json: identify('u2') });
      const res = await call(emulator, 'POST', '/_emulator/snapshot');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ file, bytes: expect.any(Number) });
      expect(await readFile(file, 'utf8')).toContain('"u2"');
    } finally {
      await emulator.close();
    }
  });

  it('starts empty when the file does not exist yet, and refuses a corrupt file', async () => {
    const missing = await startEmulator({ snapshotFile: join(dir, 'new.json') });
    expect(missing.workspace.people()).toEqual([]);
    await missing.close();

    const corrupt = join(dir, 'corrupt.json');
    await writeFile(corrupt, '{not json');
    await expect(startEmulator({ snapshotFile: corrupt })).rejects.toThrow(/is not valid JSON/);
    expect(await readFile(corrupt, 'utf8')).toBe('{not json');
  });
});
