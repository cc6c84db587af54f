/** NDJSON input from a file or standard input, one line at a time. */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';

export async function openLines(
  file: string | undefined,
  stdin: NodeJS.ReadableStream,
): Promise<AsyncIterable<string>> {
  if (file === undefined || file === '-')
    return createInterface({ input: stdin, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    await access(file);
  } catch {
    throw new Error(`cannot read ${file}: no such file`);
  }
  return createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
}
