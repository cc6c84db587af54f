/**
 * What the relay serves in place of Segment's CDN for analytics.js: the source settings, the
 * standalone bundle and its chunks; unknown write keys refused without being echoed.
 */
import { readdirSync } from 'node:fs';
import { fastify } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/server/context.js';
import { analyticsNextFolder, browserRoutes } from '../../src/server/routes-browser.js';
import { type Harness, SECRETS, startServer, WEB_KEY } from './helpers.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startServer();
});
afterAll(() => harness.close());

const UNKNOWN = 'wk_not_a_source_9f8e7d6c';

describe('analytics.js settings', () => {
  it('names only Segment.io, sending events back to this relay over the protocol of the request', async () => {
    const response = await harness.app.inject({
      url: `/v1/projects/${WEB_KEY}/settings`,
      headers: { host: 'relay.example.com:8787' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    const settings = response.json();
    expect(Object.keys(settings.integrations)).toEqual(['Segment.io']);
    expect(settings.integrations['Segment.io']).toMatchObject({
      apiKey: WEB_KEY,
      apiHost: 'relay.example.com:8787/v1',
      protocol: 'http',
    });
    // analytics.js would otherwise send its own metrics to Segment.
    expect(settings.metrics.sampleRate).toBe(0);
    for (const secret of SECRETS.filter((s) => s !== WEB_KEY)) expect(response.body).not.toContain(secret);
  });

  it('keeps events on https behind a proxy that ends TLS (X-Forwarded-Proto)', async () => {
    const response = await harness.app.inject({
      url: `/v1/projects/${WEB_KEY}/settings`,
      headers: { host: 'relay.example.com', 'x-forwarded-proto': 'https' },
    });
    expect(response.json().integrations['Segment.io']).toMatchObject({
      apiHost: 'relay.example.com/v1',
      protocol: 'https',
    });
  });

  it('answers 404 for a write key no source has, without echoing it', async () => {
    const response = await harness.app.inject({ url: `/v1/projects/${UNKNOWN}/settings` });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ success: false, code: 'unknown_write_key' });
    expect(response.json().message).toMatch(/write key of one of the relay's sources/);
    expect(response.body).not.toContain(UNKNOWN);
  });
});

describe('analytics.js bundle', () => {
  it('serves the standalone build under the snippet’s path, gzip-compressed when the browser accepts it', async () => {
    const plain = await harness.app.inject({ url: `/analytics.js/v1/${WEB_KEY}/analytics.min.js` });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toMatch(/javascript/);
    expect(plain.body).toContain('analytics');
    const gzipped = await harness.app.inject({
      url: `/analytics.js/v1/${WEB_KEY}/analytics.min.js`,
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);

    const unknown = await harness.app.inject({ url: `/analytics.js/v1/${UNKNOWN}/analytics.min.js` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('unknown_write_key');
  });

  it('serves every chunk the build may load, and nothing else from the package', async () => {
    const chunks = readdirSync(analyticsNextFolder()!).filter((name) =>
      /\.bundle\.[0-9a-f]+\.js$/.test(name),
    );
    expect(chunks.length).toBeGreaterThan(3);
    for (const name of chunks) {
      const response = await harness.app.inject({ url: `/analytics-next/bundles/${name}` });
      expect(response.statusCode, name).toBe(200);
      expect(response.headers['cache-control']).toContain('immutable');
    }
    for (const name of ['standalone.js', 'index.js.map', '..%2Fpackage.json', 'x.bundle.zz.js']) {
      expect((await harness.app.inject({ url: `/analytics-next/bundles/${name}` })).statusCode, name).toBe(
        404,
      );
    }
  });

  it('says how to install the package when it is missing, and still serves the settings', async () => {
    const app = fastify();
    const ctx = createContext(
      { config: harness.config, store: harness.store, delivery: harness.delivery },
      app.log,
    );
    await app.register(async (scope) => browserRoutes(scope, ctx, undefined));
    const bundle = await app.inject({ url: `/analytics.js/v1/${WEB_KEY}/analytics.min.js` });
    expect(bundle.statusCode).toBe(404);
    expect(bundle.json()).toMatchObject({ code: 'analytics_js_not_installed' });
    expect(bundle.json().message).toMatch(/npm install @segment\/analytics-next/);
    expect((await app.inject({ url: `/v1/projects/${WEB_KEY}/settings` })).statusCode).toBe(200);
    await app.close();
  });
});
