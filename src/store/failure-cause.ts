/**
 * Why a store could not write, in words an operator and a client can act on, for the failures
 * named by a code: SQLite's SQLITE_FULL and PostgreSQL's disk_full (SQLSTATE 53100), and the SQLite
 * store's destination slots all busy (sqlite/slots.ts). Other errors answer undefined; their text
 * stays in the log, never in an answer (it may name hosts).
 */
const DISK_FULL = new Set(['SQLITE_FULL', '53100']);

export function storeFailureCause(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && DISK_FULL.has(code)) return "the relay's disk is full";
  if (code === 'destinations_exhausted')
    return 'its store has unfinished jobs for as many destinations as it can hold';
  return undefined;
}
