/** The shape every refusal of the relay has (src/server/responses.ts), as fuzz checks. */
import { expect } from 'vitest';

/** The one answer shape of every refusal (responses.ts). */
export function expectRefusal(body: Record<string, unknown>, status: number): void {
  expect(body.success, `${status} says success: false`).toBe(false);
  expect(typeof body.code === 'string' && body.code.length > 0, `${status} has a code`).toBe(true);
  // The catch-all for errors the relay did not foresee (create-server.ts): each refusal should name its reason.
  expect(body.code, `${status}: ${String(body.message)}`).not.toBe('bad_request');
  expect(typeof body.message === 'string' && body.message.length > 10, `${status} has a message`).toBe(true);
}

export function expectRejectedItems(rejected: unknown): void {
  if (rejected === undefined) return;
  expect(Array.isArray(rejected)).toBe(true);
  for (const item of rejected as Array<Record<string, unknown>>) {
    expect(Number.isInteger(item.index)).toBe(true);
    expect(typeof item.code === 'string' && item.code.length > 0, 'a rejected event has a code').toBe(true);
    expect(
      typeof item.message === 'string' && item.message.length > 10,
      'a rejected event has a message',
    ).toBe(true);
  }
}
