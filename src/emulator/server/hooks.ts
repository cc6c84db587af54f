/**
 * Request lifecycle hooks. For Track API paths: count, check Basic auth, then apply the fault
 * decision (drop, hang, latency, 429, 5xx) before the body is even read, and finally record the
 * exchange. The after-apply faults let the route apply the request and then reset the connection
 * or withhold the answer, as when Customer.io took a batch but its answer never arrived. For `/_emulator/` paths: the access rule (loopback peers free, others need Basic auth).
 */
import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLoopbackAddress } from './auth.js';
import type { RequestState, ServerContext } from './context.js';
import { isApiPath, isInspectPath, rawBody } from './context.js';
import { bodyText, redactHeaders } from './request-log.js';
import { inspectError, metaError, UNAUTHORIZED } from './responses.js';
import { countStatus } from './stats.js';

export function registerHooks(app: FastifyInstance, ctx: ServerContext): void {
  app.addHook('onRequest', async (request, reply) => {
    if (isApiPath(request.url)) return guardApi(ctx, request, reply);
    if (isInspectPath(request.url)) return guardInspect(ctx, request, reply);
    return undefined;
  });

  if (ctx.log.capacity > 0) {
    app.addHook('onSend', (request, _reply, payload, done) => {
      const state = ctx.requests.get(request);
      if (state && typeof payload === 'string') state.response = payload;
      done(null, payload);
    });
  }

  app.addHook('onSend', async (request, _reply, payload) => {
    const state = ctx.requests.get(request);
    if (state?.afterApply) await withholdAnswer(ctx, request, state);
    return payload;
  });

  app.addHook('onResponse', (request, reply, done) => {
    const state = ctx.requests.get(request);
    if (state && !state.recorded) {
      countStatus(ctx.stats.value, reply.statusCode);
      ctx.stats.value.requests.bodyBytes += rawBody(request)?.length ?? 0;
      record(ctx, request, state, reply.statusCode);
    }
    done();
  });
}

async function guardApi(
  ctx: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  const state: RequestState = { arrivedAt: ctx.now(), startedMs: performance.now() };
  ctx.requests.set(request, state);
  const stats = ctx.stats.value;
  stats.requests.total += 1;

  if (!ctx.checkAuth(request.headers.authorization)) {
    stats.requests.unauthorized += 1;
    return reply.code(401).send(UNAUTHORIZED);
  }

  const { action, latencyMs } = ctx.faults.decide(performance.now());
  const socket = request.raw.socket;
  if (action.kind === 'drop') {
    stats.faults.dropped += 1;
    state.fault = 'drop';
    reply.hijack();
    record(ctx, request, state, null);
    socket.destroy();
    return reply;
  }
  if (action.kind === 'hang') {
    stats.faults.hung += 1;
    state.fault = 'hang';
    reply.hijack();
    record(ctx, request, state, null);
    // Held until the client gives up (closes) or the emulator closes and destroys it.
    ctx.hung.add(socket);
    socket.once('close', () => ctx.hung.delete(socket));
    return reply;
  }
  if (action.kind === 'after_apply') {
    state.afterApply = action.then;
    state.fault = action.then === 'reset' ? 'reset_after_apply' : 'hang_after_apply';
  }
  if (latencyMs > 0 && !(await sleep(latencyMs, ctx.shutdown))) {
    // Closing while delayed: leave nothing half-answered behind.
    reply.hijack();
    socket.destroy();
    return reply;
  }
  if (action.kind === 'rate_limited') {
    if (action.source === 'limit') stats.faults.throttled += 1;
    else stats.faults.rateLimited += 1;
    state.fault = action.source === 'limit' ? 'rate_limit' : 'rate_limited';
    if (action.retryAfterSeconds !== null) reply.header('retry-after', String(action.retryAfterSeconds));
    return reply
      .code(429)
      .header('x-emulator-fault', state.fault)
      .send(metaError('Too many requests; retry later'));
  }
  if (action.kind === 'error') {
    stats.faults.errors += 1;
    state.fault = 'error';
    return reply
      .code(action.status)
      .header('x-emulator-fault', 'error')
      .send(metaError(`Injected error ${action.status} (emulator fault injection)`));
  }
  return undefined;
}

/**
 * The request was applied: log it without a status, then reset its connection, or hold the answer
 * until the client gives up (or the emulator closes). Whatever Fastify writes afterwards goes
 * nowhere.
 */
function withholdAnswer(ctx: ServerContext, request: FastifyRequest, state: RequestState): Promise<void> {
  const socket = request.raw.socket;
  record(ctx, request, state, null);
  state.recorded = true;
  ctx.stats.value.requests.bodyBytes += rawBody(request)?.length ?? 0;
  if (state.afterApply === 'reset') {
    ctx.stats.value.faults.resetAfterApply += 1;
    socket.destroy();
    return Promise.resolve();
  }
  ctx.stats.value.faults.hungAfterApply += 1;
  if (socket.destroyed) return Promise.resolve();
  ctx.hung.add(socket);
  return new Promise((resolve) =>
    socket.once('close', () => {
      ctx.hung.delete(socket);
      resolve();
    }),
  );
}

async function guardInspect(
  ctx: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  // Loopback callers are the developer's own machine. Anyone else reaching a non-loopback bind
  // address could read bodies or reset state, so they must present the workspace credentials.
  if (isLoopbackAddress(request.raw.socket.remoteAddress)) return undefined;
  if (ctx.checkAuth(request.headers.authorization)) return undefined;
  return reply
    .code(401)
    .send(
      inspectError(
        'unauthorized',
        '/_emulator/ needs Basic auth with the workspace site id and api key when called from another host',
      ),
    );
}

function record(
  ctx: ServerContext,
  request: FastifyRequest,
  state: RequestState,
  status: number | null,
): void {
  if (ctx.log.capacity === 0) return;
  ctx.log.add({
    time: new Date(state.arrivedAt).toISOString(),
    method: request.method,
    path: request.url,
    status,
    ...(state.fault ? { fault: state.fault } : {}),
    headers: redactHeaders(request.headers),
    ...bodyText(rawBody(request)),
    ...(state.response !== undefined ? { response: parseMaybe(state.response) } : {}),
    durationMs: Math.round((performance.now() - state.startedMs) * 100) / 100,
  });
}

function parseMaybe(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Resolves true after `ms`, or false at once if `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(false);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
