/**
 * The emulator's own API under `/_emulator/`: read the workspace, the recent requests and the
 * counters; reset; change faults; write the snapshot. Access is checked in `hooks.ts`.
 */
import type { FastifyInstance } from 'fastify';
import { readJsonBody } from './body.js';
import type { ServerContext } from './context.js';
import { rawBody } from './context.js';
import { parseFaultSettings } from './faults.js';
import { inspectError } from './responses.js';
import { saveSnapshot } from './snapshot.js';

const FAULTS_MAX_BYTES = 16 * 1024;

export function registerInspectRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const ws = ctx.workspace;

  app.get('/_emulator/people', async () => {
    const people = ws.people();
    return { count: people.length, people };
  });

  app.get<{ Params: { key: string } }>('/_emulator/people/:key', async (request, reply) => {
    const person = ws.person(request.params.key);
    if (person) return person;
    return reply
      .code(404)
      .send(
        inspectError('not_found', `no person with id, email or cio_id ${JSON.stringify(request.params.key)}`),
      );
  });

  app.get('/_emulator/objects', async () => {
    const objects = ws.objects();
    return { count: objects.length, objects };
  });

  app.get('/_emulator/anonymous', async () => ({ anonymous: ws.anonymous() }));

  app.get('/_emulator/metrics', async () => {
    const metrics = ws.metrics();
    return { count: metrics.length, metrics };
  });

  app.get<{ Querystring: { limit?: string } }>('/_emulator/requests', async (request, reply) => {
    const raw = request.query.limit;
    const limit = raw === undefined ? undefined : Number(raw);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
      return reply
        .code(400)
        .send(inspectError('invalid', `limit must be a positive integer (got ${JSON.stringify(raw)})`));
    }
    const requests = ctx.log.list(limit);
    return { count: requests.length, capacity: ctx.log.capacity, requests };
  });

  app.get('/_emulator/stats', async () => ({ mode: ctx.sink ? 'sink' : 'stateful', ...ctx.stats.value }));

  app.post('/_emulator/reset', async () => {
    // Faults stay as they are: a test typically resets state between cases under one fault setup.
    ws.reset();
    ctx.log.clear();
    ctx.stats.reset();
    return { reset: true };
  });

  app.get('/_emulator/faults', async () => ({ faults: ctx.faults.current() }));

  app.post('/_emulator/faults', async (request, reply) => {
    const read = readJsonBody(rawBody(request), request.headers['content-type'], {
      maxBytes: FAULTS_MAX_BYTES,
      route: '/_emulator/faults',
      required: true,
    });
    if (!read.ok) return reply.code(400).send(inspectError(read.error.reason, read.error.message));
    const parsed = parseFaultSettings(read.value);
    if (!parsed.ok) {
      return reply
        .code(400)
        .send(
          inspectError(
            'invalid_faults',
            `invalid fault settings: ${parsed.errors.join('; ')}`,
            parsed.errors,
          ),
        );
    }
    ctx.faults.set(parsed.settings);
    return { faults: ctx.faults.current() };
  });

  app.post('/_emulator/snapshot', async (_request, reply) => {
    if (!ctx.snapshotFile) {
      return reply
        .code(409)
        .send(
          inspectError(
            'no_snapshot_file',
            'the emulator was started without a snapshot file (--snapshot FILE)',
          ),
        );
    }
    const bytes = await saveSnapshot(ctx.snapshotFile, ws);
    return { file: ctx.snapshotFile, bytes };
  });
}
