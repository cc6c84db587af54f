/**
 * The web console's built files (`npm run build` puts them in dist/console) under `/console/`.
 * The files are public: they hold no data and no secret; every data call the console makes goes to
 * the admin API with the admin token. The app routes with the URL hash, so only real files exist.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { failure } from './responses.js';

/** The app may load nothing from elsewhere (no CDN, no third-party script) and runs no inline code. */
const CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

/**
 * Where the built console is: next to the compiled server (dist/server → dist/console), or, when the
 * server runs from its TypeScript sources (tests, tsx), in dist/console of the checkout.
 */
export function consoleFolder(): string | undefined {
  const candidates = ['../console/', '../../dist/console/'].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  return candidates.find((folder) => existsSync(`${folder}index.html`));
}

/** `folder`: the built console (see consoleFolder), or undefined to answer that it is not built. */
export async function consoleRoutes(app: FastifyInstance, folder: string | undefined): Promise<void> {
  if (folder === undefined) {
    app.get('/console*', async (_request, reply) =>
      reply
        .code(404)
        .send(failure('console_not_built', 'the console is not built; run npm run build and restart')),
    );
    return;
  }
  app.get('/console', async (_request, reply) => reply.redirect('/console/'));
  await app.register(fastifyStatic, {
    root: folder,
    prefix: '/console/',
    // Hashed asset names change with their content; index.html must be fetched again each time.
    setHeaders: (reply, path) => {
      reply.header('content-security-policy', CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header(
        'cache-control',
        path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
      );
    },
  });
}
