/**
 * `cio-relay check-config FILE`: validate a relay configuration without starting anything. Prints
 * a summary (never a credential) and exits 0, or prints every problem and exits 1.
 */
import { parseArgs } from 'node:util';
import { InvalidConfigError, loadConfig, type RelayConfig } from '../config/index.js';
import type { DestinationConfig } from '../config/types.js';
import { ConfigError, configErrorText } from '../errors.js';
import { isFilterRule, type SubscriptionConfig } from '../profiles/index.js';
import { describeStore } from '../relay/open-store.js';
import type { CliIo } from './io.js';

const HELP = `Usage: cio-relay check-config FILE

Reads a relay configuration (YAML, or JSON if FILE ends in .json), substitutes \${VAR} and
\${VAR:-default} from the environment, and checks everything the relay checks when it starts:
types and bounds of every key, unknown keys, unique names and write keys, the sources each
destination names, endpoints, and every subscription's trigger and mapping.

Exits 0 and prints a summary when the configuration is valid, or exits 1 and prints every
problem, one per line, each starting with its key path. Credentials are never printed.
See docs/configuration.md for every key.

Options:
  -h, --help    show this help
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  let file: string;
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    if (positionals.length !== 1) throw new Error('expected one configuration file');
    file = positionals[0]!;
  } catch (error) {
    io.stderr.write(
      `cio-relay check-config: ${(error as Error).message}\n\nRun \`cio-relay check-config --help\` for usage.\n`,
    );
    return 2;
  }

  let config: RelayConfig;
  try {
    config = loadConfig(file, io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (error instanceof InvalidConfigError) {
      const n = error.problems.length;
      io.stderr.write(
        `cio-relay check-config: ${file} has ${n} problem${n === 1 ? '' : 's'}:\n${error.message}\n`,
      );
    } else {
      io.stderr.write(`cio-relay check-config: ${configErrorText(error)}\n`);
    }
    return 1;
  }
  io.stdout.write(summary(file, config));
  return 0;
}

/** What the relay would run with: enough to spot a wrong region or source, no secret. */
function summary(file: string, config: RelayConfig): string {
  const lines = [
    `${file} is valid.`,
    `server ${config.server.host}:${config.server.port}; store ${describeStore(config.store)}; ` +
      `admin API ${config.admin.token ? 'on (token set)' : 'closed (no admin.token)'}; ` +
      `dedupe ${config.dedupe.windowMs > 0 ? `over ${hours(config.dedupe.windowMs)}` : 'off'}`,
    `sources (${config.sources.length}): ${config.sources.map((s) => s.name).join(', ')}`,
    `destinations (${config.destinations.length}):`,
  ];
  const allSources = config.sources.length;
  for (const d of config.destinations) lines.push(...destinationLines(d, allSources));
  return `${lines.join('\n')}\n`;
}

function destinationLines(d: DestinationConfig, allSources: number): string[] {
  const where = d.endpoint === undefined ? `region ${d.region} (${d.base})` : `endpoint ${d.base}`;
  const own = d.subscriptions.filter((s): s is SubscriptionConfig => !isFilterRule(s));
  const filters = d.subscriptions.length - own.length;
  const disabled = own.filter((s) => s.enabled === false).length;
  const subscriptions =
    (d.presets
      ? `profile ${d.profile} (${own.length} preset subscriptions)`
      : `${own.length} subscriptions${disabled > 0 ? ` (${disabled} disabled)` : ''}`) +
    (filters > 0 ? `, ${filters} filter rule${filters === 1 ? '' : 's'} of profile ${d.profile}` : '');
  const sources = d.sources.length === allSources ? 'all sources' : `sources ${d.sources.join(', ')}`;
  return [
    `  ${d.name}: ${where}; ${subscriptions}; from ${sources}`,
    `    batch ≤ ${d.batch.maxOperations} operations, ≤ ${d.batch.maxBytes} bytes, linger ${d.batch.lingerMs} ms; ` +
      `${d.rateLimit.requestsPerSecond} requests/s, ${d.concurrency} in flight, timeout ${d.timeoutMs} ms; ` +
      `${d.ordering ? 'in order per person' : 'unordered'}`,
    `    retry ${d.retry.minBackoffMs} ms to ${d.retry.maxBackoffMs} ms apart; dead letter after ` +
      `${hours(d.retry.maxAgeMs)} and ${d.retry.minAttempts} attempts`,
  ];
}

function hours(ms: number): string {
  return `${Number((ms / 3_600_000).toFixed(2))} h`;
}
