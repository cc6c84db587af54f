/** The workspace used when the caller passes none: the emulator's own in-memory Workspace. */
import type { WorkspaceState } from '../contract.js';
import { Workspace } from '../workspace/index.js';

export function defaultWorkspace(now: () => number): WorkspaceState {
  return new Workspace({ now });
}
