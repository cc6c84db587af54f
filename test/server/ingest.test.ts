import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Harness } from './helpers.js';
import { basic, NOW, post, SERVER_KEY, startServer, track, WEB_KEY } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

const EVENTS: Record<string, Record<string, unknown>> = {
  identify: { userId: 'u1', traits: { email: 'a@example.com' } },
  track: { userId: 'u1', event: 'Signed Up' },
  page: { anonymousId: 'a1', name: 'Home' },
  screen: { userId: 'u1', name: 'Settings' },
  group: { userId: 'u1', groupId: 'g1' },
  alias: { userId: 'u1', previousId: 'a1' },
};

describe('single-event endpoints', () => {
  for (const [type, event] of Object.entries(EVENTS)) {
    for (const path of [`/v1/${type}`, `/v1/${type[0]}`]) {
      it(`${path} stores a ${type} event (type from the path)`, async () => {
        const response = await post(h.app, path, event);
        expect(response.statusCode).toBe(200);
        expect(response.json()).toEqual({ success: true });
        const [stored] = h.store.bodies();
        expect(stored).toMatchObject({ ...event, type });
      });
    }
  }

  it('accepts a body type that agrees with the path, in any case', async () => {
    const response = await post(h.app, '/v1/track', track({ type: 'Track' }));
    expect(response.statusCode).toBe(200);
    expect(h.store.bodies()[0]!.type).toBe('track');
  });

  it('refuses a body type that contradicts the path, saying where to send it', async () => {
    const response = await post(h.app, '/v1/track', { ...EVENTS.identify, type: 'identify' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      success: false,
      code: 'type_mismatch',
      message: expect.stringMatching(/\/v1\/track takes track events but this one has type "identify"/),
    });
    expect(h.store.calls).toHaveLength(0);
  });

  it('answers an invalid event with 400 and the validation message', async () => {
    const response = await post(h.app, '/v1/track', { userId: 'u1' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      success: false,
      code: 'missing_field',
      message: 'track.event must be a non-empty string such as "Order Completed" (it is missing)',
    });
  });

  it('refuses an event with neither userId nor anonymousId', async () => {
    const response = await post(h.app, '/v1/identify', { traits: { email: 'a@example.com' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ success: false, code: 'missing_identifier' });
  });

  it('refuses a body that is not an object', async () => {
    const response = await post(h.app, '/v1/track', [track()]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'not_an_object' });
  });

  it('answers unknown routes with 404 in the same shape, listing the ingest routes', async () => {
    const response = await post(h.app, '/v1/trak?x=1', track());
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      success: false,
      code: 'not_found',
      message: expect.stringContaining('POST /v1/identify'),
    });
    expect(response.json().message).toContain('no route POST /v1/trak;');
  });
});

describe('write key', () => {
  it('takes the key as the Basic auth user, ignoring any password', async () => {
    const response = await post(h.app, '/v1/track', track(), { authorization: basic(WEB_KEY, 'anything') });
    expect(response.statusCode).toBe(200);
    expect(h.store.stored()[0]!.source).toBe('web');
  });

  it('takes the key as writeKey in the body, and does not store it', async () => {
    const response = await post(h.app, '/v1/track', track({ writeKey: SERVER_KEY }), {});
    expect(response.statusCode).toBe(200);
    const [event] = h.store.stored();
    expect(event!.source).toBe('server');
    expect(event!.body).not.toContain(SERVER_KEY);
    expect(h.store.bodies()[0]).not.toHaveProperty('writeKey');
  });

  it('takes writeKey from the top of a batch, and strips it everywhere', async () => {
    const batch = { writeKey: SERVER_KEY, batch: [track({ writeKey: SERVER_KEY })] };
    const response = await post(h.app, '/v1/batch', batch, {});
    expect(response.statusCode).toBe(200);
    expect(h.store.stored()[0]!.source).toBe('server');
    expect(h.store.stored()[0]!.body).not.toContain(SERVER_KEY);
  });

  it('answers 401 without a key, saying how to send one', async () => {
    const response = await post(h.app, '/v1/track', track(), {});
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      success: false,
      code: 'missing_write_key',
      message: expect.stringContaining('Basic auth user name'),
    });
    expect(response.json().message).toContain('"writeKey"');
  });

  it('answers 401 for an unknown key without echoing it', async () => {
    const guesses: Array<Record<string, string>> = [{ authorization: basic('wk_guess_123456789') }, {}];
    for (const headers of guesses) {
      const body = headers.authorization ? track() : track({ writeKey: 'wk_guess_123456789' });
      const response = await post(h.app, '/v1/track', body, headers);
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('invalid_write_key');
      expect(response.body).not.toContain('wk_guess');
    }
    expect(h.store.calls).toHaveLength(0);
  });

  it('decides on a header key before reading the body', async () => {
    const response = await post(h.app, '/v1/track', '{not json', { authorization: basic('wrong') });
    expect(response.statusCode).toBe(401);
  });

  it('lets a header key win over a body key', async () => {
    await post(h.app, '/v1/track', track({ writeKey: SERVER_KEY }), { authorization: basic(WEB_KEY) });
    expect(h.store.stored()[0]!.source).toBe('web');
  });
});

describe('destinations and delivery wake-up', () => {
  it('gives each event the destinations that take its source, then notifies them', async () => {
    await post(h.app, '/v1/track', track());
    await post(h.app, '/v1/track', track(), { authorization: basic(SERVER_KEY) });
    const [web, server] = h.store.stored();
    expect(web!.destinations).toEqual(['production', 'staging']);
    expect(server!.destinations).toEqual(['production']);
    expect(h.delivery.notified).toEqual([['production', 'staging'], ['production']]);
  });

  it('appends once per request, with the configured dedupe window', async () => {
    await post(h.app, '/v1/batch', { batch: [track(), track(), track()] });
    expect(h.store.calls).toHaveLength(1);
    expect(h.store.calls[0]!.events).toHaveLength(3);
    expect(h.store.calls[0]!.options).toEqual({ dedupeWindowMs: 24 * 3600_000 });
  });

  it('fills in the store fields: messageId, personKey, receivedAt, source', async () => {
    await post(h.app, '/v1/page', { anonymousId: 'anon-7', messageId: 'm-1' });
    expect(h.store.stored()[0]).toMatchObject({
      source: 'web',
      messageId: 'm-1',
      personKey: 'anon-7',
      receivedAt: NOW,
    });
    await post(h.app, '/v1/track', track({ userId: 42, anonymousId: 'anon-7' }));
    expect(h.store.stored()[1]!.personKey).toBe('42');
    expect(h.store.bodies()[1]!.userId).toBe('42');
  });
});

describe('store failures', () => {
  it('answers 503 with Retry-After when the store cannot commit, and notifies nobody', async () => {
    h.store.failNextAppend(new Error('SQLITE_FULL: database or disk is full'));
    const response = await post(h.app, '/v1/batch', { batch: [track()] });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json()).toEqual({
      success: false,
      code: 'store_unavailable',
      message: expect.stringContaining('retry later'),
    });
    expect(h.delivery.notified).toEqual([]);
    // The client's retry then succeeds.
    expect((await post(h.app, '/v1/batch', { batch: [track()] })).statusCode).toBe(200);
  });

  it('says so when the store failed because its disk is full (SQLite or PostgreSQL codes)', async () => {
    for (const code of ['SQLITE_FULL', '53100']) {
      h.store.failNextAppend(Object.assign(new Error('database or disk is full'), { code }));
      const response = await post(h.app, '/v1/track', track());
      expect(response.statusCode).toBe(503);
      expect(response.json().message).toBe(
        "the relay could not store the events (the relay's disk is full), so none of them was accepted; retry later",
      );
    }
  });

  it('answers 200 once stored even if waking delivery throws', async () => {
    h.delivery.notify = () => {
      throw new Error('engine hiccup');
    };
    const response = await post(h.app, '/v1/track', track());
    expect(response.statusCode).toBe(200);
  });
});
