/**
 * `GET /ready` on a running relay: ready once delivery runs and the store commits, 503 (and
 * `store_unavailable`) once its store can no longer write, here because it was closed under it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './stack.js';

let stack: Stack;
afterEach(async () => {
  await stack?.close();
});

describe('readiness', () => {
  it('is ready with a writable store, and not once the store is closed', async () => {
    stack = await startStack();
    const ready = await fetch(`${stack.relay.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });

    await stack.relay.store.close();
    let response = await fetch(`${stack.relay.url}/ready`);
    for (let tries = 0; response.status === 200 && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50)); // the last answer is kept for 1 s
      response = await fetch(`${stack.relay.url}/ready`);
    }
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'store_unavailable' });
    // Ingest agrees: nothing can be accepted.
    expect((await stack.send('/v1/track', { userId: 'u1', event: 'E' })).status).toBe(503);
  });
});
