/** A reloaded configuration (SIGHUP) in a running server: keys, limits and the admin token change at once. */
import { afterEach, describe, expect, it } from 'vitest';
import { reconfigureServer } from '../../src/server/index.js';
import { ADMIN_TOKEN, basic, bearer, type Harness, post, startServer, testConfig, track } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const NEW_KEY = 'wk_web_rotated_9a8b7c6d5e4f';
const NEW_TOKEN = 'admin_tok_rotated_0f1e2d3c4b5a';

describe('reconfigureServer', () => {
  it('takes a rotated write key and admin token, and a new rate limit, from the next request on', async () => {
    h = await startServer();
    const admin = (token: string) =>
      h!.app.inject({ method: 'GET', url: '/admin/destinations', headers: { authorization: bearer(token) } });
    expect((await post(h.app, '/v1/track', track())).statusCode).toBe(200);

    reconfigureServer(
      h.app,
      testConfig((c) => {
        c.sources[0] = { name: 'web', writeKey: NEW_KEY, rateLimit: { requestsPerSecond: 1, burst: 1 } };
        c.admin.token = NEW_TOKEN;
      }),
    );
    expect((await post(h.app, '/v1/track', track())).statusCode).toBe(401);
    expect((await post(h.app, '/v1/track', track(), { authorization: basic(NEW_KEY) })).statusCode).toBe(200);
    expect((await post(h.app, '/v1/track', track(), { authorization: basic(NEW_KEY) })).statusCode).toBe(429);
    expect((await admin(ADMIN_TOKEN)).statusCode).toBe(401);
    expect((await admin(NEW_TOKEN)).statusCode).toBe(200);
  });

  it('opens the admin API when a reload adds the admin token it lacked (as its 403 says)', async () => {
    h = await startServer({ config: testConfig((c) => (c.admin.token = undefined)) });
    const closed = await h.app.inject({ method: 'GET', url: '/admin/destinations' });
    expect(closed.statusCode).toBe(403);
    expect(closed.json().message).toContain('SIGHUP');
    reconfigureServer(
      h.app,
      testConfig((c) => (c.admin.token = NEW_TOKEN)),
    );
    const open = await h.app.inject({
      method: 'GET',
      url: '/admin/destinations',
      headers: { authorization: bearer(NEW_TOKEN) },
    });
    expect(open.statusCode).toBe(200);
  });

  it('/metrics follows the rotated admin token, and admin.publicMetrics turned on or off', async () => {
    h = await startServer();
    const scrape = (authorization?: string) =>
      h!.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
    expect((await scrape(bearer(ADMIN_TOKEN))).statusCode).toBe(200);

    reconfigureServer(
      h.app,
      testConfig((c) => (c.admin.token = NEW_TOKEN)),
    );
    expect((await scrape(bearer(ADMIN_TOKEN))).statusCode).toBe(401);
    expect((await scrape(bearer(NEW_TOKEN))).statusCode).toBe(200);

    reconfigureServer(
      h.app,
      testConfig((c) => (c.admin.publicMetrics = true)),
    );
    expect((await scrape()).statusCode).toBe(200);
    reconfigureServer(h.app, testConfig());
    expect((await scrape()).statusCode).toBe(401);
  });
});
