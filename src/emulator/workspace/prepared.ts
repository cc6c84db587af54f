/**
 * Every operation is applied in two steps: `prepare` reads the state and either refuses the
 * operation (a Failure) or returns a commit function that cannot fail. `validateV2` runs only the
 * first step, so it gives exactly the answer `applyV2` would, and a refused operation never leaves
 * half of its changes behind.
 */
import type { State } from './model.js';
import type { Failure } from './util.js';

export type Commit = () => void;
export type Prepared = Failure | Commit;

export interface Context {
  state: State;
  /** Unix seconds when the operation arrived. */
  now: number;
}

export const NOTHING: Commit = () => {};

export function isCommit(prepared: Prepared): prepared is Commit {
  return typeof prepared === 'function';
}
