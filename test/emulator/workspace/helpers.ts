/** Shared fixtures: a workspace on a clock the test controls. */
import { expect } from 'vitest';
import type { OperationResult, PersonView } from '../../../src/emulator/contract.js';
import { Workspace } from '../../../src/emulator/workspace/index.js';

/** 2024-03-01T13:33:20Z, a little after the Segment reference samples (segment-actions.md §5). */
export const START_SECONDS = 1_709_300_000;

export interface Clock {
  /** Unix seconds now. */
  seconds: number;
  advance(seconds: number): void;
}

export function workspace(): { ws: Workspace; clock: Clock } {
  const clock: Clock = {
    seconds: START_SECONDS,
    advance(seconds) {
      clock.seconds += seconds;
    },
  };
  const ws = new Workspace({ now: () => clock.seconds * 1000 + 123 });
  return { ws, clock };
}

export function ok(result: OperationResult): void {
  expect(result).toEqual({ ok: true });
}

export function failure(result: OperationResult, reason: string, field: string): string {
  expect(result).toMatchObject({ ok: false, reason, field });
  if (result.ok) throw new Error('unreachable');
  expect(result.message).toMatch(/\S.*\.$/);
  return result.message;
}

export function mustFind(ws: Workspace, key: string): PersonView {
  const person = ws.person(key);
  if (person === undefined) throw new Error(`no person ${key}`);
  return person;
}

export function identify(
  identifiers: Record<string, unknown>,
  attributes: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  return { type: 'person', action: 'identify', identifiers, attributes, ...extra };
}

export function event(
  identifiers: Record<string, unknown>,
  name: string,
  extra: Record<string, unknown> = {},
) {
  return { type: 'person', action: 'event', identifiers, name, ...extra };
}

export function kinds(person: PersonView): string[] {
  return person.activity.map((entry) => entry.kind);
}
