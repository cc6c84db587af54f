/**
 * Prototype pollution checks: a snapshot of the built-in prototypes' own properties, compared
 * after the code under test ran, and a walk of produced values for anything they should not have.
 */
import { expect } from 'vitest';

const WATCHED: ReadonlyArray<[string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
  ['Number.prototype', Number.prototype],
  ['Boolean.prototype', Boolean.prototype],
  ['Object', Object],
];

type Snapshot = Map<string, Map<PropertyKey, PropertyDescriptor>>;

export function snapshotPrototypes(): Snapshot {
  const snapshot: Snapshot = new Map();
  for (const [name, target] of WATCHED) {
    const properties = new Map<PropertyKey, PropertyDescriptor>();
    for (const key of Reflect.ownKeys(target)) {
      properties.set(key, Object.getOwnPropertyDescriptor(target, key)!);
    }
    snapshot.set(name, properties);
  }
  return snapshot;
}

/** What changed on the watched prototypes since `before` (cheap: runs after every case). */
export function prototypeChanges(before: Snapshot): string[] {
  const changes: string[] = [];
  for (const [name, target] of WATCHED) {
    const was = before.get(name)!;
    for (const key of Reflect.ownKeys(target)) {
      if (!was.has(key)) changes.push(`${name}.${String(key)} was added`);
    }
    for (const [key, descriptor] of was) {
      const now = Object.getOwnPropertyDescriptor(target, key);
      if (now === undefined) changes.push(`${name}.${String(key)} was removed`);
      else if (now.value !== descriptor.value || now.get !== descriptor.get || now.set !== descriptor.set) {
        changes.push(`${name}.${String(key)} was replaced`);
      }
    }
  }
  if (Object.getPrototypeOf({}) !== Object.prototype) changes.push('{} has another prototype');
  return changes;
}

/** Fails when any watched prototype gained, lost or changed a property since `before`. */
export function expectPrototypesUnchanged(before: Snapshot): void {
  const changes = prototypeChanges(before);
  if (changes.length > 0) expect(changes, 'prototypes were polluted').toEqual([]);
}

/**
 * What is wrong with a produced value (an operation body, a mapped payload) that JSON could not
 * have given: an object with an unusual prototype, an inherited enumerable key, a function.
 */
export function plainDataProblems(value: unknown, where = '$', depth = 0, problems: string[] = []): string[] {
  if (depth > 100 || problems.length > 0) return problems;
  if (typeof value === 'function') problems.push(`${where} is a function`);
  if (typeof value !== 'object' || value === null) return problems;
  const prototype = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (prototype !== Array.prototype) problems.push(`${where} is an array with another prototype`);
    for (let i = 0; i < value.length; i++) plainDataProblems(value[i], `${where}[${i}]`, depth + 1, problems);
    return problems;
  }
  if (prototype !== Object.prototype && prototype !== null) {
    problems.push(`${where} is a ${Object.prototype.toString.call(value)}, not a plain object`);
    return problems;
  }
  const own = new Set(Object.keys(value));
  for (const key in value) {
    if (!own.has(key)) problems.push(`${where} inherits the enumerable key ${JSON.stringify(key)}`);
  }
  for (const key of own)
    plainDataProblems((value as Record<string, unknown>)[key], `${where}.${key}`, depth + 1, problems);
  return problems;
}
