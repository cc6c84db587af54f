/** Plain-object helpers that never let an event's `__proto__` key touch a prototype. */

/** `target[key] = value`, except that a `__proto__` key is stored as data, never as the prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** A copy of `source` without `keys` (a fresh object the caller may change). */
export function omitKeys(source: object | undefined, keys: readonly string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  if (source === undefined) return copy;
  for (const key of Object.keys(source)) {
    if (!keys.includes(key)) setOwn(copy, key, (source as Record<string, unknown>)[key]);
  }
  return copy;
}
