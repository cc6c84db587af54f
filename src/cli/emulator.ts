/**
 * `cio-relay emulator`: run the local Customer.io Track API until SIGINT/SIGTERM.
 *
 * The api key is a secret even when it is the default: it is never printed, not in the banner, not
 * in an error message (flag errors name the flag, never echo a credential's value).
 */
import { parseArgs } from 'node:util';
import type { Emulator, EmulatorOptions, FaultSettings } from '../emulator/index.js';
import { createEmulator, parseFaultSettings } from '../emulator/index.js';
import type { CliIo } from './io.js';

export const DEFAULT_PORT = 9090;
export const DEFAULT_SITE_ID = 'emulator-site';
export const DEFAULT_API_KEY = 'emulator-key';

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'site-id': { type: 'string' },
  'api-key': { type: 'string' },
  sink: { type: 'boolean' },
  snapshot: { type: 'string' },
  'max-recent-requests': { type: 'string' },
  'error-rate': { type: 'string' },
  'error-statuses': { type: 'string' },
  'throttle-rate': { type: 'string' },
  'retry-after': { type: 'string' },
  'no-retry-after': { type: 'boolean' },
  'latency-ms': { type: 'string' },
  'hang-rate': { type: 'string' },
  'drop-rate': { type: 'string' },
  'reset-after-apply-rate': { type: 'string' },
  'hang-after-apply-rate': { type: 'string' },
  'rate-limit': { type: 'string' },
  burst: { type: 'string' },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const HELP = `Usage: cio-relay emulator [options]

Runs a local Customer.io Track API (v1, v2, /auth) with in-memory workspace state, an inspection
API under /_emulator/ and fault injection. Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.

Options:
  --port N                  port to listen on (default ${DEFAULT_PORT}; 0 picks a free port)
  --host ADDR               address to listen on (default 127.0.0.1)
  --site-id ID              Track API site id (default "${DEFAULT_SITE_ID}", or $CIO_EMULATOR_SITE_ID)
  --api-key KEY             Track API key (default "${DEFAULT_API_KEY}", or $CIO_EMULATOR_API_KEY; never printed)
  --sink                    validate and count only, keep no state (for throughput benchmarks)
  --snapshot FILE           load the workspace from FILE at start, write it there on exit
  --max-recent-requests N   requests kept for GET /_emulator/requests (default 200; 0 = none)

Faults (also settable at run time: POST /_emulator/faults):
  --error-rate R            share 0..1 of API requests answered with a 5xx, not applied
  --error-statuses LIST     statuses for --error-rate (default 500,502,503)
  --throttle-rate R         share 0..1 of API requests answered 429 with Retry-After
  --retry-after S           Retry-After seconds for --throttle-rate (default 1)
  --no-retry-after          --throttle-rate's 429s carry no Retry-After header
  --latency-ms N            delay added to every API answer
  --hang-rate R             share 0..1 of API requests never answered
  --drop-rate R             share 0..1 of API requests whose connection is dropped
  --reset-after-apply-rate R  share 0..1 applied, then the connection is reset (a lost answer)
  --hang-after-apply-rate R   share 0..1 applied, then never answered
  --rate-limit N            request-rate limit in requests/s (token bucket; 100 = Customer.io fair use)
  --burst N                 bucket size for --rate-limit (default: one second's worth)
  --seed N                  seed for the fault dice (reproducible runs)
  -h, --help                show this help
`;

export type ParsedArgs =
  | { ok: true; help: true }
  | { ok: true; help: false; options: EmulatorOptions & { port: number; host: string } }
  | { ok: false; message: string };

class FlagError extends Error {}

export function parseEmulatorArgs(args: string[], env: NodeJS.ProcessEnv = {}): ParsedArgs {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(args).values;
  } catch (err) {
    return { ok: false, message: describeParseError(err) };
  }
  if (values.help) return { ok: true, help: true };
  try {
    const siteId = nonEmpty('--site-id', values['site-id'] ?? env['CIO_EMULATOR_SITE_ID'] ?? DEFAULT_SITE_ID);
    const apiKey = values['api-key'] ?? env['CIO_EMULATOR_API_KEY'] ?? DEFAULT_API_KEY;
    // Deliberately no value in this message: it is a credential.
    if (apiKey === '') throw new FlagError('--api-key must not be empty');
    if (siteId.includes(':')) throw new FlagError(`--site-id must not contain ":" (got ${quote(siteId)})`);
    const options: EmulatorOptions & { port: number; host: string } = {
      siteId,
      apiKey,
      port: values.port === undefined ? DEFAULT_PORT : integer('--port', values.port, 0, 65_535),
      host: nonEmpty('--host', values.host ?? '127.0.0.1'),
      sink: values.sink === true,
      faults: faultsFrom(values),
    };
    if (values.snapshot !== undefined) options.snapshotFile = nonEmpty('--snapshot', values.snapshot);
    if (values['max-recent-requests'] !== undefined) {
      options.maxRecentRequests = integer('--max-recent-requests', values['max-recent-requests'], 0, 100_000);
    }
    if (options.sink && options.snapshotFile) {
      throw new FlagError('--sink keeps no state, so it cannot be combined with --snapshot');
    }
    return { ok: true, help: false, options };
  } catch (err) {
    if (err instanceof FlagError) return { ok: false, message: err.message };
    throw err;
  }
}

function parse(args: string[]) {
  return parseArgs({ args, options: OPTIONS, allowPositionals: false, strict: true });
}

type Values = ReturnType<typeof parse>['values'];

function faultsFrom(values: Values): FaultSettings {
  const faults: FaultSettings = {};
  const shareFlags = [
    ['error-rate', 'errorRate'],
    ['throttle-rate', 'rateLimitRate'],
    ['hang-rate', 'hangRate'],
    ['drop-rate', 'dropRate'],
    ['reset-after-apply-rate', 'resetAfterApplyRate'],
    ['hang-after-apply-rate', 'hangAfterApplyRate'],
  ] as const;
  for (const [flag, field] of shareFlags) {
    const text = values[flag];
    if (text !== undefined) faults[field] = share(`--${flag}`, text);
  }
  if (values['error-statuses'] !== undefined) {
    faults.errorStatuses = values['error-statuses']
      .split(',')
      .map((part) => integer('--error-statuses', part.trim(), 400, 599));
  }
  if (values['retry-after'] !== undefined) {
    faults.retryAfterSeconds = integer('--retry-after', values['retry-after'], 0, 86_400);
  }
  if (values['no-retry-after']) faults.omitRetryAfter = true;
  if (values['latency-ms'] !== undefined)
    faults.latencyMs = integer('--latency-ms', values['latency-ms'], 0, 60_000);
  if (values['rate-limit'] !== undefined) {
    faults.requestsPerSecond = number('--rate-limit', values['rate-limit'], 0, 1_000_000);
  }
  if (values.burst !== undefined) faults.burst = integer('--burst', values.burst, 1, 1_000_000);
  if (values.seed !== undefined) faults.seed = integer('--seed', values.seed, 0, 2 ** 32 - 1);
  // Cross-field rules (the shares may not add up to more than 1) live in the shared validator.
  const checked = parseFaultSettings(faults);
  if (!checked.ok) throw new FlagError(`invalid faults: ${checked.errors.join('; ')}`);
  return faults;
}

function quote(text: string): string {
  return JSON.stringify(text);
}

function nonEmpty(flag: string, text: string): string {
  if (text.trim() === '') throw new FlagError(`${flag} must not be empty`);
  return text;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = /^-?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new FlagError(`${flag} must be an integer between ${min} and ${max} (got ${quote(text)})`);
  }
  return value;
}

function number(flag: string, text: string, min: number, max: number): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new FlagError(`${flag} must be a number between ${min} and ${max} (got ${quote(text)})`);
  }
  return value;
}

function share(flag: string, text: string): number {
  return number(flag, text, 0, 1);
}

/** parseArgs errors, reworded; a stray positional is not echoed, since it may be a mistyped key. */
function describeParseError(err: unknown): string {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return 'unexpected argument: cio-relay emulator takes only --options (see --help)';
  }
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(message)?.[1];
    return `unknown option ${option ? quote(option) : ''} (see --help)`.replace('  ', ' ');
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /'(--?[\w-]+)/.exec(message)?.[1] ?? 'an option';
    if (message.includes('does not take an argument')) return `${option} takes no value (see --help)`;
    if (message.includes('ambiguous')) {
      return `${option} needs a value; write ${option}=VALUE for a value that starts with "-" (see --help)`;
    }
    return `${option} needs a value (see --help)`;
  }
  return 'invalid arguments (see --help)';
}

export function banner(emulator: Emulator, options: EmulatorOptions & { host: string }): string {
  const faults = emulator.faults();
  const active = Object.entries(faults)
    .filter(([key]) => key !== 'seed')
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(',') : value}`);
  const lines = [
    `cio-relay emulator listening on ${emulator.url}`,
    `  site id:   ${options.siteId}`,
    '  api key:   (as configured; never printed)',
    `  mode:      ${options.sink ? 'sink (validates and counts, keeps no state)' : 'stateful (in memory)'}`,
    `  snapshot:  ${options.snapshotFile ?? 'none'}`,
    `  faults:    ${active.length > 0 ? `${active.join(' ')} (seed ${faults.seed})` : 'none'}`,
    `  inspect:   ${emulator.url}/_emulator/people  (also /objects /requests /stats /faults)`,
  ];
  if (!isLoopbackHost(options.host)) {
    lines.push('  note:      not bound to loopback; /_emulator/ needs Basic auth from other hosts');
  }
  lines.push(
    '',
    'Point a relay at it (destination settings):',
    `  endpoint: ${emulator.url}`,
    '  allowInsecureEndpoint: true',
    `  siteId: ${options.siteId}`,
    '  apiKey: <the api key you started the emulator with>',
    '',
    'Stop with Ctrl-C (SIGINT) or SIGTERM.',
    '',
  );
  return lines.join('\n');
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

export interface RunningEmulator {
  emulator: Emulator;
  /** Close (writing the snapshot) and report; returns the exit code. */
  stop(reason: string): Promise<number>;
}

/** Parse, start, print the banner. Returns an exit code when there is nothing to run. */
export async function startEmulatorCommand(args: string[], io: CliIo): Promise<number | RunningEmulator> {
  const parsed = parseEmulatorArgs(args, io.env);
  if (!parsed.ok) {
    io.stderr.write(`cio-relay emulator: ${parsed.message}\n`);
    return 2;
  }
  if (parsed.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const { options } = parsed;
  let emulator: Emulator;
  try {
    emulator = await createEmulator(options);
  } catch (err) {
    io.stderr.write(
      `cio-relay emulator: cannot start on ${options.host}:${options.port}: ${errorText(err)}\n`,
    );
    return 1;
  }
  io.stdout.write(banner(emulator, options));
  return {
    emulator,
    async stop(reason) {
      io.stdout.write(`\n${reason}: closing\n`);
      try {
        await emulator.close();
      } catch (err) {
        io.stderr.write(`cio-relay emulator: error while closing: ${errorText(err)}\n`);
        return 1;
      }
      if (options.snapshotFile) io.stdout.write(`snapshot written to ${options.snapshotFile}\n`);
      io.stdout.write('closed\n');
      return 0;
    },
  };
}

function errorText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return 'the address is already in use';
  if (code === 'EACCES') return 'permission denied';
  return err instanceof Error ? err.message : String(err);
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const started = await startEmulatorCommand(args, io);
  if (typeof started === 'number') return started;
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (name: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(name);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return started.stop(`received ${signal}`);
}
