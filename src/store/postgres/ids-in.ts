/**
 * The condition finding a destination's jobs by id: `j.id = ANY(ids)` bounded by the ids' range.
 * The planner, misled by a queue's always-stale statistics (and by a generic plan's array of
 * unknown length), often scans a destination's whole queue in the (dest, id) index with `id =
 * ANY` as a filter: with 20,000 jobs queued, 2-6 ms per claim or result of 100 jobs. The range is
 * an index condition whatever plan it picks, so the scan covers at most the span of the ids (the
 * head of the queue a claim took them from), however long the queue.
 */
export function idsIn(lowest: string, highest: string, ids: string): string {
  return `j.id >= ${lowest} AND j.id <= ${highest} AND j.id = ANY(${ids})`;
}
