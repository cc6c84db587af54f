/**
 * A loopback HTTP gateway in front of the relay that loses the answers of the first requests: it
 * forwards each request unchanged (body, gzip and all), lets the relay commit and answer, and then
 * answers the client 503 instead, as a load balancer does when its upstream answer times out. The
 * SDK retries the same batch, and only the relay's messageId dedupe keeps the events from being
 * delivered twice. It records what each SDK actually sent (path, encoding, events per request).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface Exchange {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The request body as the relay reads it (decompressed), parsed. */
  body: unknown;
  /** The relay's own answer, whatever the client was told. */
  relayStatus: number;
  relayAnswer: unknown;
  /** What the client was told. */
  clientStatus: number;
}

export interface LossyGateway {
  url: string;
  /** Every POST that went through, in order. */
  exchanges: Exchange[];
  close(): Promise<void>;
}

/** Loses the relay's answer to the first `loseFirst` POSTs (they are committed all the same). */
export async function startLossyGateway(relayUrl: string, loseFirst: number): Promise<LossyGateway> {
  const exchanges: Exchange[] = [];
  let posts = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      // Hop-by-hop and length headers belong to each connection; fetch sets its own.
      const forwarded = { ...request.headers };
      for (const name of ['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']) {
        delete forwarded[name];
      }
      const lose = request.method === 'POST' && posts++ < loseFirst;
      fetch(relayUrl + request.url, {
        method: request.method ?? 'GET',
        headers: forwarded as Record<string, string>,
        ...(raw.length > 0 && { body: raw }),
      })
        .then(async (upstream) => {
          const text = await upstream.text();
          const clientStatus = lose ? 503 : upstream.status;
          if (request.method === 'POST') {
            exchanges.push({
              method: request.method,
              path: request.url ?? '',
              headers: request.headers,
              body: parse(request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw),
              relayStatus: upstream.status,
              relayAnswer: parse(Buffer.from(text)),
              clientStatus,
            });
          }
          if (lose) {
            response.writeHead(503, { 'content-type': 'application/json' });
            response.end('{"success":false,"code":"gateway","message":"upstream answer lost"}');
            return;
          }
          const headers: Record<string, string> = {};
          for (const name of ['content-type', 'retry-after']) {
            const value = upstream.headers.get(name);
            if (value !== null) headers[name] = value;
          }
          response.writeHead(upstream.status, headers);
          response.end(text);
        })
        .catch((error: unknown) => {
          response.writeHead(502, { 'content-type': 'text/plain' });
          response.end(String(error));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parse(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return bytes.toString('utf8');
  }
}
