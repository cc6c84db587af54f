/**
 * Small helpers shared by the compiler and the directives, for reading configuration shapes and
 * event values safely.
 */

const hasOwn = Object.prototype.hasOwnProperty;

/** An object literal (as JSON.parse or a YAML parser makes it), not an array, Date, Map... */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** True for an object whose keys make it a directive call: `{"@path": ...}`. */
export function hasDirectiveKey(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).some((key) => key.startsWith('@'));
}

/**
 * Segment's test for "this object is a directive": at least one `@` key, and no other key except
 * `_metadata` (which Segment's editor stores next to directives and which is ignored).
 */
export function isDirective(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.some((key) => key.startsWith('@')) && keys.every((key) => key.startsWith('@') || key === '_metadata')
  );
}

/**
 * Reads an own property. Inherited ones (`constructor`, `__proto__`, `toString`...) read as
 * missing, so a path can never reach Object.prototype or a function.
 */
export function readOwn(container: unknown, key: string): unknown {
  if (typeof container !== 'object' || container === null) return undefined;
  return hasOwn.call(container, key) ? (container as Record<string, unknown>)[key] : undefined;
}
