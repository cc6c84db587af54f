/**
 * A tiny stand-in for the real Workspace, used until (and alongside) it: the server tests check
 * HTTP behaviour (status codes, shapes, faults), not Customer.io's rules, which the workspace's own
 * tests cover. It knows just enough: v2 person identify/event, v1 PUT customer, a 150-byte id limit.
 */
import type {
  ActivityView,
  MetricView,
  ObjectView,
  OperationResult,
  PersonView,
  V1Result,
  WorkspaceState,
} from '../../../src/emulator/contract.js';

interface Op {
  type?: unknown;
  action?: unknown;
  identifiers?: { id?: unknown };
  attributes?: Record<string, unknown>;
  name?: unknown;
}

export class FakeWorkspace implements WorkspaceState {
  private people_ = new Map<string, PersonView>();
  private metrics_: MetricView[] = [];
  applied = 0;

  validateV2(input: unknown): OperationResult {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return { ok: false, reason: 'invalid', field: '', message: 'operation must be an object' };
    }
    const op = input as Op;
    if (op.type !== 'person')
      return { ok: false, reason: 'invalid', field: 'type', message: 'type must be person' };
    if (op.action !== 'identify' && op.action !== 'event') {
      return { ok: false, reason: 'invalid', field: 'action', message: 'unknown action' };
    }
    const id = op.identifiers?.id;
    if (typeof id !== 'string' || id === '') {
      return {
        ok: false,
        reason: 'required',
        field: 'identifiers.id',
        message: 'identifiers.id is required',
      };
    }
    if (Buffer.byteLength(id) > 150) {
      return {
        ok: false,
        reason: 'too_long',
        field: 'identifiers.id',
        message: 'id is longer than 150 bytes',
      };
    }
    if (op.action === 'event' && typeof op.name !== 'string') {
      return { ok: false, reason: 'required', field: 'name', message: 'name is required' };
    }
    return { ok: true };
  }

  applyV2(input: unknown): OperationResult {
    const result = this.validateV2(input);
    if (!result.ok) return result;
    const op = input as Op;
    const person = this.upsert(String(op.identifiers?.id));
    if (op.action === 'identify') Object.assign(person.attributes, op.attributes ?? {});
    else person.activity.push({ kind: 'event', name: String(op.name), timestamp: 1 });
    this.applied += 1;
    return { ok: true };
  }

  applyV1(method: string, path: string, body: unknown): V1Result {
    const customer = /^\/customers\/([^/]+)$/.exec(path);
    if (method === 'PUT' && customer?.[1]) {
      const person = this.upsert(decodeURIComponent(customer[1]));
      Object.assign(person.attributes, (body as Record<string, unknown> | undefined) ?? {});
      return { status: 200, body: {} };
    }
    if (method === 'POST' && path === '/metrics') {
      this.metrics_.push({ delivery_id: 'd1', metric: 'opened', timestamp: 1 });
      return { status: 200, body: {} };
    }
    return { status: 404, body: { meta: { error: `unknown v1 route ${method} ${path}` } } };
  }

  private upsert(id: string): PersonView {
    let person = this.people_.get(id);
    if (!person) {
      person = {
        cio_id: `c${this.people_.size + 1}`,
        id,
        anonymous_ids: [],
        attributes: {},
        devices: [],
        relationships: [],
        activity: [],
        created_at: 1,
        updated_at: 1,
      };
      this.people_.set(id, person);
    }
    return person;
  }

  people(): PersonView[] {
    return [...this.people_.values()];
  }
  person(key: string): PersonView | undefined {
    return this.people_.get(key) ?? this.people().find((p) => `cio_${p.cio_id}` === key);
  }
  objects(): ObjectView[] {
    return [];
  }
  anonymous(): Record<string, ActivityView[]> {
    return {};
  }
  metrics(): MetricView[] {
    return this.metrics_;
  }
  reset(): void {
    this.people_.clear();
    this.metrics_ = [];
  }
  snapshot(): unknown {
    return { people: this.people() };
  }
  restore(snapshot: unknown): void {
    this.reset();
    for (const person of (snapshot as { people: PersonView[] }).people)
      this.people_.set(person.id ?? '', person);
  }
}
