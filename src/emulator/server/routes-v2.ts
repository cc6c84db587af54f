/**
 * Track API v2: `POST /api/v2/entity` (one operation) and `POST /api/v2/batch` (`{batch:[...]}`,
 * applied item by item in order; bad items are listed in a 207 while the good ones apply).
 */
import type { FastifyInstance } from 'fastify';
import type { OperationResult, V2Options } from '../contract.js';
import { LIMITS } from '../contract.js';
import { jsonBytes, readJsonBody } from './body.js';
import type { ServerContext } from './context.js';
import { rawBody } from './context.js';
import { v2Errors } from './responses.js';

interface BatchError {
  batch_index: number;
  reason: string;
  field: string;
  message: string;
}

export function registerV2Routes(app: FastifyInstance, ctx: ServerContext): void {
  const operations = () => ctx.stats.value.operations;

  app.post('/api/v2/entity', async (request, reply) => {
    const read = readJsonBody(rawBody(request), request.headers['content-type'], {
      maxBytes: LIMITS.entityBytes,
      route: '/api/v2/entity',
      required: true,
    });
    if (!read.ok) {
      operations().rejected += 1;
      return reply.code(400).send(v2Errors(read.error));
    }
    const result = run(ctx, read.value);
    if (result.ok) {
      operations().accepted += 1;
      return reply.code(200).send({});
    }
    operations().rejected += 1;
    const { reason, field, message } = result;
    return reply.code(reason === 'emulator_error' ? 500 : 400).send(v2Errors({ reason, field, message }));
  });

  app.post('/api/v2/batch', async (request, reply) => {
    const read = readJsonBody(rawBody(request), request.headers['content-type'], {
      maxBytes: LIMITS.batchBytes,
      route: '/api/v2/batch',
      required: true,
    });
    if (!read.ok) return reply.code(400).send(v2Errors(read.error));
    const body = read.value;
    const batch =
      typeof body === 'object' && body !== null && !Array.isArray(body)
        ? (body as { batch?: unknown }).batch
        : undefined;
    if (!Array.isArray(batch)) {
      return reply.code(400).send(
        v2Errors({
          reason: 'required',
          field: 'batch',
          message: 'the body must be a JSON object with a "batch" array of operations',
        }),
      );
    }
    if (batch.length === 0) {
      return reply
        .code(400)
        .send(
          v2Errors({ reason: 'required', field: 'batch', message: 'batch must hold at least one operation' }),
        );
    }
    // An item's compact JSON is rarely longer than the raw body it came from (only numbers such as
    // 1e20 grow), so items of a body over 32 KB are measured here, with a message giving their
    // size, and the workspace is handed that size instead of measuring again. Items of a smaller
    // body are left to the workspace, which checks every operation it is not given a size for.
    const mayHoldLargeItems = read.bytes > LIMITS.entityBytes;
    const errors: BatchError[] = [];
    batch.forEach((op: unknown, index) => {
      let options: V2Options = {};
      if (mayHoldLargeItems) {
        const size = jsonBytes(op);
        if (size > LIMITS.entityBytes) {
          errors.push({
            batch_index: index,
            reason: 'too_large',
            field: '',
            message: `operation is ${size} bytes; each batch operation may be at most ${LIMITS.entityBytes} bytes`,
          });
          return;
        }
        options = { bytes: size };
      }
      const result = run(ctx, op, options);
      if (!result.ok) {
        errors.push({
          batch_index: index,
          reason: result.reason,
          field: result.field,
          message: result.message,
        });
      }
    });
    operations().accepted += batch.length - errors.length;
    operations().rejected += errors.length;
    return errors.length === 0 ? reply.code(200).send({}) : reply.code(207).send({ errors });
  });
}

/**
 * Apply one operation, or in sink mode only run the stateless checks: a sink keeps no state, so it
 * must not refuse a merge or a cio_id for not knowing the person (`validateV2` would).
 * A throw is an emulator bug, not bad input: it becomes this operation's error so one bug cannot
 * turn a whole batch into a retried 5xx.
 */
function run(ctx: ServerContext, op: unknown, options: V2Options = {}): OperationResult {
  try {
    return ctx.sink ? ctx.workspace.validateV2Shape(op, options) : ctx.workspace.applyV2(op, options);
  } catch (err) {
    return {
      ok: false,
      reason: 'emulator_error',
      field: '',
      message: `emulator bug while handling this operation: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}
