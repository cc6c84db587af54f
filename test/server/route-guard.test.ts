/**
 * Every route the server registers is accounted for, so a route added later cannot slip through
 * unguarded: each `/admin` route and `/metrics` answers 401 without the admin token (and with a
 * wrong one, and with a write key); each ingest route 401 without a write key; analytics.js and its
 * settings 404 for an unknown write key in their path; the console's routes only serve its built
 * files (public by design: they hold no data, and every call they make goes to /admin with the
 * token); the probes are the only other open routes. A new route fails this test until
 * its authentication is decided here.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { basic, bearer, type Harness, startServer, WEB_KEY } from './helpers.js';

const registered = vi.hoisted(() => [] as RouteOptions[]);

vi.mock('fastify', async (importOriginal) => {
  const original = await importOriginal<typeof import('fastify')>();
  // The server's own factory, with a hook that sees every route of every plugin as it is added.
  const make = original.fastify as unknown as (...args: unknown[]) => FastifyInstance;
  const factory = ((...args: unknown[]) => {
    const app = make(...args);
    app.addHook('onRoute', (route) => void registered.push(route));
    return app;
  }) as typeof original.fastify;
  return { ...original, fastify: factory, default: factory };
});

/** Open by design: liveness and readiness probes answer without credentials and hold no data. */
const PUBLIC_PROBES = new Set(['/health', '/ready']);
/**
 * What Segment's CDN serves to analytics.js, keyed by the write key in the path (public in every
 * page that loads the snippet): an unknown key is a 404 that names nothing.
 */
const KEYED_BY_PATH = new Set([
  '/v1/projects/:writeKey/settings',
  '/analytics.js/v1/:writeKey/analytics.min.js',
]);
/** analytics.js's own on-demand chunks: public code, no data. */
const PUBLIC_CHUNKS = '/analytics-next/bundles/:name';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function routes(): Array<{ method: string; url: string }> {
  const seen = new Map<string, { method: string; url: string }>();
  for (const route of registered) {
    for (const method of [route.method].flat())
      seen.set(`${method} ${route.url}`, { method, url: route.url });
  }
  return [...seen.values()];
}

/** A concrete path for a route pattern. */
const concrete = (url: string) =>
  url
    .replace(/:name/g, 'production')
    .replace(/:id/g, '1')
    .replace(/:writeKey/g, 'production')
    .replace(/\*/g, 'x');

describe('authentication of every registered route', () => {
  it('admin routes need the admin token, ingest routes a write key; only the console files, analytics.js and probes are open', async () => {
    h = await startServer();
    const all = routes();
    const admin = all.filter((r) => r.url.startsWith('/admin'));
    expect(admin.length).toBeGreaterThan(15);
    expect(all.some((r) => r.url.startsWith('/console'))).toBe(true);

    const unaccounted: string[] = [];
    for (const { method, url } of all) {
      const path = concrete(url);
      const inject = (authorization?: string) =>
        h!.app.inject({
          method: method as 'GET',
          url: path,
          headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
          ...(method !== 'GET' && method !== 'HEAD' && { payload: '{}' }),
        });
      if (KEYED_BY_PATH.has(url)) {
        const response = await inject();
        expect(response.statusCode, `${method} ${path} with an unknown write key`).toBe(404);
        expect(response.body).not.toContain('production');
      } else if (url === PUBLIC_CHUNKS) {
        expect(method, `${url}: chunks are only read`).toMatch(/^(GET|HEAD)$/);
      } else if (url.startsWith('/admin') || url === '/metrics') {
        for (const authorization of [undefined, bearer('not-the-token'), basic(WEB_KEY)]) {
          const response = await inject(authorization);
          expect(response.statusCode, `${method} ${path} with ${authorization ?? 'no credentials'}`).toBe(
            401,
          );
        }
      } else if (url.startsWith('/v1')) {
        // CORS preflights are answered for browsers' SDKs; they accept nothing.
        if (method === 'OPTIONS') continue;
        expect((await inject()).statusCode, `${method} ${path} without a write key`).toBe(401);
      } else if (url === '/console' || url.startsWith('/console/')) {
        expect(['GET', 'HEAD'], `${method} ${url}: the console serves files only`).toContain(method);
      } else if (!PUBLIC_PROBES.has(url)) {
        unaccounted.push(`${method} ${url}`);
      }
    }
    expect(
      unaccounted,
      'routes outside /admin, /v1, /console and the probes: decide their authentication and add them to this test',
    ).toEqual([]);
  });

  it('the console shell is public, and the data it shows is not', async () => {
    h = await startServer();
    const shell = await h.app.inject({ method: 'GET', url: '/console/' });
    expect(shell.statusCode).toBe(200);
    expect(shell.headers['content-type']).toMatch(/text\/html/);
    const data = await h.app.inject({ method: 'GET', url: '/admin/destinations' });
    expect(data.statusCode).toBe(401);
  });
});
