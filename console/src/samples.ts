/**
 * A sample event of each type for the event tester, in the Segment spec's shape. No messageId: the
 * relay makes one up, so sending the same sample twice is two events.
 */
export const EVENT_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const person = { userId: 'user-123' };

export const SAMPLES: Record<EventType, Record<string, unknown>> = {
  identify: {
    type: 'identify',
    ...person,
    traits: { email: 'ada@example.com', name: 'Ada Lovelace', plan: 'pro' },
  },
  track: { type: 'track', ...person, event: 'Order Completed', properties: { orderId: 'o-42', total: 42.5 } },
  page: { type: 'page', ...person, name: 'Pricing', properties: { url: 'https://example.com/pricing' } },
  screen: { type: 'screen', ...person, name: 'Settings', properties: { section: 'billing' } },
  group: { type: 'group', ...person, groupId: 'acme', traits: { name: 'Acme Inc.', industry: 'Rockets' } },
  alias: { type: 'alias', userId: 'user-123', previousId: 'anon-9f1c' },
};

export function sampleText(type: EventType): string {
  return JSON.stringify(SAMPLES[type], null, 2);
}
