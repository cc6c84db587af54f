/** The workspace used when the caller passes none. */
import type { WorkspaceState } from '../contract.js';

export function defaultWorkspace(_now: () => number): WorkspaceState {
  // Placeholder until src/emulator/workspace/ lands: the real Workspace replaces this.
  throw new Error('createEmulator: pass a workspace (the default Workspace is not available yet)');
}
