/**
 * Small helpers shared by the workspace files. Nothing here knows Customer.io's rules.
 *
 * Input keys (attribute names, event data keys) are never assigned with `obj[key] = value` on an
 * ordinary object: a key such as `__proto__` would then change the object's prototype. State keeps
 * such keys in Maps, and views are built with `Object.fromEntries`, which defines own properties.
 */
import type { OperationResult } from '../contract.js';
import { cloneJson } from './clone.js';

export { cloneJson };

export type Failure = Extract<OperationResult, { ok: false }>;

export function fail(reason: string, field: string, message: string): Failure {
  return { ok: false, reason, field, message };
}

export function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;
}

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A plain object from a Map, copying values; `Object.fromEntries` defines own properties only. */
export function recordOf(map: ReadonlyMap<string, unknown>): Record<string, unknown> {
  return Object.fromEntries([...map].map(([key, value]) => [key, cloneJson(value)]));
}

/** An id may arrive as a number (Customer.io: "must be a string or a number"); it is kept as a string. */
export function idString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Customer.io tells an email from an id by its shape (rudderstack-classic-trackapi.md §3.2). */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

export function normaliseEmail(email: string): string {
  return email.toLowerCase();
}

export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
