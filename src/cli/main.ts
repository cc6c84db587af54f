/**
 * `cio-relay <command>`: dispatches to one module per command. Each command module exports
 * `run(args, io)` and returns the process exit code; modules are loaded lazily so that a quick
 * command (`map`) does not pay for loading the server.
 */
import type { CliIo } from './io.js';
import { processIo } from './io.js';

interface CommandModule {
  run(args: string[], io: CliIo): Promise<number>;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  serve: {
    summary: 'run the relay (a demo with a local emulator when nothing is configured)',
    load: () => import('./serve.js'),
  },
  dlq: { summary: 'list, show, replay or drop dead letters', load: () => import('./dlq.js') },
  send: {
    summary: 'send a file of NDJSON events to a relay (a backfill), or straight into its store',
    load: () => import('./send.js'),
  },
  map: {
    summary: 'print the Customer.io requests that NDJSON events would trigger',
    load: () => import('./map.js'),
  },
  emulator: {
    summary: 'run a local Customer.io Track API (state, inspection, fault injection)',
    load: () => import('./emulator.js'),
  },
  regulations: {
    summary: 'delete or suppress people (GDPR/CCPA) through a running relay',
    load: () => import('./regulations.js'),
  },
  'check-config': { summary: 'validate a relay configuration file', load: () => import('./check-config.js') },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: cio-relay <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun \`cio-relay <command> --help\` for a command's options.\n`;
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`cio-relay: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest, io);
}
