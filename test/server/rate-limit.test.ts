/** Per-write-key request rate limits (`sources[].rateLimit`): 429 with Retry-After over the limit. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  basic,
  type Harness,
  NOW,
  post,
  SERVER_KEY,
  startServer,
  testConfig,
  track,
  WEB_KEY,
} from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('per-write-key rate limit', () => {
  it('answers 429 with Retry-After past the burst, only for that key, and again once tokens flowed back', async () => {
    let now = NOW;
    h = await startServer({
      config: testConfig((c) => {
        c.sources[0]!.rateLimit = { requestsPerSecond: 2, burst: 3 };
      }),
      now: () => now,
    });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(h.app, '/v1/track', track())).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);

    const refused = await post(h.app, '/v1/track', track());
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json()).toEqual({
      success: false,
      code: 'rate_limited',
      message:
        'source "web" sent more than 2 requests per second (sources[0].rateLimit); retry after 1 s, send fewer, larger batches, or raise the limit',
    });
    // The key in the body counts the same as the one in the header.
    expect((await post(h.app, '/v1/track', track({ writeKey: WEB_KEY }), {})).statusCode).toBe(429);
    // Another source has no limit; the refused events were not stored.
    expect((await post(h.app, '/v1/track', track(), { authorization: basic(SERVER_KEY) })).statusCode).toBe(
      200,
    );
    expect(h.store.stored()).toHaveLength(4);

    now += 500; // one token back at 2 per second
    expect((await post(h.app, '/v1/track', track())).statusCode).toBe(200);
    expect((await post(h.app, '/v1/track', track())).statusCode).toBe(429);
  });

  it('a wrong key is refused as such (401), never counted against the source', async () => {
    h = await startServer({
      config: testConfig((c) => {
        c.sources[0]!.rateLimit = { requestsPerSecond: 1, burst: 1 };
      }),
    });
    for (let i = 0; i < 3; i++) {
      expect(
        (await post(h.app, '/v1/track', track(), { authorization: basic('wrong-key') })).statusCode,
      ).toBe(401);
    }
    expect((await post(h.app, '/v1/track', track())).statusCode).toBe(200);
  });
});
