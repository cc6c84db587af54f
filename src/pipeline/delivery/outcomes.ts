/**
 * Collects what happened to each operation of a delivery and turns it into one result per job.
 * A job whose operations met different fates takes the one that loses nothing: retry (an attempt
 * failed for a reason that may pass) over release (not sent: paused, stopping, or an earlier
 * request of the same delivery failed) over dead (refused) over delivered; a job that matched no
 * subscription (or that a filter rule matched) is filtered, with the reason.
 */
import type { RetryConfig } from '../../config/types.js';
import type { DeliveryError, Exchange, JobResult } from '../../store/types.js';
import type { JobPlan, PlannedRequest } from './plan.js';
import { backoffMs, shouldGiveUp } from './retry-policy.js';

type Fate =
  | { kind: 'delivered' }
  | { kind: 'retry'; error: DeliveryError; retryAfterMs: number | undefined }
  | { kind: 'release' }
  | { kind: 'dead'; error: DeliveryError };

const RANK = { retry: 3, release: 2, dead: 1, delivered: 0 } as const;
const MAX_RESPONSE_CHARS = 4096;

interface JobState {
  fate: Fate | undefined;
  sent: string[];
  exchange: Omit<Exchange, 'requestBody'> | undefined;
}

export class DeliveryOutcomes {
  private readonly states: JobState[];

  constructor(private readonly plans: readonly JobPlan[]) {
    this.states = plans.map(() => ({ fate: undefined, sent: [], exchange: undefined }));
  }

  /** The fate of one request's operations; `itemFates` overrides it for some batch items. */
  record(
    request: PlannedRequest,
    fate: Fate,
    exchange: Omit<Exchange, 'requestBody'> | undefined,
    itemFates?: ReadonlyMap<number, Fate>,
  ): void {
    const kept = exchange && truncate(exchange);
    request.operations.forEach((operation, index) => {
      const state = this.states[operation.job]!;
      state.sent.push(operation.json);
      if (kept) state.exchange = kept;
      const itemFate = itemFates?.get(index) ?? fate;
      if (!state.fate || RANK[itemFate.kind] > RANK[state.fate.kind]) state.fate = itemFate;
    });
  }

  /** Operations of a request that was never sent. */
  unsent(request: PlannedRequest): void {
    this.record(request, { kind: 'release' }, undefined);
  }

  results(now: number, retry: RetryConfig, random?: () => number): JobResult[] {
    return this.plans.map((plan, index) => {
      const state = this.states[index]!;
      const jobId = plan.job.id;
      const exchange: Exchange | undefined = state.exchange && {
        ...state.exchange,
        requestBody: `[${state.sent.join(',')}]`,
      };
      const rejected = rejectionError(plan);
      const fate = state.fate;
      if (fate?.kind === 'release') return { jobId, outcome: 'release' };
      if (fate?.kind === 'retry') {
        const attempts = plan.job.attempts + 1;
        const firstAttemptAt = plan.job.firstAttemptAt ?? now;
        if (shouldGiveUp(attempts, firstAttemptAt, now, retry)) {
          const error = {
            ...fate.error,
            code: 'retries_exhausted',
            message: `gave up after ${attempts} attempts over ${formatDuration(now - firstAttemptAt)}; last error: ${fate.error.message}`,
          };
          return { jobId, outcome: 'dead', error, ...(exchange && { exchange }) };
        }
        const wait = Math.max(backoffMs(attempts, retry, random), fate.retryAfterMs ?? 0);
        return {
          jobId,
          outcome: 'retry',
          dueAt: now + wait,
          error: fate.error,
          ...(exchange && { exchange }),
        };
      }
      if (fate?.kind === 'dead' || rejected) {
        const error = fate?.kind === 'dead' ? fate.error : rejected!;
        return { jobId, outcome: 'dead', error, ...(exchange && { exchange }) };
      }
      if (!fate) {
        return { jobId, outcome: 'filtered', reason: plan.filtered ?? 'no subscription matched the event' };
      }
      return { jobId, outcome: 'delivered', ...(exchange && { exchange }) };
    });
  }
}

export type { Fate };

/** A job's action-level rejections as one error (e.g. a missing identifier), if it has any. */
function rejectionError(plan: JobPlan): DeliveryError | undefined {
  if (plan.rejections.length === 0) return undefined;
  const [first] = plan.rejections;
  if (plan.rejections.length === 1) return { code: first!.code, message: first!.message };
  return { code: first!.code, message: plan.rejections.map((r) => r.message).join('; ') };
}

function truncate(exchange: Omit<Exchange, 'requestBody'>): Omit<Exchange, 'requestBody'> {
  const body = exchange.responseBody;
  return body !== undefined && body.length > MAX_RESPONSE_CHARS
    ? { ...exchange, responseBody: `${body.slice(0, MAX_RESPONSE_CHARS)}…` }
    : exchange;
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
