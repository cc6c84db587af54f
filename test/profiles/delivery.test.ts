/**
 * What the relay records for events a profile does not send: planDelivery maps stored jobs with a
 * destination's routes (as the delivery worker does) and DeliveryOutcomes turns the plan into the
 * job results the store keeps: `filtered`, with the profile's reason.
 */
import { describe, expect, it } from 'vitest';
import type { RetryConfig } from '../../src/config/types.js';
import { DeliveryOutcomes } from '../../src/pipeline/delivery/outcomes.js';
import { planDelivery } from '../../src/pipeline/delivery/plan.js';
import { compileSubscriptions } from '../../src/pipeline/index.js';
import {
  classicProfile,
  destinationRoutes,
  type Profile,
  rudderstackProfile,
  type SubscriptionConfig,
} from '../../src/profiles/index.js';
import type { Job } from '../../src/store/types.js';

const retry: RetryConfig = { minBackoffMs: 1000, maxBackoffMs: 300_000, maxAgeMs: 3_600_000, minAttempts: 3 };

const CLAIMED = { destination: 'cio', source: 'web', receivedAt: 0, attempts: 0, firstAttemptAt: null };

/** A claimed job holding `event`, on its first attempt. */
function job(id: number, event: Record<string, unknown>): Job {
  const personKey = String(event['userId'] ?? event['anonymousId']);
  return { ...CLAIMED, id, eventId: id, messageId: `m${id}`, personKey, body: JSON.stringify(event) };
}

function results(
  profile: Profile,
  settings: Record<string, unknown> | undefined,
  events: Record<string, unknown>[],
  own?: SubscriptionConfig[],
) {
  const plan = planDelivery(
    events.map((event, i) => job(i + 1, event)),
    {
      destination: 'production',
      version: 'none',
      subscriptions: compileSubscriptions(destinationRoutes(profile, settings, own)),
      base: 'http://cio.test',
      maxOperations: 100,
      maxBytes: 500_000,
      now: () => 0,
    },
  );
  const outcomes = new DeliveryOutcomes(plan.jobs);
  for (const request of plan.requests) outcomes.record(request, { kind: 'delivered' }, undefined);
  return { requests: plan.requests, results: outcomes.results(0, retry) };
}

describe('events a profile does not send are recorded as filtered, with the reason', () => {
  it('classic 9, 10: no userId, alias and group calls', () => {
    const {
      requests,
      results: [identify, anonymous, alias],
    } = results(classicProfile, undefined, [
      { type: 'identify', userId: 'u1', traits: { plan: 'pro' } },
      { type: 'track', anonymousId: 'a1', event: 'Viewed Pricing' },
      { type: 'alias', userId: 'u1', previousId: 'a1' },
    ]);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.operations.map((o) => o.job)).toEqual([0]);
    expect(identify).toEqual({ jobId: 1, outcome: 'delivered' });
    expect(anonymous).toEqual({
      jobId: 2,
      outcome: 'filtered',
      reason: 'Segment Classic sends only events with a userId: it has no anonymous events',
    });
    expect(alias).toEqual({
      jobId: 3,
      outcome: 'filtered',
      reason: 'Segment Classic sends identify, track, page and screen calls only',
    });
  });

  it('rudderstack 9: a denied consent category', () => {
    const denied = { consentManagement: { deniedConsentIds: ['Marketing'] } };
    const { requests, results: outcomes } = results(rudderstackProfile, { consentCategory: 'Marketing' }, [
      { type: 'track', userId: 'u1', event: 'Newsletter Opened', context: denied },
    ]);
    expect(requests).toEqual([]);
    expect(outcomes).toEqual([
      {
        jobId: 1,
        outcome: 'filtered',
        reason: 'the user denied consent category "Marketing" (context.consentManagement.deniedConsentIds)',
      },
    ]);
  });

  it('an event that no subscription matches keeps the generic reason', () => {
    const { results: outcomes } = results(
      classicProfile,
      undefined,
      [{ type: 'track', userId: 'u1', event: 'Other' }],
      [{ name: 'Orders', trigger: 'event = "Order Completed"', action: 'trackEvent' }],
    );
    expect(outcomes).toEqual([
      { jobId: 1, outcome: 'filtered', reason: 'no subscription matched the event' },
    ]);
  });
});
