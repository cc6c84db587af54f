/**
 * Start a worker thread on one of the project's own modules, whether the project runs built
 * (dist/*.js) or from its TypeScript sources (tests, benchmarks through tsx). Node 20 does not pass
 * a parent's loader hooks (`--import tsx`) to workers, so from sources the worker first registers
 * tsx's loader itself, then imports the `.ts` module.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** True when this module runs from its `.ts` source (so the project's other modules do too). */
const FROM_SOURCES = import.meta.url.endsWith('.ts');

/** `moduleUrl`: the module's URL as seen by its caller (`new URL('./x.js', import.meta.url)`). */
export function startModuleWorker(moduleUrl: URL, workerData: unknown): Worker {
  if (!FROM_SOURCES) return new Worker(moduleUrl, { workerData });
  const entry = pathToFileURL(fileURLToPath(moduleUrl).replace(/\.js$/, '.ts')).href;
  // tsx's ESM API: its package maps `tsx/esm/api` to a CommonJS file for require(); the ESM twin
  // sits beside it.
  const api = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData });
}
