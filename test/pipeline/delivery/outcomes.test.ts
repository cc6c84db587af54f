import { describe, expect, it } from 'vitest';
import type { RetryConfig } from '../../../src/config/types.js';
import { DeliveryOutcomes } from '../../../src/pipeline/delivery/outcomes.js';
import type { JobPlan, PlannedRequest } from '../../../src/pipeline/delivery/plan.js';
import type { Job } from '../../../src/store/types.js';

const retry: RetryConfig = {
  minBackoffMs: 1000,
  maxBackoffMs: 300_000,
  maxAgeMs: 4 * 3_600_000,
  minAttempts: 3,
};
const HOUR = 3_600_000;

function job(id: number, attempts = 0, firstAttemptAt: number | null = null): Job {
  return {
    id,
    destination: 'cio',
    eventId: id,
    source: 'web',
    messageId: `m${id}`,
    personKey: `p${id}`,
    body: '{}',
    receivedAt: 0,
    attempts,
    firstAttemptAt,
  };
}

function plan(j: Job, operations = 1, rejections: JobPlan['rejections'] = []): JobPlan {
  return { job: j, operations, rejections };
}

function request(...jobs: number[]): PlannedRequest {
  return {
    url: 'http://x/api/v2/batch',
    body: '',
    operations: jobs.map((j) => ({ job: j, action: 'trackEvent', json: `{"j":${j}}` })),
  };
}

const error = { code: 'http_503', message: 'Customer.io answered 503', status: 503 };

describe('one result per job', () => {
  it('a job that matched nothing is filtered; one whose operations went through is delivered with its part of the request', () => {
    const outcomes = new DeliveryOutcomes([plan(job(1), 0), plan(job(2))]);
    outcomes.record(
      request(1),
      { kind: 'delivered' },
      { method: 'POST', url: 'http://x/api/v2/batch', status: 200 },
    );
    const [filtered, delivered] = outcomes.results(0, retry);
    expect(filtered).toEqual({ jobId: 1, outcome: 'filtered', reason: 'no subscription matched the event' });
    expect(delivered).toMatchObject({
      jobId: 2,
      outcome: 'delivered',
      exchange: { requestBody: '[{"j":1}]', status: 200 },
    });
  });

  it('retry wins over delivered for a job split over two requests, and waits at least Retry-After', () => {
    const outcomes = new DeliveryOutcomes([plan(job(1), 2)]);
    outcomes.record(request(0), { kind: 'delivered' }, undefined);
    outcomes.record(request(0), { kind: 'retry', error, retryAfterMs: 60_000 }, undefined);
    const [result] = outcomes.results(1000, retry, () => 0);
    expect(result).toMatchObject({ outcome: 'retry', dueAt: 61_000, error });
  });

  it('an action-level rejection makes the job dead even if another subscription delivered', () => {
    const rejection = { code: 'missing_identifier', message: 'identify needs userId or traits.email' };
    const outcomes = new DeliveryOutcomes([plan(job(1), 1, [rejection])]);
    outcomes.record(request(0), { kind: 'delivered' }, undefined);
    expect(outcomes.results(0, retry)[0]).toMatchObject({ outcome: 'dead', error: rejection });
  });

  it('operations never sent put the job back without an attempt', () => {
    const outcomes = new DeliveryOutcomes([plan(job(1))]);
    outcomes.unsent(request(0));
    expect(outcomes.results(0, retry)[0]).toEqual({ jobId: 1, outcome: 'release' });
  });

  it('gives up after 4 hours and 3 attempts, saying so with the last error', () => {
    const old = new DeliveryOutcomes([plan(job(1, 2, 0))]);
    old.record(request(0), { kind: 'retry', error, retryAfterMs: undefined }, undefined);
    const [dead] = old.results(5 * HOUR, retry);
    expect(dead).toMatchObject({ outcome: 'dead', error: { code: 'retries_exhausted', status: 503 } });
    expect(dead?.outcome === 'dead' && dead.error.message).toBe(
      'gave up after 3 attempts over 5.0 h; last error: Customer.io answered 503',
    );

    const young = new DeliveryOutcomes([plan(job(1, 9, 0))]);
    young.record(request(0), { kind: 'retry', error, retryAfterMs: undefined }, undefined);
    expect(young.results(HOUR, retry)[0]?.outcome).toBe('retry');
  });
});
