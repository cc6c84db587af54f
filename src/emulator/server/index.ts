export { createEmulator, HARD_BODY_LIMIT } from './create-emulator.js';
export type { FaultSettings } from './faults.js';
export { parseFaultSettings } from './faults.js';
export type { Emulator, EmulatorOptions } from './options.js';
export type { RecordedRequest } from './request-log.js';
export type { Stats } from './stats.js';
