import { compileAction, isOperation, type Operation } from '../../src/customerio/index.js';
import type { Rejection } from '../../src/errors.js';

export const NOW = Date.UTC(2024, 2, 1, 12, 0, 0);
const context = { now: () => NOW };

/** Run one action with its default mapping (or overrides) on an event. */
export function run(action: string, event: Record<string, unknown>, mapping?: Record<string, unknown>) {
  return compileAction(action, mapping).run(event, context);
}

/** The operation's body; fails the test with the rejection's message when there is none. */
export function body(result: Operation | Rejection): Record<string, unknown> {
  if (!isOperation(result)) throw new Error(`expected an operation, got ${result.code}: ${result.message}`);
  return result.body as unknown as Record<string, unknown>;
}

export function rejection(result: Operation | Rejection): Rejection {
  if (isOperation(result)) throw new Error(`expected a rejection, got ${JSON.stringify(result.body)}`);
  return result;
}
