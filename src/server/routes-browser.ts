/**
 * What Segment's browser SDK (analytics.js 2.0, `@segment/analytics-next`) fetches from Segment's
 * CDN, served by the relay so a website needs no CDN: the snippet's script
 * (`/analytics.js/v1/{writeKey}/analytics.min.js`, the package's standalone build), the chunks that
 * build loads on demand (`/analytics-next/bundles/{name}.bundle.{hash}.js`), and the source settings
 * (`/v1/projects/{writeKey}/settings`), which name a single destination, "Segment.io", whose
 * `apiHost` is this relay: the SDK then posts its events to our `/v1/{t,p,i,...}` ingest routes.
 *
 * An unknown write key is a 404 (as Segment's CDN answers), and the key is never echoed. The
 * settings hold nothing secret: the write key is public in every page that loads the snippet, and
 * no Customer.io credential or destination setting is in them.
 *
 * The bundle comes from the installed package (a dependency of the relay), gzip-compressed copies
 * included; without the package these routes say how to install it, and the settings still work
 * for a site that hosts analytics.js itself.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from './context.js';
import { failure } from './responses.js';

/** The lazily loaded chunks of the standalone build: content-hashed file names only. */
const CHUNK = /^[A-Za-z0-9_-]+\.bundle\.[0-9a-f]{8,}\.js$/;

interface KeyParams {
  writeKey: string;
}

/** The folder of analytics.js's standalone build (dist/umd), or undefined when not installed. */
export function analyticsNextFolder(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve('@segment/analytics-next/package.json');
    return join(dirname(manifest), 'dist', 'umd');
  } catch {
    return undefined;
  }
}

/** `folder`: the standalone build (see analyticsNextFolder), or undefined to answer that it is missing. */
export async function browserRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  folder: string | undefined,
): Promise<void> {
  // The settings are fetched with fetch() from the site's own origin; scripts need no CORS.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('access-control-allow-origin', '*');
  });

  app.get<{ Params: KeyParams }>('/v1/projects/:writeKey/settings', async (request, reply) => {
    if (!knownKey(ctx, request.params.writeKey)) return unknownKey(reply);
    reply.header('cache-control', 'public, max-age=300');
    reply.header('vary', 'x-forwarded-proto');
    return settings(request);
  });

  if (folder === undefined) {
    const missing = async (_request: FastifyRequest, reply: FastifyReply) =>
      reply
        .code(404)
        .send(
          failure(
            'analytics_js_not_installed',
            'the relay serves analytics.js from the @segment/analytics-next package, which is not installed; run npm install @segment/analytics-next and restart (or host analytics.js yourself: the settings are served)',
          ),
        );
    app.get('/analytics.js/v1/:writeKey/analytics.min.js', missing);
    app.get('/analytics-next/bundles/:name', missing);
    return;
  }

  // Only reply.sendFile: each route below decides which file may be sent.
  await app.register(fastifyStatic, { root: folder, serve: false, preCompressed: true });

  app.get<{ Params: KeyParams }>('/analytics.js/v1/:writeKey/analytics.min.js', async (request, reply) => {
    if (!knownKey(ctx, request.params.writeKey)) return unknownKey(reply);
    // Not content-hashed: an upgrade of the package must reach browsers within the hour.
    return reply.sendFile('standalone.js', { maxAge: 3_600_000, immutable: false });
  });

  app.get<{ Params: { name: string } }>('/analytics-next/bundles/:name', async (request, reply) => {
    const { name } = request.params;
    if (!CHUNK.test(name)) {
      return reply
        .code(404)
        .send(failure('not_found', 'no such analytics.js chunk; chunks are named NAME.bundle.HASH.js'));
    }
    return reply.sendFile(name, { maxAge: 31_536_000_000, immutable: true });
  });
}

function knownKey(ctx: ServerContext, writeKey: string): boolean {
  return typeof ctx.lookupSource(writeKey) === 'string';
}

function unknownKey(reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .send(
      failure(
        'unknown_write_key',
        "no source of this relay has this write key; load analytics.js with the write key of one of the relay's sources",
      ),
    );
}

/**
 * The source settings analytics.js reads at load. Events go back to the host the page loaded the
 * settings from, over the same protocol; behind a proxy that ends TLS, `X-Forwarded-Proto: https`
 * keeps them on https (it can only upgrade, so a forged header cannot downgrade anyone).
 */
function settings(request: FastifyRequest): object {
  const https = request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
  return {
    integrations: {
      'Segment.io': {
        apiKey: (request.params as KeyParams).writeKey,
        apiHost: `${request.host}/v1`,
        protocol: https ? 'https' : 'http',
        unbundledIntegrations: [],
        addBundledMetadata: true,
        maybeBundledConfigIds: {},
        versionSettings: { componentTypes: [] },
      },
    },
    plan: {},
    edgeFunction: {},
    analyticsNextEnabled: true,
    middlewareSettings: {},
    enabledMiddleware: {},
    // analytics.js would otherwise report its own metrics to Segment.
    metrics: { sampleRate: 0 },
    legacyVideoPluginsEnabled: false,
    remotePlugins: [],
  };
}
