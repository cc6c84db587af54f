/** The console's files under /console/: public, bundled (nothing from elsewhere), and no key for data. */
import { fastify } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleFolder, consoleRoutes } from '../../src/server/routes-console.js';
import { type Harness, startServer } from './helpers.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startServer();
});
afterAll(() => harness.close());

describe('console files', () => {
  it('finds the console built by npm run build', () => {
    expect(consoleFolder()).toMatch(/dist\/console\/$/);
  });

  it('redirects /console to /console/ and serves the app without the admin token', async () => {
    const bare = await harness.app.inject({ url: '/console' });
    expect(bare.statusCode).toBe(302);
    expect(bare.headers.location).toBe('/console/');

    const page = await harness.app.inject({ url: '/console/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['cache-control']).toBe('no-cache');
    // Everything is bundled and served here: no script or style from another origin.
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/console\/assets\//);
      const file = await harness.app.inject({ url: asset });
      expect(file.statusCode).toBe(200);
      expect(file.headers['cache-control']).toContain('immutable');
    }
  });

  it('keeps the admin API closed to a browser without the token', async () => {
    const response = await harness.app.inject({ url: '/admin/destinations' });
    expect(response.statusCode).toBe(401);
  });

  it('answers a missing file with the JSON 404 of the relay', async () => {
    const response = await harness.app.inject({ url: '/console/assets/nothing.js' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ success: false, code: 'not_found' });
  });

  it('says how to build the console when it is not built', async () => {
    const app = fastify();
    await app.register(async (scope) => consoleRoutes(scope, undefined));
    const response = await app.inject({ url: '/console/' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'console_not_built' });
    expect(response.json().message).toContain('npm run build');
    await app.close();
  });
});
