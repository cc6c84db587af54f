/**
 * `cio-relay map`: read NDJSON events, print one NDJSON line per Track API request they would
 * trigger (or per rejection). Nothing is sent, and credentials are never read or printed.
 */
import { parseArgs } from 'node:util';
import { readConfigFile, selectDestination } from '../config/index.js';
import { TRACK_LIMITS, trackApiBase } from '../customerio/index.js';
import { ConfigError, configErrorText } from '../errors.js';
import { compileSubscriptions, MapStream } from '../pipeline/index.js';
import { destinationRoutes, getProfile, profileNames, settingProblems } from '../profiles/index.js';
import { openLines } from './input.js';
import type { CliIo } from './io.js';
import { LineWriter } from './output.js';

const HELP = `Usage: cio-relay map [options] [FILE|-]

Reads Segment-spec events, one JSON object per line, from FILE or standard input, and prints
one line per Customer.io Track API request they would trigger:
  {"index":0,"action":"createUpdatePerson","method":"POST","url":"https://track.customer.io/api/v2/entity","body":{...}}
A rejected event prints {"index":N,"error":{"code":"...","message":"..."}}; an event a profile's
filter rule keeps back prints {"index":N,"filtered":"reason"}; an event that no subscription
matches prints nothing. A summary goes to standard error. Nothing is sent.

Options:
  --profile NAME        whose behaviour to reproduce (${profileNames().join(', ')}; default actions);
                        its presets replace configured subscriptions; the file's settings
                        apply when it is the file's profile, else the profile's defaults
  --region us|eu        Track API region (default us)
  --endpoint URL        another Track API base URL (e.g. the emulator, http://127.0.0.1:9090)
  --config FILE         take profile, settings, subscriptions, region and endpoint from a relay configuration
  --destination NAME    which destination of --config (default: the first)
  --batch               group operations into /api/v2/batch requests
  --max-operations N    operations per batch, 1-${TRACK_LIMITS.maxBatchOperations} (default ${TRACK_LIMITS.defaultBatchOperations}); batches are also cut at 500 KB
  --now TIME            the time used where an event has none (ISO-8601 or Unix ms), for reproducible output
  -h, --help            show this help
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseMapArgs>;
  try {
    parsed = parseMapArgs(args);
  } catch (error) {
    io.stderr.write(
      `cio-relay map: ${(error as Error).message}\n\nRun \`cio-relay map --help\` for usage.\n`,
    );
    return 2;
  }
  if (parsed.help) {
    io.stdout.write(HELP);
    return 0;
  }

  let stream: MapStream;
  try {
    stream = createStream(parsed, io.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`cio-relay map: ${configErrorText(error)}\n`);
      return 2;
    }
    throw error;
  }

  let lines: AsyncIterable<string>;
  try {
    lines = await openLines(parsed.file, io.stdin);
  } catch (error) {
    io.stderr.write(`cio-relay map: ${(error as Error).message}\n`);
    return 2;
  }
  const out = new LineWriter(io.stdout);
  let index = 0;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    await out.write(stream.line(line, index++));
  }
  await out.write(stream.finish());
  await out.flush();

  const c = stream.counts;
  io.stderr.write(
    `cio-relay map: ${c.events} events → ${c.requests} requests (${c.operations} operations); ` +
      `${c.rejected} rejected, ${c.filtered} filtered, ${c.unmatched} matched no subscription\n`,
  );
  return 0;
}

interface MapArgs {
  help: boolean;
  file: string | undefined;
  profile: string | undefined;
  region: string | undefined;
  endpoint: string | undefined;
  config: string | undefined;
  destination: string | undefined;
  batch: boolean;
  maxOperations: number | undefined;
  now: number | undefined;
}

function parseMapArgs(args: string[]): MapArgs {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      profile: { type: 'string' },
      region: { type: 'string' },
      endpoint: { type: 'string' },
      config: { type: 'string' },
      destination: { type: 'string' },
      batch: { type: 'boolean' },
      'max-operations': { type: 'string' },
      now: { type: 'string' },
    },
  });
  if (positionals.length > 1)
    throw new Error(`expected at most one input file (got ${positionals.join(' ')})`);
  const max = values['max-operations'];
  let maxOperations: number | undefined;
  if (max !== undefined) {
    maxOperations = Number(max);
    if (
      !Number.isInteger(maxOperations) ||
      maxOperations < 1 ||
      maxOperations > TRACK_LIMITS.maxBatchOperations
    ) {
      throw new Error(
        `--max-operations must be an integer from 1 to ${TRACK_LIMITS.maxBatchOperations} (got "${max}")`,
      );
    }
  }
  let now: number | undefined;
  if (values.now !== undefined) {
    now = /^\d+$/.test(values.now) ? Number(values.now) : Date.parse(values.now);
    if (Number.isNaN(now))
      throw new Error(`--now must be an ISO-8601 time or Unix milliseconds (got "${values.now}")`);
  }
  return {
    help: values.help === true,
    file: positionals[0],
    profile: values.profile,
    region: values.region,
    endpoint: values.endpoint,
    config: values.config,
    destination: values.destination,
    batch: values.batch === true,
    maxOperations,
    now,
  };
}

function createStream(args: MapArgs, env: NodeJS.ProcessEnv): MapStream {
  if (args.destination !== undefined && args.config === undefined) {
    throw new ConfigError('invalid_arguments', '--destination needs --config FILE');
  }
  const file =
    args.config === undefined
      ? undefined
      : selectDestination(readConfigFile(args.config, env), args.destination);
  // Flags win over the file; configured subscriptions win over a profile's presets unless
  // --profile is given. The file's settings belong to the file's profile.
  const profileName = args.profile ?? file?.profile ?? 'actions';
  const profile = getProfile(profileName, { path: args.profile ? '--profile' : file?.path });
  const settings = file && profileName === file.profile ? file.settings : undefined;
  const problem = settings && settingProblems(profile, settings, `${file?.path}.settings`)[0];
  if (problem)
    throw new ConfigError('invalid_config', `${problem.path}: ${problem.text}`, { path: problem.path });
  const subscriptions = destinationRoutes(
    profile,
    settings,
    args.profile === undefined ? file?.subscriptions : undefined,
  );
  const maxOperations = args.maxOperations ?? file?.maxOperations;
  if (maxOperations !== undefined && (maxOperations < 1 || maxOperations > TRACK_LIMITS.maxBatchOperations)) {
    throw new ConfigError(
      'invalid_config',
      `${file?.path}.batch.maxOperations must be from 1 to ${TRACK_LIMITS.maxBatchOperations} (got ${maxOperations})`,
    );
  }
  const base =
    args.endpoint !== undefined || args.region !== undefined
      ? trackApiBase({
          region: args.region,
          endpoint: args.endpoint,
          path: args.endpoint ? '--endpoint' : '--region',
        })
      : trackApiBase({ region: file?.region, endpoint: file?.endpoint, path: file?.path });
  const now = args.now;
  return new MapStream({
    subscriptions: compileSubscriptions(subscriptions, {
      path: file ? `${file.path}.subscriptions` : 'subscriptions',
    }),
    base,
    batch: args.batch,
    maxOperations,
    now: now === undefined ? undefined : () => now,
  });
}
