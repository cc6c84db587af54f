import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Harness } from './helpers.js';
import { basic, post, startServer, track, WEB_KEY } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

describe('CORS for browsers', () => {
  it('answers a preflight for any origin with the headers SDKs send', async () => {
    const response = await h.app.inject({
      method: 'OPTIONS',
      url: '/v1/batch',
      headers: {
        origin: 'https://shop.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,content-encoding',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-allow-methods']).toContain('POST');
    const allowed = String(response.headers['access-control-allow-headers']).toLowerCase();
    for (const header of ['authorization', 'content-type', 'content-encoding'])
      expect(allowed).toContain(header);
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('marks ingest responses, refusals included, as readable from any origin', async () => {
    const origin = 'https://shop.example.com';
    const ok = await post(h.app, '/v1/track', track(), { origin, authorization: basic(WEB_KEY) });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('*');
    const tooLarge = await post(h.app, '/v1/track', 'x'.repeat(600_000), {
      origin,
      authorization: basic(WEB_KEY),
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.headers['access-control-allow-origin']).toBe('*');
    const refused = await h.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { origin, 'content-type': 'text/plain' },
      payload: JSON.stringify(track()),
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe('*');
  });

  it('does not open the admin API to other origins', async () => {
    const response = await h.app.inject({
      method: 'GET',
      url: '/admin/destinations',
      headers: { origin: 'https://evil.example.com' },
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('open probes', () => {
  it('GET /health answers 200 while the process runs, even when delivery is not ready', async () => {
    h.delivery.isReady = false;
    const response = await h.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('GET /ready follows delivery.ready()', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/ready' })).json()).toEqual({ ready: true });
    h.delivery.isReady = false;
    const response = await h.app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ success: false, code: 'not_ready' });
  });
});
