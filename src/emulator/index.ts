/** The emulator's public surface: a local Customer.io Track API (see README.md in this folder). */
export type {
  ActivityView,
  DeviceView,
  MetricView,
  ObjectView,
  OperationResult,
  PersonView,
  V1Result,
  V2Options,
  WorkspaceState,
} from './contract.js';
export { LIMITS } from './contract.js';
export type { Emulator, EmulatorOptions, FaultSettings, RecordedRequest, Stats } from './server/index.js';
export { createEmulator, parseFaultSettings } from './server/index.js';
export type { WorkspaceOptions } from './workspace/index.js';
export { Workspace } from './workspace/index.js';
