/**
 * Where `cio-relay send` puts a batch: the relay's ingest API over HTTP (retrying what may pass:
 * 408, 429, 5xx, network errors), or the store directly (`--direct`) through the server's own
 * validation, routing and deduplication. Either answers, per batch, which events were refused.
 */
import type { RejectedEvent } from '../server/index.js';
import type { EventBatch } from './ndjson-batches.js';

export type SinkAnswer =
  | { ok: true; rejected: readonly RejectedEvent[]; duplicates: number }
  /** The batch was not taken, and nothing after it should be sent (order matters per person). */
  | { ok: false; message: string };

export interface Sink {
  send(batch: EventBatch): Promise<SinkAnswer>;
  close(): Promise<void>;
}

export interface RetryOptions {
  /** Tries after the first (default 8: about a minute and a half of backoff). */
  retries: number;
  /** Told before each wait (for the user: what failed, how long until the next try). */
  onRetry?: (reason: string, waitMs: number, attempt: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface HttpSinkOptions extends RetryOptions {
  url: string;
  writeKey: string;
  timeoutMs?: number;
}

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

export function httpSink(options: HttpSinkOptions): Sink {
  const endpoint = `${options.url.replace(/\/+$/, '')}/v1/batch`;
  const authorization = `Basic ${Buffer.from(`${options.writeKey}:`).toString('base64')}`;
  return {
    send: (batch) =>
      retrying(
        () =>
          post(endpoint, authorization, `{"batch":[${batch.texts.join(',')}]}`, options.timeoutMs ?? 60_000),
        options,
      ),
    async close() {},
  };
}

/** The store itself, as ingest would write to it (`--direct`); a failed commit is tried again. */
export function directSink(
  ingest: (events: unknown[]) => Promise<{ rejected: RejectedEvent[]; duplicates: number }>,
  close: () => Promise<void>,
  options: RetryOptions,
): Sink {
  return {
    send: (batch) =>
      retrying(async () => {
        try {
          return { kind: 'answer', answer: { ok: true, ...(await ingest(structuredClone(batch.values))) } };
        } catch (error) {
          return { kind: 'retry', reason: `the store could not commit: ${(error as Error).message}` };
        }
      }, options),
    close,
  };
}

/** Exponential backoff with jitter (0.5 s doubling to 30 s), or the server's Retry-After if longer. */
async function retrying(tryOnce: () => Promise<Outcome>, options: RetryOptions): Promise<SinkAnswer> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt++) {
    const outcome = await tryOnce();
    if (outcome.kind === 'answer') return outcome.answer;
    if (attempt >= options.retries) {
      return { ok: false, message: `${outcome.reason}; gave up after ${attempt + 1} tries` };
    }
    const backoff = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** attempt);
    const wait = Math.round(Math.max(outcome.retryAfterMs ?? 0, backoff / 2 + (Math.random() * backoff) / 2));
    options.onRetry?.(outcome.reason, wait, attempt + 2);
    await sleep(wait);
  }
}

type Outcome =
  | { kind: 'answer'; answer: SinkAnswer }
  | { kind: 'retry'; reason: string; retryAfterMs?: number };

// biome-ignore lint/suspicious/noExplicitAny: the relay's JSON answer, checked field by field below
type Json = any;

async function post(
  endpoint: string,
  authorization: string,
  body: string,
  timeoutMs: number,
): Promise<Outcome> {
  let response: Response;
  let json: Json;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    json = await response.json().catch(() => undefined);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    return { kind: 'retry', reason: `cannot reach ${new URL(endpoint).origin}: ${cause}` };
  }
  const status = response.status;
  if (status === 200) {
    return {
      kind: 'answer',
      answer: { ok: true, rejected: json?.rejected ?? [], duplicates: json?.duplicates ?? 0 },
    };
  }
  if (status === 400 && Array.isArray(json?.rejected)) {
    return { kind: 'answer', answer: { ok: true, rejected: json.rejected, duplicates: 0 } };
  }
  const said = json?.code ? `${json.code}: ${json.message}` : `${response.statusText}`;
  if (status === 408 || status === 429 || status >= 500) {
    const seconds = Number(response.headers.get('retry-after'));
    return {
      kind: 'retry',
      reason: `the relay answered ${status} (${said})`,
      ...(Number.isFinite(seconds) && seconds > 0 && { retryAfterMs: seconds * 1000 }),
    };
  }
  return { kind: 'answer', answer: { ok: false, message: `the relay answered ${status} (${said})` } };
}
