/** GET /admin/live: stored events stream to the console as server-sent events. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sseStream } from '../../src/server/routes-admin-live.js';
import { ADMIN_TOKEN, basic, bearer, type Harness, startServer, track, WEB_KEY } from './helpers.js';

let h: Harness;
let base: string;
beforeEach(async () => {
  h = await startServer();
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
});
afterEach(() => h.close());

/**
 * Opens the stream and returns a reader of its messages. The handler subscribes before the
 * response's headers can leave, so once fetch resolves, events are streamed.
 */
async function openLive() {
  const response = await fetch(`${base}/admin/live`, { headers: { authorization: bearer(ADMIN_TOKEN) } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const next = async (): Promise<{ event: string; data: string }> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event !== undefined && data !== undefined) return { event, data };
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buffer += value;
    }
  };
  return { next, reader };
}

function ingest(body: unknown) {
  return fetch(`${base}/v1/track`, {
    method: 'POST',
    headers: { authorization: basic(WEB_KEY), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('live events', () => {
  it('streams each stored event with its source and destinations, once (duplicates are not news)', async () => {
    const live = await openLive();
    expect((await ingest(track({ messageId: 'live-1' }))).status).toBe(200);
    expect((await ingest(track({ messageId: 'live-1' }))).status).toBe(200); // duplicate
    expect((await ingest(track({ messageId: 'live-2' }))).status).toBe(200);

    const first = await live.next();
    expect(first.event).toBe('event');
    const message = JSON.parse(first.data);
    expect(message).toMatchObject({
      source: 'web',
      destinations: ['production', 'staging'],
      event: { type: 'track', event: 'Order Completed', messageId: 'live-1', userId: 'user-1' },
    });
    expect(first.data).not.toContain(WEB_KEY);
    expect(JSON.parse((await live.next()).data).event.messageId).toBe('live-2');
    await live.reader.cancel();
  });

  it('needs the admin token', async () => {
    expect((await fetch(`${base}/admin/live`)).status).toBe(401);
  });

  it('ends open streams when the server closes, so closing does not wait for them', async () => {
    const live = await openLive();
    await h.app.close();
    await expect(live.next()).rejects.toThrow('stream ended');
  });
});

describe('sseStream', () => {
  it('counts messages while the socket is full instead of queueing them, and reports them on drain', () => {
    const written: string[] = [];
    let full = false;
    let drain = () => {};
    const stream = sseStream({
      write: (text) => {
        written.push(text);
        return !full;
      },
      on: (_event, listener) => {
        drain = listener;
      },
    });
    stream.send('event', '{"n":1}');
    full = true;
    stream.send('event', '{"n":2}'); // written, but the socket says it is full
    stream.send('event', '{"n":3}'); // dropped
    stream.comment('ping'); // dropped too, not counted
    stream.send('event', '{"n":4}'); // dropped
    expect(written).toEqual(['event: event\ndata: {"n":1}\n\n', 'event: event\ndata: {"n":2}\n\n']);

    full = false;
    drain();
    stream.send('event', '{"n":5}');
    expect(written.slice(2)).toEqual(['event: dropped\ndata: 2\n\n', 'event: event\ndata: {"n":5}\n\n']);
  });
});
