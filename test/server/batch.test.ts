import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEnvelope } from '../../src/server/envelope.js';
import type { Harness } from './helpers.js';
import { post, startServer, track } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

describe('/v1/batch', () => {
  it('stores every event type of a batch in one append', async () => {
    const batch = [
      { type: 'identify', userId: 'u1', traits: { plan: 'pro' } },
      track(),
      { type: 'page', anonymousId: 'a1' },
      { type: 'screen', userId: 'u1', name: 'Home' },
      { type: 'group', userId: 'u1', groupId: 'g1' },
      { type: 'alias', userId: 'u1', previousId: 'a1' },
    ];
    const response = await post(h.app, '/v1/batch', { batch });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ success: true });
    expect(h.store.calls).toHaveLength(1);
    expect(h.store.bodies().map((e) => e.type)).toEqual([
      'identify',
      'track',
      'page',
      'screen',
      'group',
      'alias',
    ]);
  });

  it('/v1/import is the same as /v1/batch', async () => {
    const response = await post(h.app, '/v1/import', { batch: [track()] });
    expect(response.statusCode).toBe(200);
    expect(h.store.stored()).toHaveLength(1);
  });

  it('keeps the valid events of a partly invalid batch and says which were rejected', async () => {
    const batch = [
      track({ messageId: 'ok-0' }),
      { type: 'track', userId: 'u1' },
      track({ messageId: 'ok-2' }),
      'nope',
    ];
    const response = await post(h.app, '/v1/batch', { batch });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      success: true,
      rejected: [
        {
          index: 1,
          code: 'missing_field',
          message: 'track.event must be a non-empty string such as "Order Completed" (it is missing)',
        },
        { index: 3, code: 'not_an_object', message: 'event must be a JSON object (got "nope")' },
      ],
    });
    expect(h.store.stored().map((e) => e.messageId)).toEqual(['ok-0', 'ok-2']);
  });

  it('answers 400 with the same list when every event is invalid, storing nothing', async () => {
    const response = await post(h.app, '/v1/batch', {
      batch: [{ type: 'track' }, { type: 'bogus', userId: 'u' }],
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body).toMatchObject({ success: false, code: 'invalid_events' });
    expect(body.message).toMatch(/^every event of the batch was rejected \(2\); the first, at index 0: /);
    expect(body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [0, 'missing_identifier'],
      [1, 'invalid_type'],
    ]);
    expect(h.store.calls).toHaveLength(0);
    expect(h.delivery.notified).toEqual([]);
  });

  it('needs a batch array', async () => {
    for (const body of [{}, { batch: {} }, { events: [] }]) {
      const response = await post(h.app, '/v1/batch', body);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'invalid_batch',
        message: expect.stringContaining('"batch"'),
      });
    }
  });

  it('answers an empty batch with 200 without touching the store', async () => {
    const response = await post(h.app, '/v1/batch', { batch: [] });
    expect(response.statusCode).toBe(200);
    expect(h.store.calls).toHaveLength(0);
    expect(h.delivery.notified).toEqual([]);
  });

  it("merges the batch's context and integrations into each event, the event's own keys winning", async () => {
    const response = await post(h.app, '/v1/batch', {
      context: { ip: '203.0.113.7', library: { name: 'analytics-python', version: '2.3.0' } },
      integrations: { Mixpanel: false },
      batch: [
        track({ messageId: 'a' }),
        track({
          messageId: 'b',
          context: { ip: '198.51.100.1' },
          integrations: { Mixpanel: true, Amplitude: false },
        }),
      ],
    });
    expect(response.statusCode).toBe(200);
    const [a, b] = h.store.bodies();
    expect(a!.context).toEqual({
      ip: '203.0.113.7',
      library: { name: 'analytics-python', version: '2.3.0' },
    });
    expect(a!.integrations).toEqual({ Mixpanel: false });
    expect(b!.context).toEqual({
      ip: '198.51.100.1',
      library: { name: 'analytics-python', version: '2.3.0' },
    });
    expect(b!.integrations).toEqual({ Mixpanel: true, Amplitude: false });
  });

  it('gives each event its own merged context object', () => {
    const opened = openEnvelope({ context: { ip: '203.0.113.7' }, batch: [track(), track()] }, 'batch');
    if ('status' in opened) throw new Error('unexpected refusal');
    const [a, b] = opened.events as Array<{ context: Record<string, unknown> }>;
    a!.context.ip = 'changed';
    expect(b!.context.ip).toBe('203.0.113.7');
  });

  it("rejects an event whose own context is not an object instead of replacing it with the batch's", async () => {
    const response = await post(h.app, '/v1/batch', {
      context: { ip: '203.0.113.7' },
      batch: [track(), track({ context: 'mobile' })],
    });
    expect(response.json().rejected).toEqual([
      {
        index: 1,
        code: 'invalid_field',
        message: 'track.context must be a JSON object such as {} (got "mobile")',
      },
    ]);
  });

  it("uses the batch's sentAt for events that have none", async () => {
    await post(h.app, '/v1/batch', {
      sentAt: '2024-05-01T12:00:00.000Z',
      batch: [track(), track({ sentAt: '2024-05-01T11:00:00.000Z' })],
    });
    expect(h.store.bodies().map((e) => e.sentAt)).toEqual([
      '2024-05-01T12:00:00.000Z',
      '2024-05-01T11:00:00.000Z',
    ]);
  });
});

describe('deduplication', () => {
  it('stores the same messageId once and answers 200 both times', async () => {
    const first = await post(h.app, '/v1/track', track({ messageId: 'dup-1' }));
    const second = await post(h.app, '/v1/track', track({ messageId: 'dup-1' }));
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(first.json()).toEqual({ success: true });
    expect(second.json()).toEqual({ success: true, duplicates: 1 });
    expect(h.store.stored().map((e) => e.messageId)).toEqual(['dup-1']);
    // Nothing new to deliver after the duplicate: delivery is woken once.
    expect(h.delivery.notified).toHaveLength(1);
  });

  it('counts the duplicates of a batch', async () => {
    await post(h.app, '/v1/batch', { batch: [track({ messageId: 'x' })] });
    const response = await post(h.app, '/v1/batch', {
      batch: [track({ messageId: 'x' }), track({ messageId: 'y' })],
    });
    expect(response.json()).toEqual({ success: true, duplicates: 1 });
    expect(h.store.stored().map((e) => e.messageId)).toEqual(['x', 'y']);
  });
});
