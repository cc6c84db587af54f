/**
 * What `cio-relay map` does to each NDJSON line, as a library: parse, validate, route, and format
 * each resulting Track API request as one output line. Credentials never enter this code.
 */
import {
  isOperation,
  type Operation,
  singleRequest,
  TRACK_LIMITS,
  TRACK_PATHS,
} from '../customerio/index.js';
import { type Rejection, reject } from '../errors.js';
import { MAX_EVENT_BYTES, validateEvent } from '../events/index.js';
import { Batcher } from './batcher.js';
import { type CompiledSubscription, filterReason, route } from './router.js';

export interface MapStreamOptions {
  subscriptions: readonly CompiledSubscription[];
  /** Track API base URL (see trackApiBase). */
  base: string;
  /** Group v2 operations into `/api/v2/batch` requests. */
  batch?: boolean;
  maxOperations?: number;
  maxBytes?: number;
  now?: () => number;
}

export interface MapCounts {
  events: number;
  requests: number;
  operations: number;
  /** Events refused: invalid JSON or event, or an action that rejected it. */
  rejected: number;
  /** Valid events that no subscription matched. */
  unmatched: number;
  /** Valid events a filter rule kept from being sent (e.g. Classic's "no userId"). */
  filtered: number;
}

interface Pending {
  index: number;
  action: string;
  json: string;
}

export class MapStream {
  readonly counts: MapCounts = {
    events: 0,
    requests: 0,
    operations: 0,
    rejected: 0,
    unmatched: 0,
    filtered: 0,
  };
  private readonly batcher: Batcher<Pending> | undefined;
  private readonly context: { now: () => number };

  constructor(private readonly options: MapStreamOptions) {
    this.context = { now: options.now ?? Date.now };
    this.batcher = options.batch ? new Batcher<Pending>(options.maxOperations, options.maxBytes) : undefined;
  }

  /** Map one NDJSON line (the `index`th event); returns the output lines it completes. */
  line(text: string, index: number): string[] {
    this.counts.events++;
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch (error) {
      return [this.rejection(index, undefined, invalidJson(error))];
    }
    const validated = validateEvent(input, { rawBytes: utf8Bytes(text) });
    if (!validated.ok) return [this.rejection(index, undefined, validated.error)];
    return this.event(validated.event as unknown as Record<string, unknown>, index);
  }

  /** Map one already-parsed, validated event. */
  event(event: Readonly<Record<string, unknown>>, index: number): string[] {
    const routed = route(event, this.options.subscriptions, this.context);
    if (routed.length === 0) {
      const reason = filterReason(event, this.options.subscriptions);
      if (reason === undefined) {
        this.counts.unmatched++;
        return [];
      }
      this.counts.filtered++;
      return [`{"index":${index},"filtered":${JSON.stringify(reason)}}`];
    }
    const out: string[] = [];
    let rejected = false;
    for (const { action, result } of routed) {
      if (!isOperation(result)) {
        rejected = true;
        out.push(this.rejection(index, action, result));
        continue;
      }
      const json = JSON.stringify(result.body);
      const bytes = Buffer.byteLength(json); // exact: batches are cut by it
      if (bytes > TRACK_LIMITS.operationBytes) {
        rejected = true;
        out.push(this.rejection(index, action, tooLarge(action, bytes)));
        continue;
      }
      this.counts.operations++;
      if (this.batcher && result.endpoint === 'v2') {
        const closed = this.batcher.add({ index, action, json }, bytes);
        if (closed) out.push(this.batchLine(closed));
        if (this.batcher.full) out.push(this.batchLine(this.batcher.flush()!));
      } else {
        out.push(this.singleLine(index, action, result, json));
      }
    }
    if (rejected) this.counts.rejected++;
    return out;
  }

  /** The output lines still held (an unfinished batch). */
  finish(): string[] {
    const last = this.batcher?.flush();
    return last ? [this.batchLine(last)] : [];
  }

  private singleLine(index: number, action: string, operation: Operation, json: string): string {
    this.counts.requests++;
    const { method, url } = singleRequest(operation, this.options.base);
    return `{"index":${index},"action":${JSON.stringify(action)},"method":"${method}","url":${JSON.stringify(url)},"body":${json}}`;
  }

  private batchLine(items: Pending[]): string {
    this.counts.requests++;
    const url = this.options.base + TRACK_PATHS.batch;
    const indexes = JSON.stringify(items.map((p) => p.index));
    const actions = JSON.stringify(items.map((p) => p.action));
    const body = `{"batch":[${items.map((p) => p.json).join(',')}]}`;
    return `{"indexes":${indexes},"actions":${actions},"method":"POST","url":${JSON.stringify(url)},"body":${body}}`;
  }

  private rejection(index: number, action: string | undefined, error: Rejection): string {
    if (action === undefined) this.counts.rejected++;
    const where = action === undefined ? '' : `,"action":${JSON.stringify(action)}`;
    return `{"index":${index}${where},"error":${JSON.stringify({ code: error.code, message: error.message })}}`;
  }
}

/**
 * An event line's size for the 32 KB limit check: a UTF-16 code unit takes at most 3 bytes in
 * UTF-8, so a line this short is under the limit whatever it holds, and is not measured.
 */
function utf8Bytes(text: string): number {
  return text.length * 3 <= MAX_EVENT_BYTES ? text.length : Buffer.byteLength(text);
}

function invalidJson(error: unknown): Rejection {
  const detail = error instanceof Error ? error.message : String(error);
  return reject('invalid_json', `the line is not valid JSON (${detail}); write one JSON event per line`);
}

function tooLarge(action: string, bytes: number): Rejection {
  return reject(
    'operation_too_large',
    `the ${action} operation is ${bytes} bytes; Customer.io accepts at most ${TRACK_LIMITS.operationBytes} bytes per operation: send fewer or smaller attributes`,
  );
}
