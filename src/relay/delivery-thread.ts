/**
 * The delivery thread's entry point: its own store connection on the relay's SQLite file and the
 * delivery engine (claim → map → send → record), so that delivery and ingest run on two cores.
 * Log records go to the main thread's logger (one configuration, one redaction, one stream).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DeliveryEngine } from '../pipeline/delivery/index.js';
import { InFlightCounts, openSqliteStore, WriteLock } from '../store/index.js';
import type {
  DeliveryThreadData,
  FromDelivery,
  LogLevel,
  ReplyValue,
  ToDelivery,
} from './delivery-messages.js';
import { createTrackClient } from './track-client.js';

const COUNTERS_INTERVAL_MS = 1000;
const port = parentPort!;
const data = workerData as DeliveryThreadData;
const post = (message: FromDelivery) => port.postMessage(message);
const log = (level: LogLevel) => (details: object, message: string) =>
  post({ type: 'log', level, details: plain(details), message });

async function main(): Promise<void> {
  // Checkpoints are the main connection's business; one checkpointer per file is enough. Its
  // reads are of recent pages (the queue's head, new events), mostly in the OS cache anyway: a
  // smaller page cache keeps the relay's memory in bounds (bench:e2e's backlog phase).
  const store = openSqliteStore({
    file: data.storeFile,
    checkpoints: false,
    cacheMb: 16,
    writeLock: new WriteLock(data.writeLock),
    inFlightCounts: new InFlightCounts(data.inFlightCounts),
  });
  const engine = new DeliveryEngine({
    destinations: data.destinations,
    store,
    transportFor: createTrackClient,
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
    ...(data.idlePollMs !== undefined && { idlePollMs: data.idlePollMs }),
  });
  const counting = setInterval(() => {
    void engine.counters().then((value) => post({ type: 'counters', value }));
  }, COUNTERS_INTERVAL_MS);
  counting.unref();
  port.on('message', (message: ToDelivery) => {
    switch (message.type) {
      case 'notify':
        engine.notify(message.destinations);
        return;
      case 'status':
        answer(message.id, engine.status());
        return;
      case 'counters':
        answer(message.id, engine.counters());
        return;
      case 'resume':
        answer(message.id, engine.resume(message.destination));
        return;
      case 'subscriptions':
        answer(message.id, engine.applySubscriptions(message.destination, message.routes));
        return;
      case 'stop':
        clearInterval(counting);
        void engine
          .stop()
          .then(() => engine.counters())
          .then((value) => post({ type: 'counters', value })) // the last deliveries' counts
          .then(() => store.close())
          .then(() => port.close());
        return;
    }
  });
  await engine.start();
  post({ type: 'started' });
}

function answer(id: number, value: Promise<ReplyValue>): void {
  value.then(
    (v) => post({ type: 'reply', id, value: v }),
    (error: unknown) => post({ type: 'replyError', id, message: (error as Error).message }),
  );
}

/** Errors become `{message, code}` so the main thread's logger shows them like its own. */
function plain(details: object): object {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    out[key] =
      value instanceof Error
        ? { type: value.name, message: value.message, ...(value.stack && { stack: value.stack }) }
        : value;
  }
  return out;
}

main().catch((error: unknown) => {
  post({ type: 'failed', message: (error as Error).message });
  port.close();
});
