/**
 * `GET /admin/live`: server-sent events, one `event` message per stored event as it arrives
 * (`{source, destinations, event}`), a comment every 15 s to keep proxies from closing an idle
 * stream. A client that cannot keep up loses messages rather than growing the relay's memory; it is
 * told how many with a `dropped` message once it catches up. Streams end when the server closes.
 * Browsers read it with fetch (EventSource cannot send the admin token).
 */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from './context.js';
import type { Redactor } from './redact.js';

const HEARTBEAT_MS = 15_000;

export function liveRoute(app: FastifyInstance, ctx: ServerContext, redact: Redactor): void {
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  app.get('/live', (_request, reply) => {
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    const stream = sseStream(out);
    stream.comment('live events of cio-relay');
    const unsubscribe = ctx.live.subscribe((message) => stream.send('event', redact(message)));
    const heartbeat = setInterval(() => stream.comment('ping'), HEARTBEAT_MS);
    heartbeat.unref();
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(end);
      if (!out.writableEnded) out.end();
    };
    open.add(end);
    out.on('close', end);
  });
}

/** What an SSE stream needs of the response (a Node stream's `write` and `drain`). */
export interface SseOutput {
  write(text: string): boolean;
  on(event: 'drain', listener: () => void): unknown;
}

/**
 * Server-sent events over `out`, never buffering more than the socket does: while a write waits
 * for `drain`, messages are counted instead of queued, and the count is sent once it drains.
 */
export function sseStream(out: SseOutput): {
  send(event: string, data: string): void;
  comment(text: string): void;
} {
  let dropped = 0;
  let blocked = false;
  const write = (text: string): boolean => {
    if (blocked) return false;
    blocked = !out.write(text);
    return true;
  };
  out.on('drain', () => {
    blocked = false;
    if (dropped > 0 && write(`event: dropped\ndata: ${dropped}\n\n`)) dropped = 0;
  });
  return {
    send: (event, data) => {
      if (!write(`event: ${event}\ndata: ${data}\n\n`)) dropped++;
    },
    comment: (text) => void write(`: ${text}\n\n`),
  };
}
