/**
 * Can the store commit? `/ready` asks this: an empty append, through the same group commit, write
 * lock and transaction as ingest (on PostgreSQL a transaction on a pooled connection), so a closed
 * store, a database that cannot be reached, or one that refuses write transactions makes the relay
 * not ready. One probe at a time, its answer kept for a second (probes from several orchestrators
 * never pile up), and one that takes longer than `timeoutMs` counts as a failure.
 */
import type { Store } from '../store/types.js';

export type ProbeResult = { ok: true } | { ok: false; error: unknown };

export function createStoreProbe(
  store: Store,
  options: { keepMs?: number; timeoutMs?: number } = {},
): () => Promise<ProbeResult> {
  const keepMs = options.keepMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 2000;
  let last: { at: number; result: Promise<ProbeResult> } | undefined;
  return () => {
    const now = Date.now();
    if (last && now - last.at < keepMs) return last.result;
    last = { at: now, result: probe(store, timeoutMs) };
    return last.result;
  };
}

async function probe(store: Store, timeoutMs: number): Promise<ProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, error: new Error(`no answer within ${timeoutMs} ms`) }),
      timeoutMs,
    );
  });
  const written = store.append([], { dedupeWindowMs: 0 }).then(
    (): ProbeResult => ({ ok: true }),
    (error: unknown): ProbeResult => ({ ok: false, error }),
  );
  try {
    return await Promise.race([written, late]);
  } finally {
    clearTimeout(timer);
  }
}
