/**
 * NDJSON events cut into ingest batches: each line must be one JSON object (blank lines are
 * skipped); any other line is reported with its number and left out. A batch closes before it
 * would pass the relay's limits (events per batch, bytes per request), so no request is refused
 * for its size.
 */
import { MAX_BATCH_EVENTS, MAX_REQUEST_BYTES } from '../events/index.js';

export interface EventBatch {
  /** The events as read (JSON text, trimmed) and parsed, with their line numbers (from 1). */
  texts: string[];
  values: Record<string, unknown>[];
  lines: number[];
  /** Input bytes read up to the end of this batch (for progress over a file's size). */
  readBytes: number;
}

export interface LineProblem {
  line: number;
  reason: string;
}

/** `{"batch":[` + `]}` and some slack. */
const ENVELOPE_BYTES = 64;

export interface BatchLimits {
  maxEvents: number;
  maxBytes: number;
}

export const RELAY_LIMITS: BatchLimits = { maxEvents: MAX_BATCH_EVENTS, maxBytes: MAX_REQUEST_BYTES };

/**
 * `onBad`: a line that is not a JSON object; `onTooLarge`: an event larger than a whole request,
 * which no batch can carry.
 */
export async function* readBatches(
  input: AsyncIterable<string>,
  limits: BatchLimits,
  onBad: (problem: LineProblem) => void,
  onTooLarge: (line: number, bytes: number) => void,
): AsyncGenerator<EventBatch> {
  let batch = empty(0);
  let bytes = ENVELOPE_BYTES;
  let lineNumber = 0;
  let readBytes = 0;
  for await (const raw of input) {
    lineNumber++;
    readBytes += Buffer.byteLength(raw) + 1;
    const text = raw.trim();
    if (text === '') continue;
    const value = parseObject(text);
    if (typeof value === 'string') {
      onBad({ line: lineNumber, reason: value });
      continue;
    }
    const size = Buffer.byteLength(text) + 1;
    if (size + ENVELOPE_BYTES > limits.maxBytes) {
      onTooLarge(lineNumber, size - 1);
      continue;
    }
    if (batch.texts.length >= limits.maxEvents || bytes + size > limits.maxBytes) {
      yield batch;
      batch = empty(readBytes);
      bytes = ENVELOPE_BYTES;
    }
    batch.texts.push(text);
    batch.values.push(value);
    batch.lines.push(lineNumber);
    batch.readBytes = readBytes;
    bytes += size;
  }
  if (batch.texts.length > 0) yield batch;
}

function empty(readBytes: number): EventBatch {
  return { texts: [], values: [], lines: [], readBytes };
}

/** The object, or why the line is not one. */
function parseObject(text: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return `not a JSON object (${what}); each line must be one event such as {"type":"track",...}`;
  }
  return value as Record<string, unknown>;
}
