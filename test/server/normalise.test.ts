import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toMillis } from '../../src/server/normalise.js';
import type { Harness } from './helpers.js';
import { NOW, post, startServer, track } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

const RECEIVED = new Date(NOW).toISOString();

async function storedAfter(event: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await post(h.app, '/v1/track', track(event));
  expect(response.statusCode).toBe(200);
  return h.store.bodies().at(-1)!;
}

describe('server fields', () => {
  it('generates a relay- messageId when the client sent none, and stores it with the event', async () => {
    const body = await storedAfter({});
    expect(body.messageId).toMatch(
      /^relay-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(h.store.stored()[0]!.messageId).toBe(body.messageId);
  });

  it('keeps a client messageId (numbers become strings)', async () => {
    expect((await storedAfter({ messageId: 'abc' })).messageId).toBe('abc');
    expect((await storedAfter({ messageId: 12345 })).messageId).toBe('12345');
  });

  it("sets receivedAt to the server's time, replacing a client's value", async () => {
    expect((await storedAfter({})).receivedAt).toBe(RECEIVED);
    expect((await storedAfter({ receivedAt: '2020-01-01T00:00:00Z' })).receivedAt).toBe(RECEIVED);
  });
});

describe('timestamp, as Segment computes it', () => {
  it('keeps a timestamp the client sent', async () => {
    const body = await storedAfter({
      timestamp: '2024-04-01T00:00:00Z',
      sentAt: '2024-05-01T11:59:00Z',
      originalTimestamp: '2024-05-01T11:58:00Z',
    });
    expect(body.timestamp).toBe('2024-04-01T00:00:00Z');
  });

  it('corrects clock skew: receivedAt - (sentAt - originalTimestamp)', async () => {
    // The device clock is 1 hour behind; the event happened 5 s before it was sent.
    const body = await storedAfter({
      sentAt: '2024-05-01T11:00:05.000Z',
      originalTimestamp: '2024-05-01T11:00:00.000Z',
    });
    expect(body.timestamp).toBe('2024-05-01T11:59:55.000Z');
    expect(body.originalTimestamp).toBe('2024-05-01T11:00:00.000Z');
  });

  it('reads offsets, zone-less times (as UTC) and Unix seconds or milliseconds', async () => {
    const offsets = await storedAfter({
      sentAt: '2024-05-01T13:00:10+02:00',
      originalTimestamp: '2024-05-01T11:00:00Z',
    });
    expect(offsets.timestamp).toBe('2024-05-01T11:59:50.000Z');
    const numbers = await storedAfter({ sentAt: 1714561210, originalTimestamp: 1714561200000 });
    expect(numbers.timestamp).toBe('2024-05-01T11:59:50.000Z');
    expect(toMillis('2024-05-01T11:00:00')).toBe(Date.UTC(2024, 4, 1, 11));
  });

  it('uses originalTimestamp as is without a readable sentAt', async () => {
    expect((await storedAfter({ originalTimestamp: '2024-05-01T10:00:00Z' })).timestamp).toBe(
      '2024-05-01T10:00:00Z',
    );
    const unreadable = await storedAfter({ originalTimestamp: '2024-05-01T10:00:00Z', sentAt: 'yesterday' });
    expect(unreadable.timestamp).toBe('2024-05-01T10:00:00Z');
  });

  it('falls back to receivedAt', async () => {
    expect((await storedAfter({ sentAt: '2024-05-01T11:00:00Z' })).timestamp).toBe(RECEIVED);
  });
});
