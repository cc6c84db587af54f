/**
 * `cio-relay regulations delete|suppress ID...`: GDPR/CCPA requests through a running relay's admin
 * API (`POST /admin/regulations`), which erases the people from its store and queues the deletes
 * for Customer.io. Long lists are sent in calls of the API's maximum size, one after the other.
 */
import { parseArgs } from 'node:util';
import { MAX_REGULATION_USERS, type RegulationAnswer } from '../server/admin-regulations.js';
import type { CliIo } from './io.js';

export const HELP = `Usage: cio-relay regulations <delete|suppress> USER_ID... [--url URL] [--token TOKEN]

Deletes (or suppresses: deletes and blocks the identifiers) these people in every Customer.io
destination, and removes their events, queued deliveries, delivery log entries and dead letters
from the relay's store. The deletes are queued in the relay: they reach Customer.io even if it is
down for a while.

Options:
  --url URL            the relay (default $CIO_RELAY_URL, else http://127.0.0.1:8787)
  --token TOKEN        the admin token (default $ADMIN_TOKEN; prefer the variable: a command
                       line is visible to other users of the machine)
  --json               print the relay's answers as JSON lines
  -h, --help           show this help
`;

const TYPES = ['delete', 'suppress'] as const;

export async function run(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.stderr.write(`cio-relay regulations: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [type, ...userIds] = positionals;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (!(TYPES as readonly (string | undefined)[]).includes(type) || userIds.length === 0) {
    io.stderr.write(
      `cio-relay regulations: ${type === undefined || (TYPES as readonly string[]).includes(type) ? 'name at least one user id' : `"${type}" is not delete or suppress`}\n\n${HELP}`,
    );
    return 2;
  }
  const token = values.token ?? io.env['ADMIN_TOKEN'];
  if (!token) {
    io.stderr.write('cio-relay regulations: no admin token: set $ADMIN_TOKEN (or --token)\n');
    return 2;
  }
  const url = (values.url ?? io.env['CIO_RELAY_URL'] ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');

  for (let start = 0; start < userIds.length; start += MAX_REGULATION_USERS) {
    const chunk = userIds.slice(start, start + MAX_REGULATION_USERS);
    const answer = await call(url, token, { type, userIds: chunk });
    if (!answer.ok) {
      const done = start > 0 ? ` (the first ${start} user ids were done)` : '';
      io.stderr.write(`cio-relay regulations: ${answer.message}${done}\n`);
      return 1;
    }
    io.stdout.write(values.json ? `${JSON.stringify(answer.body)}\n` : summary(answer.body));
  }
  return 0;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
}

type Answer = { ok: true; body: RegulationAnswer } | { ok: false; message: string };

async function call(url: string, token: string, body: object): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(`${url}/admin/regulations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    return { ok: false, message: `cannot reach the relay at ${url} (${cause}); is it running? (--url)` };
  }
  const text = await response.text();
  let parsed: { message?: string } | undefined;
  try {
    parsed = JSON.parse(text) as { message?: string };
  } catch {
    parsed = undefined;
  }
  if (response.ok && parsed) return { ok: true, body: parsed as RegulationAnswer };
  const reason = parsed?.message ?? text.slice(0, 200);
  return { ok: false, message: `the relay answered ${response.status}: ${reason}` };
}

function summary(answer: RegulationAnswer): string {
  const { removed } = answer;
  const queued = Object.entries(answer.queued)
    .map(([name, count]) => `${name} (${count})`)
    .join(', ');
  return [
    `${answer.type}: ${answer.people} ${answer.people === 1 ? 'person' : 'people'}`,
    `  removed from the relay: ${removed.events} events, ${removed.jobs} queued deliveries, ${removed.logEntries} delivery log entries, ${removed.deadLetters} dead letters`,
    `  queued for Customer.io: ${queued || 'no destination'}`,
    '',
  ].join('\n');
}
