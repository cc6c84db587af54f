/**
 * `cio-relay serve`: run the relay until SIGINT/SIGTERM, then stop gracefully (stop accepting,
 * finish deliveries in progress, close the store); SIGHUP reloads the file (reload-on-hup.ts).
 *
 * Where the configuration comes from, in order: `--config FILE` (or $CIO_RELAY_CONFIG); else the
 * environment when it has Customer.io credentials ($CIO_SITE_ID, $CIO_API_KEY, $WRITE_KEY, ...);
 * else a demo: the relay plus an in-process emulator, with the write key to use printed.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { demoConfig, loadConfig, validateConfig } from '../config/index.js';
import type { RelayConfig } from '../config/types.js';
import { createEmulator, type Emulator } from '../emulator/index.js';
import { ConfigError, configErrorText } from '../errors.js';
import { createLogger } from '../relay/logger.js';
import { describeStore } from '../relay/open-store.js';
import { type Relay, startRelay } from '../relay/relay.js';
import type { CliIo } from './io.js';
import { reloadOnHup } from './reload-on-hup.js';

export const HELP = `Usage: cio-relay serve [--config FILE] [--port N]

Runs the relay: Segment-compatible ingest on /v1/*, durable queue, delivery to Customer.io,
admin API on /admin. Stops gracefully on Ctrl-C (SIGINT) or SIGTERM; SIGHUP reads the
configuration file again (what cannot change live is named in the log).

Configuration, first found wins:
  --config FILE        a YAML or JSON file (see examples/relay.yaml); also $CIO_RELAY_CONFIG
  environment          $CIO_SITE_ID, $CIO_API_KEY and $WRITE_KEY (optional: $CIO_REGION us|eu,
                       $CIO_ENDPOINT (https, or http with $CIO_ALLOW_INSECURE_ENDPOINT=true),
                       $ADMIN_TOKEN, $PORT, $CIO_RELAY_DB, or $DATABASE_URL for PostgreSQL)
  (none)               a demo: the relay plus a local Customer.io emulator, write key printed

Options:
  --port N             listen on this port instead of the configured one
  --emulator-port N    demo only: the emulator's port (default 9090)
  -h, --help           show this help
`;

const DEMO_WRITE_KEY = 'demo-write-key';
const DEMO_SITE_ID = 'demo-site';

export async function run(args: string[], io: CliIo): Promise<number> {
  let values: { config?: string; port?: string; 'emulator-port'?: string; help?: boolean };
  try {
    values = parseArgs({
      args,
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        'emulator-port': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    io.stderr.write(`cio-relay serve: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const port = values.port === undefined ? undefined : portNumber(values.port);
  const emulatorPort = values['emulator-port'] === undefined ? 9090 : portNumber(values['emulator-port']);
  if (port === null || emulatorPort === null) {
    io.stderr.write('cio-relay serve: a port must be an integer from 0 to 65535\n');
    return 2;
  }

  const logger = createLogger();
  let emulator: Emulator | undefined;
  let config: RelayConfig;
  let demoKeys: { writeKey: string; adminToken: string } | undefined;
  const file = values.config || io.env['CIO_RELAY_CONFIG'] || undefined;
  try {
    if (file) config = loadConfig(file, io.env);
    else if (io.env['CIO_SITE_ID'] || io.env['CIO_API_KEY']) config = configFromEnv(io.env);
    else {
      const apiKey = randomBytes(16).toString('hex');
      demoKeys = { writeKey: DEMO_WRITE_KEY, adminToken: randomBytes(16).toString('hex') };
      try {
        emulator = await createEmulator({
          siteId: DEMO_SITE_ID,
          apiKey,
          port: emulatorPort,
          host: '127.0.0.1',
        });
      } catch (error) {
        io.stderr.write(
          `cio-relay serve: cannot start the demo emulator: ${startError(error, '--emulator-port')}\n`,
        );
        return 1;
      }
      config = demoConfig({
        port: port ?? 8787,
        emulatorUrl: emulator.url,
        siteId: DEMO_SITE_ID,
        apiKey,
        writeKey: demoKeys.writeKey,
        adminToken: demoKeys.adminToken,
        sqlite: io.env['CIO_RELAY_DB'] ?? './data/demo.db',
      });
    }
  } catch (error) {
    await emulator?.close();
    if (error instanceof ConfigError) {
      io.stderr.write(`cio-relay serve: ${configErrorText(error)}\n`);
      return 1;
    }
    throw error;
  }
  const withPort = (c: RelayConfig) => (port === undefined ? c : { ...c, server: { ...c.server, port } });
  config = withPort(config);

  let relay: Relay;
  try {
    relay = await startRelay({ config, logger });
  } catch (error) {
    await emulator?.close();
    io.stderr.write(`cio-relay serve: cannot start: ${startError(error, '--port')}\n`);
    return 1;
  }
  io.stdout.write(banner(relay, config, emulator, demoKeys));
  const stopReloading = reloadOnHup(
    relay,
    { file, load: (f) => loadConfig(f, io.env), adjust: withPort },
    logger,
  );

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      logger.info('stopping: no new events accepted, finishing deliveries in progress');
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  stopReloading();
  await relay.close();
  await emulator?.close();
  logger.flush();
  return 0;
}

/** Why a listener could not start, with the way out when the port is taken. */
function startError(error: unknown, flag: string): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return code === 'EADDRINUSE'
    ? `${message}; stop the other process or choose another port with ${flag} N`
    : message;
}

function portNumber(text: string): number | null {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  return Number.isInteger(value) && value >= 0 && value <= 65_535 ? value : null;
}

/** A one-source, one-destination configuration from environment variables. */
function configFromEnv(env: NodeJS.ProcessEnv): RelayConfig {
  const destination: Record<string, unknown> = {
    name: 'customerio',
    siteId: env['CIO_SITE_ID'],
    apiKey: env['CIO_API_KEY'],
  };
  if (env['CIO_REGION']) destination['region'] = env['CIO_REGION'];
  if (env['CIO_ENDPOINT']) destination['endpoint'] = env['CIO_ENDPOINT'];
  if (env['CIO_ALLOW_INSECURE_ENDPOINT'] === 'true') destination['allowInsecureEndpoint'] = true;
  if (!env['WRITE_KEY']) {
    throw new ConfigError(
      'missing_variable',
      'WRITE_KEY is not set: export the write key your SDKs will send (any secret string), or use --config FILE',
    );
  }
  const raw: Record<string, unknown> = {
    sources: [{ name: 'default', writeKey: env['WRITE_KEY'] }],
    destinations: [destination],
  };
  if (env['PORT']) raw['server'] = { port: Number(env['PORT']) };
  if (env['ADMIN_TOKEN']) raw['admin'] = { token: env['ADMIN_TOKEN'] };
  if (env['CIO_RELAY_DB']) raw['store'] = { sqlite: env['CIO_RELAY_DB'] };
  if (env['DATABASE_URL']) raw['store'] = { postgres: env['DATABASE_URL'] };
  return validateConfig(raw, {});
}

function banner(
  relay: Relay,
  config: RelayConfig,
  emulator: Emulator | undefined,
  demo: { writeKey: string; adminToken: string } | undefined,
): string {
  const lines = [`cio-relay listening on ${relay.url}`];
  for (const d of config.destinations) {
    lines.push(`  destination ${d.name} → ${d.base} (${d.subscriptions.length} subscriptions)`);
  }
  lines.push(`  store ${describeStore(config.store)}`);
  if (emulator && demo) {
    lines.push(
      '',
      'Demo mode: no configuration and no Customer.io credentials, so events go to a local emulator.',
      `  emulator      ${emulator.url}  (see ${emulator.url}/_emulator/people)`,
      `  write key     ${demo.writeKey}`,
      `  admin token   ${demo.adminToken}`,
      '',
      'Try:',
      `  curl -u ${demo.writeKey}: ${relay.url}/v1/track -H 'content-type: application/json' \\`,
      `    -d '{"userId":"u1","event":"Signed Up","properties":{"plan":"pro"}}'`,
      `  curl ${emulator.url}/_emulator/people`,
    );
  }
  return `${lines.join('\n')}\n`;
}
