/**
 * The emulator's workspace: Customer.io's people, objects, devices, activity and metrics in
 * memory, with the Track API's rules. The HTTP server (`../server/`) talks to it only through
 * `WorkspaceState` (`../contract.ts`).
 */
import type {
  ActivityView,
  MetricView,
  ObjectView,
  OperationResult,
  PersonView,
  V1Result,
  V2Options,
  WorkspaceState,
} from '../contract.js';
import { prepare } from './apply.js';
import { emptyState, type State } from './model.js';
import type { Operation } from './operations.js';
import { findPerson } from './people.js';
import { type Context, isCommit } from './prepared.js';
import { restoreSnapshot, takeSnapshot } from './snapshot.js';
import { cloneJson, isFailure, unixSeconds } from './util.js';
import { badRequest, OK, translateV1 } from './v1.js';
import { parseV2 } from './v2-validate.js';
import { anonymousView, objectView, personView } from './views.js';

export interface WorkspaceOptions {
  /** The clock in milliseconds; tests pass their own to control time. */
  now?: () => number;
}

const ACCEPTED: OperationResult = { ok: true };

/**
 * The checks of one v2 operation that need no state (shape, identifiers, limits). `validateV2`
 * also applies the state's rules: on an empty workspace it refuses a merge (no primary) or any
 * operation naming a cio_id, which a stateless sink should accept.
 */
export function validateV2Shape(op: unknown, options: V2Options = {}): OperationResult {
  const parsed = parseV2(op, { bytes: options.bytes });
  return isFailure(parsed) ? parsed : ACCEPTED;
}

export class Workspace implements WorkspaceState {
  #state: State = emptyState();
  readonly #now: () => number;

  constructor(options: WorkspaceOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  #context(): Context {
    return { state: this.#state, now: unixSeconds(this.#now()) };
  }

  /** Check and, when `commit`, apply one internal operation. */
  #run(op: Operation, commit: boolean): OperationResult {
    const prepared = prepare(this.#context(), op);
    if (!isCommit(prepared)) return prepared;
    if (commit) prepared();
    return ACCEPTED;
  }

  validateV2Shape(op: unknown, options: V2Options = {}): OperationResult {
    return validateV2Shape(op, options);
  }

  validateV2(op: unknown, options: V2Options = {}): OperationResult {
    const parsed = parseV2(op, { bytes: options.bytes });
    return isFailure(parsed) ? parsed : this.#run(parsed, false);
  }

  applyV2(op: unknown, options: V2Options = {}): OperationResult {
    const parsed = parseV2(op, { bytes: options.bytes });
    return isFailure(parsed) ? parsed : this.#run(parsed, true);
  }

  applyV1(method: string, path: string, body: unknown): V1Result {
    const plan = translateV1(method, path, body);
    if (!('ops' in plan)) return cloneJson(plan);
    // Every operation of the plan has passed validation already. Only an identify with
    // `cio_relationships.action = delete_relationships` has two, and the second cannot be refused
    // once the first (same person, same identifiers) was accepted.
    for (const op of plan.ops) {
      const result = this.#run(op, true);
      if (!result.ok) return badRequest(result.message, plan.errorList);
    }
    return cloneJson(OK);
  }

  people(): PersonView[] {
    return [...this.#state.people.values()].map((person) => personView(this.#state, person));
  }

  person(key: string): PersonView | undefined {
    const state = this.#state;
    const found = key.startsWith('cio_')
      ? findPerson(state, { kind: 'cio_id', value: key.slice(4) })
      : (findPerson(state, { kind: 'id', value: key }) ?? findPerson(state, { kind: 'email', value: key }));
    return found === undefined ? undefined : personView(state, found);
  }

  objects(): ObjectView[] {
    return [...this.#state.objects.values()].map(objectView);
  }

  anonymous(): Record<string, ActivityView[]> {
    return Object.fromEntries(
      [...this.#state.anonymous].map(([id, profile]) => [id, anonymousView(profile)]),
    );
  }

  metrics(): MetricView[] {
    return cloneJson(this.#state.metrics);
  }

  reset(): void {
    this.#state = emptyState();
  }

  snapshot(): unknown {
    return takeSnapshot(this.#state);
  }

  restore(snapshot: unknown): void {
    this.#state = restoreSnapshot(snapshot);
  }
}
