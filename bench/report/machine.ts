/** The machine a run happened on, from node:os, as the report shows it. */
import { arch, cpus, release, totalmem, type } from 'node:os';
import type { Machine } from './results.js';

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGb: totalmem() / 2 ** 30,
    node: process.version,
    os: `${type()} ${release()} (${arch()})`,
  };
}
