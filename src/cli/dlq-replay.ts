/**
 * `cio-relay dlq replay` with progress: the selected dead letters' ids are read first (a snapshot:
 * letters that die meanwhile wait for the next replay), then replayed in chunks, each chunk one
 * store transaction, so a large replay shows how far it is and a running relay starts delivering
 * the first chunks while the rest is still being queued.
 */
import type { DeadLetterSelection, Store } from '../store/types.js';
import { Progress, type ProgressOptions } from './progress.js';

const CHUNK = 500;
const PAGE = 1000;

export async function replayWithProgress(
  store: Store,
  selection: DeadLetterSelection,
  progress: Pick<ProgressOptions, 'stream' | 'intervalMs'>,
  now: () => number = Date.now,
): Promise<number> {
  const ids = selection.ids ? [...selection.ids] : await selectedIds(store, selection.destination);
  const shown = new Progress({ ...progress, label: 'replay', noun: 'dead letters', total: ids.length });
  let replayed = 0;
  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK);
    replayed += await store.replayDeadLetters({ ids: chunk }, now());
    shown.update(start + chunk.length, replayed);
  }
  shown.finish();
  return replayed;
}

/** Every dead letter's id, or a destination's, oldest first. */
async function selectedIds(store: Store, destination: string | undefined): Promise<number[]> {
  const ids: number[] = [];
  for (let afterId: number | undefined; ; ) {
    const page = await store.listDeadLetters({
      ...(destination !== undefined && { destination }),
      ...(afterId !== undefined && { afterId }),
      limit: PAGE,
    });
    for (const letter of page) ids.push(letter.id);
    if (page.length < PAGE) return ids;
    afterId = page[page.length - 1]!.id;
  }
}
