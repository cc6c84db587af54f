/** Temporary files for tests, removed once the test file has run (so runs leave nothing in /tmp). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cio-relay-test-'));
  dirs.push(dir);
  return dir;
}

/** Write `text` as `name` in a fresh temporary folder; returns the file's path. */
export function tempFile(name: string, text: string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}
