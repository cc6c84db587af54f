/**
 * Decides, per API request, whether and how to misbehave. State: the current settings, the seeded
 * random source and the request-rate token bucket. Pure decision only; `api-hooks.ts` acts on it.
 */
import type { FaultSettings } from './faults.js';
import { DEFAULT_ERROR_STATUSES, isQuiet, parseFaultSettings } from './faults.js';
import type { RandomSource } from './random.js';
import { createRandom, randomSeed } from './random.js';
import type { TokenBucket } from './token-bucket.js';
import { createTokenBucket } from './token-bucket.js';

export type FaultAction =
  | { kind: 'none' }
  | { kind: 'drop' }
  | { kind: 'hang' }
  /** Apply the request, then reset the connection (`reset`) or never answer (`hang`). */
  | { kind: 'after_apply'; then: 'reset' | 'hang' }
  /**
   * `limit` = the request-rate token bucket refused it; `injected` = the `rateLimitRate` share.
   * `retryAfterSeconds` null: no Retry-After header (`omitRetryAfter`).
   */
  | { kind: 'rate_limited'; source: 'limit' | 'injected'; retryAfterSeconds: number | null }
  | { kind: 'error'; status: number };

export interface FaultDecision {
  action: FaultAction;
  latencyMs: number;
}

export interface FaultInjector {
  /** The settings in force, with `seed` always filled in so a run can be reproduced. */
  current(): FaultSettings & { seed: number };
  /** Replace all settings (not a merge). Throws a TypeError listing every problem when invalid. */
  set(input: unknown): void;
  decide(nowMs: number): FaultDecision;
}

const NO_FAULT: FaultDecision = { action: { kind: 'none' }, latencyMs: 0 };

export function createFaultInjector(initial: FaultSettings | undefined, nowMs: () => number): FaultInjector {
  let settings: FaultSettings = {};
  let random: RandomSource = createRandom(randomSeed());
  let bucket: TokenBucket | undefined;
  let quiet = true;

  function set(input: unknown): void {
    const parsed = parseFaultSettings(input);
    if (!parsed.ok) throw new TypeError(`invalid fault settings: ${parsed.errors.join('; ')}`);
    settings = parsed.settings;
    // Without a new seed the sequence continues, so changing one share mid-test stays reproducible.
    if (settings.seed !== undefined) random = createRandom(settings.seed);
    const rps = settings.requestsPerSecond ?? 0;
    bucket =
      rps > 0 ? createTokenBucket(rps, settings.burst ?? Math.max(1, Math.floor(rps)), nowMs()) : undefined;
    quiet = isQuiet(settings);
  }

  set(initial ?? {});

  return {
    current: () => ({ ...settings, seed: random.seed }),
    set,
    decide(now: number): FaultDecision {
      if (quiet) return NO_FAULT;
      const latencyMs = settings.latencyMs ?? 0;
      if (bucket) {
        const waitMs = bucket.take(now);
        if (waitMs > 0) {
          return {
            action: {
              kind: 'rate_limited',
              source: 'limit',
              retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
            },
            latencyMs,
          };
        }
      }
      return { action: drawAction(settings, random), latencyMs };
    },
  };
}

/**
 * One uniform draw split into consecutive bands: drop, hang, reset after apply, hang after apply,
 * rate limit, error, then none.
 */
function drawAction(settings: FaultSettings, random: RandomSource): FaultAction {
  const draw = random.next();
  let edge = settings.dropRate ?? 0;
  if (draw < edge) return { kind: 'drop' };
  edge += settings.hangRate ?? 0;
  if (draw < edge) return { kind: 'hang' };
  edge += settings.resetAfterApplyRate ?? 0;
  if (draw < edge) return { kind: 'after_apply', then: 'reset' };
  edge += settings.hangAfterApplyRate ?? 0;
  if (draw < edge) return { kind: 'after_apply', then: 'hang' };
  edge += settings.rateLimitRate ?? 0;
  if (draw < edge) {
    const retryAfterSeconds = settings.omitRetryAfter ? null : (settings.retryAfterSeconds ?? 1);
    return { kind: 'rate_limited', source: 'injected', retryAfterSeconds };
  }
  edge += settings.errorRate ?? 0;
  if (draw < edge) {
    const statuses = settings.errorStatuses ?? DEFAULT_ERROR_STATUSES;
    const status = statuses[Math.floor(random.next() * statuses.length)] ?? 500;
    return { kind: 'error', status };
  }
  return { kind: 'none' };
}
