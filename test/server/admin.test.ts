import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeadLetter, JobResult, NewEvent } from '../../src/store/types.js';
import type { Harness } from './helpers.js';
import { ADMIN_TOKEN, basic, bearer, NOW, startServer, testConfig, WEB_KEY } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

function admin(method: 'GET' | 'POST', url: string, body?: unknown, token = ADMIN_TOKEN) {
  return h.app.inject({
    method,
    url,
    headers: {
      authorization: bearer(token),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

const BAD_REQUEST = { code: 'http_400', message: 'Customer.io answered 400', status: 400 };

/** Events stored for `destination`, then claimed and finished with `outcome` by a pretend worker. */
async function finish(destination: string, outcome: 'dead' | 'delivered', people: string[]): Promise<void> {
  const events: NewEvent[] = people.map((person) => ({
    source: 'web',
    messageId: `m-${++seq}`,
    personKey: person,
    body: JSON.stringify({ type: 'track', event: 'Order', userId: person }),
    receivedAt: NOW,
    destinations: [destination],
  }));
  await h.store.append(events, { dedupeWindowMs: 0 });
  const jobs = await h.store.claim(destination, { limit: 100, now: NOW, ordered: false });
  const results: JobResult[] = jobs.map((job) =>
    outcome === 'dead' ? { jobId: job.id, outcome, error: BAD_REQUEST } : { jobId: job.id, outcome },
  );
  await h.store.complete({ destination, now: NOW, results });
}
let seq = 0;

async function deadLetterIds(query = ''): Promise<number[]> {
  const body = (await admin('GET', `/admin/dead-letters${query}`)).json();
  return body.deadLetters.map((d: DeadLetter) => d.id);
}

describe('admin authentication', () => {
  it('answers 401 without the token, with a wrong token, and with a write key', async () => {
    const attempts = [
      h.app.inject({ method: 'GET', url: '/admin/destinations' }),
      admin('GET', '/admin/destinations', undefined, 'wrong-token'),
      h.app.inject({ method: 'GET', url: '/admin/destinations', headers: { authorization: basic(WEB_KEY) } }),
      h.app.inject({
        method: 'GET',
        url: '/admin/destinations',
        headers: { authorization: bearer(WEB_KEY) },
      }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({
        success: false,
        code: 'invalid_admin_token',
        message: 'send the admin token (admin.token) as Authorization: Bearer <token>',
      });
    }
  });

  it('answers 403 saying to set admin.token when none is configured', async () => {
    const config = testConfig();
    config.admin.token = undefined;
    const off = await startServer({ config });
    const response = await off.app.inject({
      method: 'GET',
      url: '/admin/destinations',
      headers: { authorization: 'Bearer ' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ success: false, code: 'admin_disabled' });
    expect(response.json().message).toContain('set admin.token');
    await off.close();
  });

  it('guards unknown admin paths too', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/admin/nope' })).statusCode).toBe(401);
    const missing = await admin('GET', '/admin/nope?token=x');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      success: false,
      code: 'not_found',
      message: 'no admin route GET /admin/nope',
    });
  });
});

describe('destinations', () => {
  it('lists the delivery status of every destination', async () => {
    const response = await admin('GET', '/admin/destinations');
    expect(response.statusCode).toBe(200);
    expect(
      response.json().destinations.map((d: { name: string; state: string }) => [d.name, d.state]),
    ).toEqual([
      ['production', 'running'],
      ['staging', 'running'],
    ]);
  });

  it('shows one destination, 404 for an unknown name', async () => {
    expect((await admin('GET', '/admin/destinations/staging')).json().destination.name).toBe('staging');
    const missing = await admin('GET', '/admin/destinations/prod');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      success: false,
      code: 'unknown_destination',
      message: 'no destination named "prod" (configured: production, staging)',
    });
  });

  it('resumes a paused destination', async () => {
    h.delivery.statuses[0]!.state = 'paused';
    h.delivery.statuses[0]!.paused = {
      code: 'unauthorized',
      message: 'Customer.io answered 401',
      status: 401,
      at: NOW,
    };
    const response = await admin('POST', '/admin/destinations/production/resume');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      success: true,
      destination: { name: 'production', state: 'running', paused: null },
    });
    expect(h.delivery.resumed).toEqual(['production']);
    expect((await admin('POST', '/admin/destinations/nope/resume')).statusCode).toBe(404);
  });
});

describe('dead letters', () => {
  let production: number[];
  let staging: number[];
  beforeEach(async () => {
    await finish('production', 'dead', ['u1', 'u3']);
    await finish('staging', 'dead', ['u2']);
    production = await deadLetterIds('?destination=production');
    staging = await deadLetterIds('?destination=staging');
  });

  it('lists them oldest first, with paging and a destination filter', async () => {
    expect(production).toHaveLength(2);
    expect(staging).toHaveLength(1);
    const all = [...production, ...staging];
    const page = (await admin('GET', '/admin/dead-letters?limit=2')).json();
    expect(page.deadLetters.map((d: DeadLetter) => d.id)).toEqual(all.slice(0, 2));
    expect(page.nextAfterId).toBe(all[1]);
    const next = (await admin('GET', `/admin/dead-letters?limit=2&afterId=${all[1]}`)).json();
    expect(next).toMatchObject({ deadLetters: [{ id: all[2] }], nextAfterId: null });
    expect(page.deadLetters[0]).toMatchObject({
      destination: 'production',
      personKey: 'u1',
      error: BAD_REQUEST,
    });
  });

  it('refuses bad paging parameters with a message naming them', async () => {
    for (const query of ['limit=0', 'limit=1001', 'afterId=abc', 'limit=2&limit=3']) {
      const response = await admin('GET', `/admin/dead-letters?${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'invalid_parameter',
        message: expect.stringMatching(/^query parameter (limit|afterId)/),
      });
    }
  });

  it('shows one dead letter, 404 when there is none, 400 for a bad id', async () => {
    const shown = (await admin('GET', `/admin/dead-letters/${staging[0]}`)).json();
    expect(shown.deadLetter).toMatchObject({ id: staging[0], destination: 'staging', personKey: 'u2' });
    const missing = await admin('GET', '/admin/dead-letters/999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      success: false,
      code: 'not_found',
      message: 'no dead letter with id 999',
    });
    expect((await admin('GET', '/admin/dead-letters/x')).statusCode).toBe(400);
  });

  it('replays by ids, queueing them again, and wakes the destinations', async () => {
    const response = await admin('POST', '/admin/dead-letters/replay', { ids: [production[0], staging[0]] });
    expect(response.json()).toEqual({ success: true, replayed: 2 });
    expect(await deadLetterIds()).toEqual([production[1]]);
    expect(h.delivery.replayedNames.sort()).toEqual(['production', 'staging']);
    expect((await h.store.stats('production', NOW)).queued).toBe(1);
  });

  it('replays all of one destination and wakes only it', async () => {
    const response = await admin('POST', '/admin/dead-letters/replay', { destination: 'production' });
    expect(response.json()).toEqual({ success: true, replayed: 2 });
    expect(h.delivery.replayedNames).toEqual(['production']);
    expect(await deadLetterIds()).toEqual(staging);
  });

  it('refuses to replay to a destination that is not configured', async () => {
    const response = await admin('POST', '/admin/dead-letters/replay', { destination: 'old' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'unknown_destination' });
  });

  it('drops with all: true', async () => {
    const response = await admin('POST', '/admin/dead-letters/drop', { all: true });
    expect(response.json()).toEqual({ success: true, dropped: 3 });
    expect(await deadLetterIds()).toEqual([]);
    expect(h.delivery.replayedNames).toEqual([]);
  });

  it('refuses an empty selection, saying what to pass', async () => {
    for (const body of [undefined, {}, { ids: [] }, { all: false }]) {
      for (const action of ['replay', 'drop']) {
        const response = await admin('POST', `/admin/dead-letters/${action}`, body);
        expect(response.statusCode).toBe(400);
        expect(response.json()).toEqual({
          success: false,
          code: 'empty_selection',
          message:
            'no dead letters selected; say which dead letters: {"ids": [1, 2]}, {"destination": "<name>"} or {"all": true}',
        });
      }
    }
    expect(await deadLetterIds()).toHaveLength(3);
  });

  it('refuses malformed selections', async () => {
    for (const body of [{ ids: ['1'] }, { all: 'yes' }, [1, 2], { destination: 5 }]) {
      const response = await admin('POST', '/admin/dead-letters/drop', body);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('invalid_selection');
    }
    const bad = await h.app.inject({
      method: 'POST',
      url: '/admin/dead-letters/drop',
      headers: { authorization: bearer(ADMIN_TOKEN) },
      payload: '{ids: [1]}',
    });
    expect(bad.json().code).toBe('invalid_json');
    expect(await deadLetterIds()).toHaveLength(3);
  });
});

describe('delivery log', () => {
  beforeEach(async () => {
    await finish('production', 'delivered', ['u1']);
    await finish('production', 'dead', ['u2']);
    await finish('staging', 'delivered', ['u1']);
  });

  const summary = (entries: Array<{ destination: string; personKey: string; outcome: string }>) =>
    entries.map((e) => `${e.destination}:${e.personKey}:${e.outcome}`);

  it('searches by userId (the person key), outcome, destination and messageId, newest first', async () => {
    const byUser = (await admin('GET', '/admin/deliveries?userId=u1')).json();
    expect(summary(byUser.entries)).toEqual(['staging:u1:delivered', 'production:u1:delivered']);
    expect(byUser.nextBeforeId).toBeNull();
    const dead = (await admin('GET', '/admin/deliveries?outcome=dead')).json();
    expect(summary(dead.entries)).toEqual(['production:u2:dead']);
    const staging = (await admin('GET', '/admin/deliveries?destination=staging')).json();
    expect(summary(staging.entries)).toEqual(['staging:u1:delivered']);
    const { messageId } = dead.entries[0];
    const byMessage = (await admin('GET', `/admin/deliveries?messageId=${messageId}`)).json();
    expect(summary(byMessage.entries)).toEqual(['production:u2:dead']);
  });

  it('pages with beforeId', async () => {
    const page = (await admin('GET', '/admin/deliveries?limit=2')).json();
    expect(page.entries).toHaveLength(2);
    expect(page.nextBeforeId).toBe(page.entries[1].id);
    const rest = (await admin('GET', `/admin/deliveries?beforeId=${page.nextBeforeId}`)).json();
    expect(summary(rest.entries)).toEqual(['production:u1:delivered']);
  });

  it('refuses an unknown outcome, listing the valid ones', async () => {
    const response = await admin('GET', '/admin/deliveries?outcome=failed');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe(
      'query parameter outcome must be one of delivered, filtered, retry, dead',
    );
  });
});

describe('GET /admin/health', () => {
  it('sums up the store, delivery and each destination', async () => {
    h.delivery.statuses[1]!.stats.queued = 5;
    const response = await admin('GET', '/admin/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ok',
      store: { ok: true },
      delivery: { ready: true },
      totals: { queued: 5, inFlight: 0, retrying: 0, dead: 0 },
      destinations: [
        { name: 'production', state: 'running', queued: 0, inFlight: 0, retrying: 0, dead: 0 },
        { name: 'staging', state: 'running', queued: 5, inFlight: 0, retrying: 0, dead: 0 },
      ],
    });
  });

  it('is degraded while a destination is paused or delivery is not ready', async () => {
    h.delivery.statuses[0]!.state = 'paused';
    expect((await admin('GET', '/admin/health')).json().status).toBe('degraded');
  });

  it('is failing (503) when the store does not answer', async () => {
    h.store.listDeadLetters = async () => {
      throw new Error('SQLITE_IOERR');
    };
    const response = await admin('GET', '/admin/health');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      status: 'failing',
      store: { ok: false, message: 'SQLITE_IOERR' },
    });
  });
});
