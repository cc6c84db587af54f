/**
 * A small declarative vocabulary for describing the configuration file. One description drives
 * the validator (check-fields.ts), the JSON Schema for editors (json-schema.ts) and the key
 * reference in docs/configuration.md (reference-doc.ts), so the three cannot drift apart.
 *
 * Every field is required unless it has a default or is wrapped in `optional()`; an object whose
 * fields all have defaults may be left out whole.
 */

interface Described<T> {
  /** One or two sentences for people: shown in editors and in the documentation. */
  readonly description: string;
  readonly default?: T;
  readonly optional?: boolean;
  /** Shown in editors and in messages about a missing value, e.g. `${CIO_API_KEY}`. */
  readonly example?: string;
}

export interface IntegerField extends Described<number> {
  readonly kind: 'integer';
  readonly min: number;
  readonly max: number;
  /** e.g. `ms`, `bytes`: for the documentation. */
  readonly unit?: string;
}

export interface NumberField extends Described<number> {
  readonly kind: 'number';
  readonly min: number;
  readonly max: number;
  readonly unit?: string;
}

export interface BooleanField extends Described<boolean> {
  readonly kind: 'boolean';
}

export interface StringField<E extends string = string> extends Described<E> {
  readonly kind: 'string';
  readonly minLength: number;
  readonly enum?: readonly E[];
  /** A regular expression the whole value must match, with `patternText` saying it in words. */
  readonly pattern?: string;
  readonly patternText?: string;
  /** Never echoed in a message, whatever is wrong with it. */
  readonly secret?: boolean;
  /** JSON Schema `format`, for editors (`uri`). */
  readonly format?: string;
}

/** An object whose keys are the user's (a subscription's mapping): any JSON values. */
export interface RecordField extends Described<Record<string, unknown>> {
  readonly kind: 'record';
}

export type Shape = { readonly [key: string]: Field };

export interface ObjectField<S extends Shape = Shape> extends Described<never> {
  readonly kind: 'object';
  readonly fields: S;
  /** How the object reads in a message, e.g. `{name, writeKey}`. */
  readonly summary: string;
}

export interface ListField<I extends Field = Field> extends Described<never> {
  readonly kind: 'list';
  readonly items: I;
  readonly minItems: number;
  readonly maxItems?: number;
}

export type Field =
  | IntegerField
  | NumberField
  | BooleanField
  | StringField
  | RecordField
  | ObjectField
  | ListField;

/** The TypeScript type a field's checked value has. */
export type Output<F> = F extends { readonly optional: true } ? Value<F> | undefined : Value<F>;

type Value<F> = F extends IntegerField | NumberField
  ? number
  : F extends BooleanField
    ? boolean
    : F extends StringField<infer E>
      ? E
      : F extends RecordField
        ? Record<string, unknown>
        : F extends ObjectField<infer S>
          ? { -readonly [K in keyof S]: Output<S[K]> }
          : F extends ListField<infer I>
            ? Value<I>[]
            : never;

/**
 * A checked value while problems may have been found: any part of it may be missing (a value
 * that was wrong is dropped), so rules across fields must not assume anything is there.
 */
export type Loose<T> = T extends readonly (infer I)[]
  ? Loose<I>[] | undefined
  : T extends object
    ? { [K in keyof T]?: Loose<T[K]> } | undefined
    : T | undefined;

type Options<F extends Field> = Omit<F, 'kind'>;

export function integer(options: Options<IntegerField>): IntegerField {
  return { kind: 'integer', ...options };
}

export function number(options: Options<NumberField>): NumberField {
  return { kind: 'number', ...options };
}

export function boolean(options: Options<BooleanField>): BooleanField {
  return { kind: 'boolean', ...options };
}

export function string<E extends string = string>(
  options: Omit<Options<StringField<E>>, 'minLength'> & { minLength?: number },
): StringField<E> {
  // An empty string is almost always an unset `${VAR:-}`: refuse it unless a field says otherwise.
  return { kind: 'string', minLength: 1, ...options };
}

export function record(options: Options<RecordField>): RecordField {
  return { kind: 'record', ...options };
}

export function object<S extends Shape>(
  fields: S,
  options: Omit<Options<ObjectField<S>>, 'fields' | 'summary'>,
): ObjectField<S> {
  return { kind: 'object', fields, summary: summarize(fields), ...options };
}

/** `{name, writeKey}`: the keys that must be given, or all keys when none must. */
function summarize(fields: Shape): string {
  const keys = Object.keys(fields);
  const required = keys.filter((k) => isRequired(fields[k]!));
  if (required.length === 0) return `{${keys.join(', ')}}`;
  return `{${required.join(', ')}${required.length < keys.length ? ', ...' : ''}}`;
}

/** Whether leaving the field out is a problem. */
export function isRequired(field: Field): boolean {
  if (field.optional || field.default !== undefined) return false;
  return field.kind !== 'object' || Object.values(field.fields).some(isRequired);
}

export function list<I extends Field>(
  items: I,
  options: Omit<Options<ListField<I>>, 'items' | 'minItems'> & { minItems?: number },
): ListField<I> {
  return { kind: 'list', items, minItems: 0, ...options };
}

export function optional<F extends Field>(field: F): F & { readonly optional: true } {
  return { ...field, optional: true };
}

/** The values of the fields marked secret, wherever they are in `value`: to scrub messages. */
export function secretValues(field: Field, value: unknown, found: string[] = []): string[] {
  if (field.kind === 'string' && field.secret && typeof value === 'string') found.push(value);
  if (field.kind === 'object' && isPlainObject(value)) {
    for (const [key, child] of Object.entries(field.fields)) {
      if (Object.hasOwn(value, key)) secretValues(child, value[key], found);
    }
  }
  if (field.kind === 'list' && Array.isArray(value)) {
    for (const item of value) secretValues(field.items, item, found);
  }
  return found;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
