/**
 * Fault settings: what share of API requests the emulator answers badly, and how. They are a plain
 * JSON object so that `POST /_emulator/faults`, the CLI flags and `setFaults()` share one validator.
 */

export interface FaultSettings {
  /** Share (0..1) of API requests answered with one of `errorStatuses`, without applying them. */
  errorRate?: number;
  /** Statuses drawn from for `errorRate` (default 500, 502, 503). Any integer 400..599. */
  errorStatuses?: number[];
  /** Share (0..1) of API requests answered 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitRate?: number;
  /** `Retry-After` value for injected 429s (default 1). The request-rate limit computes its own. */
  retryAfterSeconds?: number;
  /** Injected 429s carry no `Retry-After` header at all (the sender must pick its own backoff). */
  omitRetryAfter?: boolean;
  /** Delay added before every API answer, in milliseconds (default 0, at most 60000). */
  latencyMs?: number;
  /** Share (0..1) of API requests that are never answered (until the client gives up or we close). */
  hangRate?: number;
  /** Share (0..1) of API requests whose connection is destroyed without a response. */
  dropRate?: number;
  /**
   * Share (0..1) of API requests that are applied, then their connection is reset instead of
   * answered: Customer.io got the data but the sender never hears so (it will send it again).
   */
  resetAfterApplyRate?: number;
  /** Share (0..1) of API requests that are applied, then never answered (until the client gives up). */
  hangAfterApplyRate?: number;
  /** A real request-rate limit (token bucket) in requests per second; 0 or absent = off. */
  requestsPerSecond?: number;
  /** Bucket size for `requestsPerSecond` (default: one second's worth, at least 1). */
  burst?: number;
  /** Seed of the random source that picks which requests fail; set it for reproducible runs. */
  seed?: number;
}

export const DEFAULT_ERROR_STATUSES: readonly number[] = [500, 502, 503];
const MAX_LATENCY_MS = 60_000;
const MAX_RETRY_AFTER_SECONDS = 86_400;

type Rule = (value: unknown, name: string) => string | undefined;

function rate(value: unknown, name: string): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    return `${name} must be a number between 0 and 1 (got ${JSON.stringify(value)})`;
  }
  return undefined;
}

function integer(min: number, max: number): Rule {
  return (value, name) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? undefined
      : `${name} must be an integer between ${min} and ${max} (got ${JSON.stringify(value)})`;
}

function positiveNumber(max: number): Rule {
  return (value, name) =>
    typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= max
      ? undefined
      : `${name} must be a number between 0 and ${max} (got ${JSON.stringify(value)})`;
}

function boolean(value: unknown, name: string): string | undefined {
  return typeof value === 'boolean'
    ? undefined
    : `${name} must be true or false (got ${JSON.stringify(value)})`;
}

function statuses(value: unknown, name: string): string | undefined {
  const statusRule = integer(400, 599);
  if (!Array.isArray(value) || value.length === 0) {
    return `${name} must be a non-empty array of HTTP statuses (got ${JSON.stringify(value)})`;
  }
  for (const status of value) {
    const problem = statusRule(status, `each of ${name}`);
    if (problem) return problem;
  }
  return undefined;
}

const RULES: Record<keyof FaultSettings, Rule> = {
  errorRate: rate,
  errorStatuses: statuses,
  rateLimitRate: rate,
  retryAfterSeconds: integer(0, MAX_RETRY_AFTER_SECONDS),
  omitRetryAfter: boolean,
  latencyMs: integer(0, MAX_LATENCY_MS),
  hangRate: rate,
  dropRate: rate,
  resetAfterApplyRate: rate,
  hangAfterApplyRate: rate,
  requestsPerSecond: positiveNumber(1_000_000),
  burst: integer(1, 1_000_000),
  seed: integer(0, 2 ** 32 - 1),
};

const RATE_FIELDS = [
  'errorRate',
  'rateLimitRate',
  'hangRate',
  'dropRate',
  'resetAfterApplyRate',
  'hangAfterApplyRate',
] as const;

export type FaultParse = { ok: true; settings: FaultSettings } | { ok: false; errors: string[] };

/** Validate an untrusted fault-settings object; every problem is reported, not just the first. */
export function parseFaultSettings(input: unknown): FaultParse {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [`fault settings must be a JSON object (got ${describe(input)})`] };
  }
  const errors: string[] = [];
  const settings: FaultSettings = {};
  const known = Object.keys(RULES);
  for (const [key, value] of Object.entries(input)) {
    if (!Object.hasOwn(RULES, key)) {
      errors.push(`unknown fault setting "${key}" (known: ${known.join(', ')})`);
      continue;
    }
    const name = key as keyof FaultSettings;
    // null means "unset", so a client can clear one setting in a full object it sends back.
    if (value === null) continue;
    const problem = RULES[name](value, name);
    if (problem) errors.push(problem);
    else Object.assign(settings, { [name]: value });
  }
  // One uniform draw per request is split between the shares, so they cannot exceed 1 together.
  const total = RATE_FIELDS.reduce((sum, field) => sum + (settings[field] ?? 0), 0);
  if (total > 1 + 1e-9) {
    errors.push(
      `errorRate + rateLimitRate + hangRate + dropRate + resetAfterApplyRate + hangAfterApplyRate must not exceed 1 (got ${Number(total.toFixed(6))})`,
    );
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, settings };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** True when no fault at all is configured (the fast path skips the random draw). */
export function isQuiet(settings: FaultSettings): boolean {
  return !settings.latencyMs && !settings.requestsPerSecond && RATE_FIELDS.every((field) => !settings[field]);
}
