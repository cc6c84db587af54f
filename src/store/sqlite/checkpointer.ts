/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the commit that
 * crosses the threshold: copying megabytes into the database file and two fsyncs, a stall of tens
 * of milliseconds for whichever append or claim is unlucky. Instead a worker thread with its own
 * connection runs PASSIVE checkpoints (they never block the writer) every `intervalMs`; the
 * store's connection keeps a high automatic threshold only as a backstop should the worker fall
 * behind or die.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Runs in the worker (CommonJS, `eval`): open the file, checkpoint on a timer, close on 'stop'. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error)); }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** Pages in the WAL before the store's own connection checkpoints (the backstop), ~64 MB. */
export const BACKSTOP_PAGES = 16_384;

export class Checkpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(file: string, intervalMs = 100) {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER, { eval: true, workerData: { file, module, intervalMs } });
    this.worker.unref();
    // A failing checkpoint is retried on the next tick; the backstop covers a worker that died.
    this.worker.on('error', () => undefined);
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
  }

  /** Close the worker's connection first, so that the store's close can remove the WAL. */
  async stop(): Promise<void> {
    // Referenced again: an unreferenced worker would let the process exit before it has closed.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}
