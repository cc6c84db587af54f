import { ConfigError } from '../errors.js';

/**
 * Builds the ConfigError of a trigger that cannot be read. The message names the place three
 * ways (offset, line and column, and a caret under the source line) because triggers are read in
 * three places: the HTTP admin API (offset), a YAML file (line/column) and a terminal (caret).
 */

export const INVALID_TRIGGER = 'invalid_trigger';

/** The source shown around the caret: long triggers (the Track Event preset is ~600 characters)
 *  are cut to a window so that the caret stays on screen. */
const BEFORE = 60;
const AFTER = 40;

export function triggerError(
  source: string,
  what: string,
  position: number,
  path: string | undefined,
  hint?: string,
): ConfigError {
  const at = Math.max(0, Math.min(position, source.length));
  const lineStart = source.lastIndexOf('\n', at - 1) + 1;
  let lineEnd = source.indexOf('\n', at);
  if (lineEnd === -1) lineEnd = source.length;
  const line = countLines(source, lineStart) + 1;
  const column = at - lineStart + 1;

  const from = Math.max(lineStart, at - BEFORE);
  const to = Math.min(lineEnd, at + AFTER);
  const head = from > lineStart ? '…' : '';
  const tail = to < lineEnd ? '…' : '';
  const excerpt = head + source.slice(from, to).replace(/[\r\t]/g, ' ') + tail;
  const caret = ' '.repeat(head.length + at - from) + '^';

  const advice = hint === undefined ? '' : `; ${hint}`;
  const message = `${path ?? 'trigger'}: ${what} at position ${at} (line ${line}, column ${column})${advice}:\n${excerpt}\n${caret}`;
  return new ConfigError(INVALID_TRIGGER, message, { position: at, path });
}

/** A ConfigError with no place in the source (empty trigger, wrong type, too long). */
export function triggerProblem(sentence: string, path: string | undefined): ConfigError {
  return new ConfigError(INVALID_TRIGGER, path ? `${path}: ${sentence}` : sentence, { position: 0, path });
}

function countLines(source: string, end: number): number {
  let count = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < end; i = source.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * Names one character for a message: `"#"` for visible ASCII, `"é" (U+00E9)` for other visible
 * characters, and only the code point for invisible ones (a no-break space pasted from a web page
 * would otherwise look like a plain space in the message).
 */
export function describeChar(char: string): string {
  const cp = char.codePointAt(0) ?? 0;
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (cp > 0x20 && cp < 0x7f) return `"${char}"`;
  if (/^[\p{L}\p{N}\p{P}\p{S}]$/u.test(char)) return `"${char}" (${code})`;
  return code;
}
