/**
 * The JSON Schema (draft 2020-12) of the configuration file, for editors: completion, hover
 * documentation and squiggles. Derived from relay-file.ts, written to
 * schema/relay-config.schema.json by `npm run schema`.
 */
import type { Field } from './fields.js';
import { isRequired } from './fields.js';
import { relayFile, variable } from './relay-file.js';

type Schema = Record<string, unknown>;

/** Where the committed schema lives, relative to the repository. */
export const SCHEMA_FILE = 'schema/relay-config.schema.json';

const VARIABLE = {
  type: 'string',
  pattern: '^\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}$',
  description: `An environment variable, \`${variable('NAME')}\` or \`${variable('NAME', 'default')}\`, replaced when the file is read.`,
};

export function relayConfigJsonSchema(): Schema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'cio-relay configuration',
    ...toJsonSchema(relayFile),
    $defs: { variable: VARIABLE },
  };
}

export function toJsonSchema(field: Field): Schema {
  const about: Schema = { description: describe(field) };
  if (field.default !== undefined) about['default'] = field.default;
  if (field.example !== undefined) about['examples'] = [field.example];
  switch (field.kind) {
    case 'integer':
    case 'number':
      return orVariable(about, { type: field.kind, minimum: field.min, maximum: field.max });
    case 'boolean':
      return orVariable(about, { type: 'boolean' });
    case 'string': {
      const rule: Schema = { type: 'string' };
      if (field.enum) rule['enum'] = [...field.enum];
      if (field.minLength > 0) rule['minLength'] = field.minLength;
      if (field.pattern) rule['pattern'] = field.pattern;
      if (field.format) rule['format'] = field.format;
      // A plain string already admits `${VAR}`; a constrained one must say so explicitly.
      return field.enum || field.pattern || field.format || field.minLength > 1
        ? orVariable(about, rule)
        : { ...about, ...rule };
    }
    case 'record':
      return { ...about, type: 'object' };
    case 'object': {
      const entries = Object.entries(field.fields);
      const required = entries.filter(([, f]) => isRequired(f)).map(([k]) => k);
      return {
        ...about,
        type: 'object',
        properties: Object.fromEntries(entries.map(([k, f]) => [k, toJsonSchema(f)])),
        ...(required.length > 0 ? { required } : {}),
        additionalProperties: false,
      };
    }
    case 'list': {
      const schema: Schema = { ...about, type: 'array', items: toJsonSchema(field.items) };
      if (field.minItems > 0) schema['minItems'] = field.minItems;
      if (field.maxItems !== undefined) schema['maxItems'] = field.maxItems;
      return schema;
    }
  }
}

/** Numbers and booleans may come from the environment: `port: ${PORT:-8787}`. */
function orVariable(about: Schema, rule: Schema): Schema {
  return { ...about, anyOf: [rule, { $ref: '#/$defs/variable' }] };
}

function describe(field: Field): string {
  return 'unit' in field && field.unit ? `${field.description} Unit: ${field.unit}.` : field.description;
}
