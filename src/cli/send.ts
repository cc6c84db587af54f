/**
 * `cio-relay send FILE.ndjson|-`: a backfill. Reads events, one JSON object per line, and posts them
 * to the relay's ingest API in batches cut under its limits, one request at a time (so each
 * person's events keep their order); or, with `--direct`, stores them straight into the relay's
 * store through the server's own validation and deduplication. Progress on standard error, a
 * summary on standard output; exit 1 when any line was not accepted.
 */
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import type { RelayConfig } from '../config/types.js';
import { ConfigError, configErrorText } from '../errors.js';
import { openStore } from '../relay/open-store.js';
import { directIngest } from '../server/index.js';
import { openLines } from './input.js';
import type { CliIo } from './io.js';
import { RELAY_LIMITS, readBatches } from './ndjson-batches.js';
import { Progress } from './progress.js';
import { directSink, httpSink, type RetryOptions, type Sink } from './send-sinks.js';
import { SendSummary } from './send-summary.js';

export const HELP = `Usage: cio-relay send FILE.ndjson|- [options]

Sends events, one JSON object per line (e.g. {"type":"track","userId":"u1","event":"Signed Up"}),
to a relay's ingest API (/v1/batch), in batches under its limits (2,500 events, 500 KB), one
request at a time. Lines that are not JSON objects are reported with their number and skipped.
Refused events are listed by reason with their line numbers. Exits 1 if any event was rejected or
not sent, or any line was bad.

Options:
  --url URL            the relay (default http://127.0.0.1:8787)
  --write-key KEY      the source's write key (better: the WRITE_KEY environment variable, which
                       other users of this machine cannot see in the process list)
  --direct             write into the relay's store instead of over HTTP, with the same
                       validation and deduplication (needs --config; a running relay delivers the
                       events within a second)
  --config FILE        the relay's configuration, for --direct (also $CIO_RELAY_CONFIG)
  --source NAME        for --direct: the source the events come from (default: the one whose write
                       key is given, or the only one)
  --retries N          tries again after 408, 429, 5xx and network errors (--direct: a failed
                       commit), with backoff from 0.5 s to 30 s; default 8
  --progress-every S   seconds between progress lines when standard error is not a terminal
                       (default 10); on a terminal a progress bar is drawn instead
  -h, --help           show this help
`;

const OPTIONS = {
  url: { type: 'string', default: 'http://127.0.0.1:8787' },
  'write-key': { type: 'string' },
  direct: { type: 'boolean' },
  config: { type: 'string' },
  source: { type: 'string' },
  retries: { type: 'string', default: '8' },
  'progress-every': { type: 'string', default: '10' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

type Values = ReturnType<typeof parse>['values'];

function parse(args: string[]) {
  return parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true });
}

export async function run(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.stderr.write(`cio-relay send: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  let sink: Sink | undefined;
  try {
    if (positionals.length !== 1)
      throw new UsageError('say what to send: a file of NDJSON events, or - for standard input');
    const file = positionals[0]!;
    const lines = await openLines(file, io.stdin);
    const total = file === '-' ? undefined : (await stat(file)).size;
    const progress = new Progress({
      stream: io.stderr,
      label: 'send',
      noun: 'events',
      total,
      intervalMs: seconds('--progress-every', values['progress-every']) * 1000,
    });
    const retry: RetryOptions = {
      retries: count('--retries', values.retries),
      onRetry: (reason, waitMs, attempt) => {
        progress.finish();
        io.stderr.write(
          `send: ${reason}; trying again in ${(waitMs / 1000).toFixed(1)} s (try ${attempt})\n`,
        );
      },
    };
    sink = values.direct ? await openDirect(values, io.env, retry) : openHttp(values, io.env, retry);
    const summary = new SendSummary();
    await sendAll(lines, sink, summary, progress);
    progress.finish();
    io.stdout.write(summary.render(file === '-' ? 'standard input' : file, progress.elapsedSeconds()));
    return summary.exitCode();
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`cio-relay send: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr.write(`cio-relay send: ${configErrorText(error)}\n`);
      return 1;
    }
    io.stderr.write(`cio-relay send: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await sink?.close();
  }
}

/** Batch after batch; after a batch that could not be sent, the rest is counted as unsent. */
async function sendAll(
  lines: AsyncIterable<string>,
  sink: Sink,
  summary: SendSummary,
  progress: Progress,
): Promise<void> {
  const batches = readBatches(
    lines,
    RELAY_LIMITS,
    (problem) => summary.badLine(problem),
    (line, bytes) => summary.tooLarge(line, bytes, RELAY_LIMITS.maxBytes),
  );
  for await (const batch of batches) {
    if (summary.stopped) {
      summary.notSent(batch, summary.stopped);
      continue;
    }
    const answer = await sink.send(batch);
    if (answer.ok) summary.answered(batch, answer.rejected, answer.duplicates);
    else summary.notSent(batch, answer.message);
    progress.update(batch.readBytes, summary.sent);
  }
}

function openHttp(values: Values, env: NodeJS.ProcessEnv, retry: RetryOptions): Sink {
  const writeKey = values['write-key'] ?? env['WRITE_KEY'];
  if (!writeKey) {
    throw new UsageError("say the source's write key: set WRITE_KEY (or pass --write-key KEY)");
  }
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new UsageError(
      `--url must be the relay's address, e.g. http://127.0.0.1:8787 (got ${JSON.stringify(values.url)})`,
    );
  }
  return httpSink({ url: url.href, writeKey, ...retry });
}

async function openDirect(values: Values, env: NodeJS.ProcessEnv, retry: RetryOptions): Promise<Sink> {
  const file = values.config ?? env['CIO_RELAY_CONFIG'];
  if (!file) throw new UsageError('--direct needs the relay configuration: --config FILE');
  const config = loadConfig(file, env);
  const source = pickSource(config, values.source, values['write-key'] ?? env['WRITE_KEY']);
  const store = await openStore(config.store, { warn: () => undefined });
  const ingest = directIngest(config, store, source);
  return directSink(ingest, () => store.close(), retry);
}

function pickSource(config: RelayConfig, name: string | undefined, writeKey: string | undefined): string {
  const names = config.sources.map((s) => s.name).join(', ');
  if (name !== undefined) {
    if (config.sources.some((s) => s.name === name)) return name;
    throw new UsageError(`--source ${name}: no such source in the configuration (its sources: ${names})`);
  }
  if (writeKey) {
    const source = config.sources.find((s) => s.writeKey === writeKey);
    if (source) return source.name;
    throw new UsageError(
      `the write key given is none of the configuration's sources' (${names}); or say --source NAME`,
    );
  }
  if (config.sources.length === 1) return config.sources[0]!.name;
  throw new UsageError(`say which source the events come from: --source NAME (one of ${names})`);
}

function count(name: string, text: string): number {
  if (!/^\d+$/.test(text))
    throw new UsageError(`${name} must be a whole number (got ${JSON.stringify(text)})`);
  return Number(text);
}

function seconds(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${name} must be a number of seconds above 0 (got ${JSON.stringify(text)})`);
  }
  return value;
}
