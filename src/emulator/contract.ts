/**
 * The contract between the emulator's workspace (state + Customer.io rules, `workspace/`) and its
 * HTTP server (`server/`). The emulator imports nothing from the rest of cio-relay.
 */

/** The outcome of one operation, shaped like an item of Customer.io's 207 `errors` array. */
export type OperationResult =
  | { ok: true }
  | {
      ok: false;
      /** A short machine reason, e.g. `required`, `invalid`, `too_long`, `conflict`, `suppressed`. */
      reason: string;
      /** The field at fault, dotted, e.g. `identifiers.id`, `attributes.plan`, `name`. */
      field: string;
      /** One sentence, as Customer.io would phrase it. */
      message: string;
    };

/** A v1 answer: the HTTP status and JSON body Customer.io would give. */
export interface V1Result {
  status: number;
  body: unknown;
}

export interface ActivityView {
  /** `event`, `page`, `screen`, `device_added`, `device_updated`, `device_deleted`, `merged`, `identified`, ... */
  kind: string;
  name?: string;
  /** Event `id` when one was given (Customer.io de-duplicates on it). */
  id?: string;
  data?: Record<string, unknown>;
  /** Unix seconds: the operation's timestamp, else when the emulator received it. */
  timestamp: number;
}

export interface DeviceView {
  token: string;
  platform: string;
  last_used?: number;
  attributes: Record<string, unknown>;
}

export interface PersonView {
  cio_id: string;
  id?: string;
  email?: string;
  anonymous_ids: string[];
  attributes: Record<string, unknown>;
  devices: DeviceView[];
  relationships: { object_type_id: string; object_id: string; attributes: Record<string, unknown> }[];
  activity: ActivityView[];
  created_at: number;
  updated_at: number;
}

export interface ObjectView {
  object_type_id: string;
  object_id: string;
  cio_object_id: string;
  attributes: Record<string, unknown>;
  relationships: { cio_id: string; attributes: Record<string, unknown> }[];
}

export interface MetricView {
  delivery_id: string;
  metric: string;
  timestamp: number;
  recipient?: string;
  reason?: string;
  href?: string;
  metadata?: Record<string, unknown>;
}

/** What the caller of a v2 method already knows about the operation. */
export interface V2Options {
  /**
   * The operation's compact JSON size, `Buffer.byteLength(JSON.stringify(op))`, when the caller
   * has measured it (the server does for the items of a batch over 32 KB): the 32 KB limit is then
   * checked against this number instead of measuring again. Without it the workspace measures.
   */
  bytes?: number;
}

export interface WorkspaceState {
  /** Validate one v2 operation (a `/api/v2/entity` body or one `batch` item) without changing state. */
  validateV2(op: unknown, options?: V2Options): OperationResult;
  /**
   * Validate one v2 operation with only the rules that need no state (shape, identifiers, limits):
   * what sink mode uses, since a stateless sink cannot know whether a merge's primary or a cio_id
   * exists and must not refuse such operations.
   */
  validateV2Shape(op: unknown, options?: V2Options): OperationResult;
  /** Validate, then apply one v2 operation. */
  applyV2(op: unknown, options?: V2Options): OperationResult;
  /**
   * Apply one v1 request. `path` is what follows `/api/v1`, still URL-encoded
   * (e.g. `/customers/jane%40example.com/events`); `body` is the parsed JSON or undefined.
   * `/metrics` is included. Unknown paths answer 404.
   */
  applyV1(method: string, path: string, body: unknown): V1Result;

  people(): PersonView[];
  /** Look a person up by id, email or `cio_<cio_id>`. */
  person(key: string): PersonView | undefined;
  objects(): ObjectView[];
  /** Anonymous activity not yet merged into a person, by anonymous_id. */
  anonymous(): Record<string, ActivityView[]>;
  metrics(): MetricView[];
  reset(): void;
  /** A JSON-serialisable copy of the whole state, for the optional snapshot file. */
  snapshot(): unknown;
  restore(snapshot: unknown): void;
}

/** Customer.io's published limits (rudderstack-classic-trackapi.md §3.5). */
export const LIMITS = {
  entityBytes: 32 * 1024,
  batchBytes: 500 * 1024,
  idBytes: 150,
  attributeNameBytes: 150,
  attributeValueBytes: 1000,
  eventNameBytes: 100,
  eventDataBytes: 100_000,
  attributesPerPerson: 300,
  /** Anonymous activity is merged into a person identified with that anonymous_id within 30 days. */
  anonymousMergeWindowSeconds: 30 * 24 * 3600,
} as const;
