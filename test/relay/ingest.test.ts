/**
 * Ingest rules seen from the far end: what the emulator receives when events carry `integrations`
 * switches or repeat a messageId.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Stack, startStack, waitFor } from './stack.js';

let stack: Stack;
afterEach(async () => {
  await stack?.close();
});

describe('ingest, end to end', () => {
  it('honours integrations: Customer.io off, or All off without Customer.io on', async () => {
    stack = await startStack();
    const events = [
      { userId: 'off-1', event: 'A', messageId: 'i-1', integrations: { 'Customer.io': false } },
      { userId: 'off-2', event: 'A', messageId: 'i-2', integrations: { All: false } },
      { userId: 'off-3', event: 'A', messageId: 'i-3', integrations: { 'customer io': false } },
      {
        userId: 'on-1',
        event: 'A',
        messageId: 'i-4',
        integrations: { All: false, 'Customer.io (Actions)': true },
      },
      { userId: 'on-2', event: 'A', messageId: 'i-5', integrations: { Mixpanel: false } },
    ];
    for (const event of events) expect((await stack.send('/v1/track', event)).status).toBe(200);
    await waitFor('the two enabled events', () => stack.emulator.workspace.people().length === 2);
    // give the others every chance to (wrongly) arrive
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(
      stack.emulator.workspace
        .people()
        .map((p) => p.id)
        .sort(),
    ).toEqual(['on-1', 'on-2']);
  });

  it('delivers a repeated messageId once', async () => {
    stack = await startStack();
    const event = { userId: 'dup', event: 'Paid', messageId: 'same-id' };
    expect((await stack.send('/v1/track', event)).status).toBe(200);
    expect((await stack.send('/v1/batch', { batch: [{ ...event, type: 'track' }] })).status).toBe(200);
    await stack.send('/v1/track', { userId: 'dup', event: 'Later', messageId: 'other-id' });
    await waitFor('the later event', () => stack.emulator.workspace.person('dup')?.activity.length === 2);
    expect(stack.emulator.workspace.person('dup')!.activity.map((a) => a.name)).toEqual(['Paid', 'Later']);
    expect(stack.emulator.stats().operations.accepted).toBe(2);
  });

  it('refuses bad input with a message saying what is wrong', async () => {
    stack = await startStack();
    const missingId = await stack.send('/v1/track', { event: 'No one' });
    expect(missingId.status).toBe(400);
    expect(missingId.body.message).toMatch(/userId or anonymousId/);
    const badKey = await stack.send(
      '/v1/track',
      { userId: 'x', event: 'E' },
      {
        authorization: `Basic ${Buffer.from('wrong-key:').toString('base64')}`,
      },
    );
    expect(badKey.status).toBe(401);
    expect(JSON.stringify(badKey.body)).not.toContain('wrong-key');
  });
});
