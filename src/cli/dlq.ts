/**
 * `cio-relay dlq list|show|replay|drop`: the dead letters, read from and changed in the store
 * directly (the relay may be running: SQLite's WAL, or PostgreSQL, lets both work on it, and a running
 * relay picks replayed jobs up within a second). Replay maps the events again with the subscriptions in force
 * when they are delivered, so fixing a mapping and then replaying works.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import type { RelayConfig } from '../config/types.js';
import { ConfigError, configErrorText } from '../errors.js';
import { openStore } from '../relay/open-store.js';
import type { DeadLetter, DeadLetterSelection, Store } from '../store/types.js';
import { replayWithProgress } from './dlq-replay.js';
import type { CliIo } from './io.js';

export const HELP = `Usage: cio-relay dlq <list|show|replay|drop> (--config FILE | --db FILE) [options]

  list                 dead letters, oldest first (--destination, --limit, --after ID)
  show ID              one dead letter: event, error, request sent and response received
  replay (ID... | --destination NAME | --all)
                       queue them again as fresh deliveries (mapped with today's subscriptions)
  drop (ID... | --destination NAME | --all)
                       delete them for good

Options:
  --config FILE        the relay's configuration (its store is used); also $CIO_RELAY_CONFIG
  --db FILE            the SQLite store directly (e.g. ./data/demo.db for the demo)
  --destination NAME   only this destination's dead letters
  --all                every dead letter (replay and drop)
  --limit N            list at most N (default 50, at most 1000)
  --after ID           list those after this id (paging)
  --json               print JSON lines instead of a table
  --progress-every S   replay: seconds between progress lines when standard error is not a
                       terminal (default 10); on a terminal a progress bar is drawn instead
  -h, --help           show this help
`;

const OPTIONS = {
  config: { type: 'string' },
  db: { type: 'string' },
  destination: { type: 'string' },
  all: { type: 'boolean' },
  limit: { type: 'string' },
  after: { type: 'string' },
  json: { type: 'boolean' },
  'progress-every': { type: 'string', default: '10' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

export async function run(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.stderr.write(`cio-relay dlq: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    (values.help ? io.stdout : io.stderr).write(HELP);
    return values.help ? 0 : 2;
  }
  let store: Store | undefined;
  try {
    store = await openStore(storeConfig(values, io.env), { warn: () => undefined });
    return await dispatch(command, rest, values, store, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`cio-relay dlq: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr.write(`cio-relay dlq: ${configErrorText(error)}\n`);
      return 1;
    }
    throw error;
  } finally {
    await store?.close();
  }
}

function parse(args: string[]) {
  return parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true });
}

type Values = ReturnType<typeof parse>['values'];

function storeConfig(values: Values, env: NodeJS.ProcessEnv): RelayConfig['store'] {
  if (values.db) return { sqlite: values.db };
  const file = values.config ?? env['CIO_RELAY_CONFIG'];
  if (!file) throw new UsageError('say which store: --config FILE (the relay configuration) or --db FILE');
  return loadConfig(file, env).store;
}

async function dispatch(
  command: string,
  ids: string[],
  values: Values,
  store: Store,
  io: CliIo,
): Promise<number> {
  switch (command) {
    case 'list': {
      const letters = await store.listDeadLetters({
        ...(values.destination && { destination: values.destination }),
        ...(values.after && { afterId: integer('--after', values.after) }),
        limit: values.limit ? integer('--limit', values.limit) : 50,
      });
      io.stdout.write(values.json ? jsonLines(letters) : table(letters));
      return 0;
    }
    case 'show': {
      if (ids.length !== 1) throw new UsageError('show takes one dead letter id');
      const letter = await store.getDeadLetter(integer('id', ids[0]!));
      if (!letter) {
        io.stderr.write(`cio-relay dlq: no dead letter ${ids[0]} (see cio-relay dlq list)\n`);
        return 1;
      }
      io.stdout.write(`${JSON.stringify(readable(letter), null, 2)}\n`);
      return 0;
    }
    case 'replay':
    case 'drop': {
      const selection = select(ids, values);
      const count =
        command === 'replay'
          ? await replayWithProgress(store, selection, {
              stream: io.stderr,
              intervalMs: seconds('--progress-every', values['progress-every']) * 1000,
            })
          : await store.dropDeadLetters(selection);
      io.stdout.write(
        `${command === 'replay' ? 'replayed' : 'dropped'} ${count} dead letter${count === 1 ? '' : 's'}\n`,
      );
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}": use list, show, replay or drop`);
  }
}

function select(ids: string[], values: Values): DeadLetterSelection {
  if (ids.length > 0) return { ids: ids.map((id) => integer('id', id)) };
  if (values.destination) return { destination: values.destination };
  if (values.all) return { all: true };
  throw new UsageError('say which dead letters: their ids, --destination NAME, or --all');
}

function seconds(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${name} must be a number of seconds above 0 (got ${JSON.stringify(text)})`);
  }
  return value;
}

function integer(name: string, text: string): number {
  if (!/^\d+$/.test(text))
    throw new UsageError(`${name} must be a positive integer (got ${JSON.stringify(text)})`);
  return Number(text);
}

/** A dead letter with its JSON texts parsed, for reading. */
function readable(letter: DeadLetter): unknown {
  const parse = (text: string | undefined) => {
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  };
  return {
    ...letter,
    event: parse(letter.event),
    ...(letter.exchange && {
      exchange: {
        ...letter.exchange,
        requestBody: parse(letter.exchange.requestBody),
        responseBody: parse(letter.exchange.responseBody),
      },
    }),
  };
}

function jsonLines(letters: DeadLetter[]): string {
  return letters.map((letter) => `${JSON.stringify(readable(letter))}\n`).join('');
}

function table(letters: DeadLetter[]): string {
  if (letters.length === 0) return 'no dead letters\n';
  const rows = letters.map((l) => [
    String(l.id),
    new Date(l.deadAt).toISOString(),
    l.destination,
    l.personKey,
    l.messageId,
    `${l.error.code}: ${l.error.message}`.slice(0, 100),
  ]);
  const header = ['id', 'dead at', 'destination', 'person', 'messageId', 'error'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
