/**
 * The profiles in the running relay: a destination's `profile` and `settings` decide what reaches
 * Customer.io, and what it does not send is in the delivery log as `filtered`, with the reason.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Stack, startStack, waitFor } from '../relay/stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function logged(s: Stack, messageId: string) {
  return waitFor(`the delivery of ${messageId}`, async () => {
    const entries = (await s.admin(`/deliveries?messageId=${messageId}`)).body.entries;
    return entries.length > 0 ? entries[0] : undefined;
  });
}

describe('profiles in the relay', () => {
  it('classic 9: the relay delivers identified events and logs an anonymous one as filtered, with the reason', async () => {
    const s = await startStack({ destination: { profile: 'classic' } });
    stack = s;
    await s.send('/v1/batch', {
      batch: [
        { type: 'identify', userId: 'u1', traits: { email: 'u1@example.com' }, messageId: 'k-1' },
        { type: 'track', anonymousId: 'a1', event: 'Viewed Pricing', messageId: 'k-2' },
        { type: 'screen', userId: 'u1', name: 'Home', messageId: 'k-3' },
      ],
    });
    expect(await logged(s, 'k-2')).toMatchObject({
      outcome: 'filtered',
      reason: 'Segment Classic sends only events with a userId: it has no anonymous events',
    });
    expect(await logged(s, 'k-3')).toMatchObject({ outcome: 'delivered' });
    const u1 = s.emulator.workspace.person('u1');
    expect(u1?.activity.map((a) => a.name ?? a.kind)).toEqual(['identified', 'Viewed Home Screen']);
    expect(s.emulator.workspace.anonymous()).toEqual({});
  });

  it('rudderstack 9: with consentCategory set, an event whose user denied it is logged as filtered', async () => {
    const s = await startStack({
      destination: { profile: 'rudderstack', settings: { consentCategory: 'Marketing' } },
    });
    stack = s;
    const denied = { consentManagement: { deniedConsentIds: ['Marketing'] } };
    await s.send('/v1/track', { userId: 'u1', event: 'Promo Viewed', context: denied, messageId: 'r-1' });
    expect(await logged(s, 'r-1')).toMatchObject({
      outcome: 'filtered',
      reason: 'the user denied consent category "Marketing" (context.consentManagement.deniedConsentIds)',
    });
    expect(s.emulator.stats().requests.total).toBe(0);
  });
});
