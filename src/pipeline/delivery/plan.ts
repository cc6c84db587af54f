/**
 * From claimed jobs to the requests that carry them: each stored event is mapped again here (so a
 * subscription fixed before a replay applies), v2 operations are packed into `/api/v2/batch`
 * requests in job order; the delivery metrics v2 cannot express go one by one to `/api/v1/metrics`.
 */
import { isOperation, TRACK_LIMITS, TRACK_PATHS } from '../../customerio/index.js';
import { type Rejection, reject } from '../../errors.js';
import type { Job } from '../../store/types.js';
import { Batcher } from '../batcher.js';
import { routeRegulation } from '../regulation.js';
import { type CompiledSubscription, filterReason, route } from '../router.js';

export interface PlannedOperation {
  /** Position of its job in the claimed list. */
  job: number;
  action: string;
  json: string;
}

export interface PlannedRequest {
  url: string;
  body: string;
  operations: PlannedOperation[];
}

export interface JobPlan {
  job: Job;
  /** How many operations it sends. */
  operations: number;
  /** Subscriptions that matched but could not build an operation (e.g. a missing identifier). */
  rejections: Rejection[];
  /** Why the destination does not send the event (a profile's filter rule), when it does not. */
  filtered?: string | undefined;
}

export interface PlanOptions {
  subscriptions: readonly CompiledSubscription[];
  base: string;
  maxOperations: number;
  maxBytes: number;
  now: () => number;
}

export function planDelivery(
  jobs: readonly Job[],
  options: PlanOptions,
): { jobs: JobPlan[]; requests: PlannedRequest[] } {
  const context = { now: options.now };
  const batcher = new Batcher<PlannedOperation>(options.maxOperations, options.maxBytes);
  const requests: PlannedRequest[] = [];
  const batchUrl = options.base + TRACK_PATHS.batch;
  const closeBatch = (items: PlannedOperation[] | undefined) => {
    if (items) {
      requests.push({
        url: batchUrl,
        body: `{"batch":[${items.map((o) => o.json).join(',')}]}`,
        operations: items,
      });
    }
  };

  const plans = jobs.map((job, index): JobPlan => {
    const plan: JobPlan = { job, operations: 0, rejections: [] };
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(job.body) as Record<string, unknown>;
    } catch {
      plan.rejections.push(reject('stored_event_unreadable', 'the stored event is not valid JSON'));
      return plan;
    }
    // A regulation (admin API) is sent as such, whatever the subscriptions (regulation.ts).
    const routed = routeRegulation(event, context) ?? route(event, options.subscriptions, context);
    if (routed.length === 0) plan.filtered = filterReason(event, options.subscriptions);
    for (const { action, result } of routed) {
      if (!isOperation(result)) {
        plan.rejections.push(result);
        continue;
      }
      const json = JSON.stringify(result.body);
      const bytes = Buffer.byteLength(json);
      if (bytes > TRACK_LIMITS.operationBytes) {
        plan.rejections.push(tooLarge(action, bytes));
        continue;
      }
      plan.operations++;
      const planned = { job: index, action, json };
      if (result.endpoint === 'v2') {
        closeBatch(batcher.add(planned, bytes));
        if (batcher.full) closeBatch(batcher.flush());
      } else {
        // A delivery metric v2 cannot express (clicked, bounced, …): one `/api/v1/metrics` request each.
        requests.push({ url: options.base + TRACK_PATHS.metrics, body: json, operations: [planned] });
      }
    }
    return plan;
  });
  closeBatch(batcher.flush());
  return { jobs: plans, requests };
}

function tooLarge(action: string, bytes: number): Rejection {
  return reject(
    'operation_too_large',
    `${action}: the operation is ${bytes} bytes; Customer.io accepts at most ${TRACK_LIMITS.operationBytes} per operation (trim large properties or traits in the mapping)`,
  );
}
