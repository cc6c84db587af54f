/**
 * From claimed jobs to the requests that carry them: each job's operations as ingest prepared them
 * when they were mapped with the subscriptions in force, else mapped here from the stored event (so a
 * subscription fixed before a replay applies; prepared.ts); v2 operations are packed into `/api/v2/batch`
 * requests in job order; the delivery metrics v2 cannot express go one by one to `/api/v1/metrics`.
 */
import { type BuildContext, TRACK_PATHS } from '../../customerio/index.js';
import { type Rejection, reject } from '../../errors.js';
import type { Job } from '../../store/types.js';
import { Batcher } from '../batcher.js';
import { type MappedEvent, mapEvent } from '../mapped-event.js';
import { decodePrepared, sectionHeader } from '../prepared.js';
import type { CompiledSubscription } from '../router.js';

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
  /** The destination's name and the version of its subscriptions: which prepared operations apply. */
  destination: string;
  version: string;
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
  // The line that starts this destination's prepared section, when mapped with its subscriptions.
  const header = sectionHeader(options.destination, options.version);
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
    const mapped = mappedFor(job, header, options, context);
    if (mapped === undefined) {
      return {
        job,
        operations: 0,
        rejections: [reject('stored_event_unreadable', 'the stored event is not valid JSON')],
      };
    }
    const plan: JobPlan = { job, operations: mapped.operations.length, rejections: mapped.rejections };
    if (mapped.filtered !== undefined) plan.filtered = mapped.filtered;
    for (const { action, endpoint, json, bytes } of mapped.operations) {
      const planned = { job: index, action, json };
      if (endpoint === 'v2') {
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

/** What ingest prepared for this destination, if mapped with the subscriptions in force; else mapped now. */
function mappedFor(
  job: Job,
  header: string,
  options: PlanOptions,
  context: BuildContext,
): MappedEvent | undefined {
  if (job.prepared !== undefined) {
    const prepared = decodePrepared(job.prepared, header);
    if (prepared !== undefined) return prepared;
  }
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(job.body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  return mapEvent(event, options.subscriptions, context);
}
