/**
 * Why a store could not write, in words an operator and a client can act on, for the failures both
 * stores name by a code: SQLite's SQLITE_FULL and PostgreSQL's disk_full (SQLSTATE 53100). Other
 * errors answer undefined; their text stays in the log, never in an answer (it may name hosts).
 */
const DISK_FULL = new Set(['SQLITE_FULL', '53100']);

export function storeFailureCause(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && DISK_FULL.has(code)) return "the relay's disk is full";
  return undefined;
}
