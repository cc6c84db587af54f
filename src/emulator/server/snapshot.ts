/**
 * The optional snapshot file: the workspace is restored from it at start and written to it on close
 * (and on `POST /_emulator/snapshot`). Writes go to a temporary file renamed into place, so a crash
 * mid-write leaves the previous snapshot intact rather than a truncated one.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { WorkspaceState } from '../contract.js';

/** Restore from `file` if it exists. Returns whether a snapshot was loaded. */
export async function loadSnapshot(file: string, workspace: WorkspaceState): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // Refuse to start rather than silently start empty and overwrite the file on close.
    throw new Error(`snapshot file ${file} is not valid JSON (${err instanceof Error ? err.message : err})`);
  }
  workspace.restore(data);
  return true;
}

export async function saveSnapshot(file: string, workspace: WorkspaceState): Promise<number> {
  const text = `${JSON.stringify(workspace.snapshot(), null, 2)}\n`;
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text, 'utf8');
  await rename(temporary, file);
  return Buffer.byteLength(text);
}
