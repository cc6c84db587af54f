import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadConfig, relayConfigJsonSchema, SCHEMA_FILE } from '../../src/config/index.js';
import { referenceTable, withReferenceTable } from '../../src/config/reference-doc.js';
import { minimal } from './helpers.js';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

const EXAMPLE = 'examples/relay.yaml';
const EXAMPLE_ENV = {
  WRITE_KEY_WEB: 'write-key-web',
  WRITE_KEY_IOS: 'write-key-ios',
  CIO_SITE_ID: 'site',
  CIO_API_KEY: 'key',
  CIO_STAGING_SITE_ID: 'staging-site',
  CIO_STAGING_API_KEY: 'staging-key',
  ADMIN_TOKEN: 'admin-token-0123456789',
};

// `format` is an annotation for editors (draft 2020-12); the relay checks URLs itself.
function schemaValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: false });
  return ajv.compile(JSON.parse(read(SCHEMA_FILE)));
}

describe('JSON Schema and reference documentation', () => {
  it(`${SCHEMA_FILE} is what the code generates (run \`npm run schema\` after changing relay-file.ts)`, () => {
    expect(JSON.parse(read(SCHEMA_FILE))).toEqual(relayConfigJsonSchema());
  });

  it('docs/configuration.md has the current key reference (run `npm run schema`)', () => {
    const page = read('docs/configuration.md');
    expect(page).toContain(referenceTable());
    expect(withReferenceTable(page)).toBe(page);
  });

  it('the example validates, with the relay and with the schema (as an editor sees it)', () => {
    const config = loadConfig(new URL(EXAMPLE, root).pathname, EXAMPLE_ENV);
    expect(config.sources.map((s) => s.name)).toEqual(['web', 'ios']);
    expect(config.destinations.map((d) => d.name)).toEqual(['production', 'staging']);
    const validate = schemaValidator();
    // Before substitution, as an editor sees it: `${PORT:-8787}` stands for a number.
    expect(validate(parseYaml(read(EXAMPLE))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the example points editors at the schema', () => {
    expect(read(EXAMPLE).split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../schema/relay-config.schema.json',
    );
  });

  it('the schema refuses what the validator refuses: unknown keys, out-of-range values, missing keys', () => {
    const validate = schemaValidator();
    expect(validate(minimal())).toBe(true);
    expect(validate(minimal({ server: { port: 70_000 } }))).toBe(false);
    expect(validate(minimal({ sever: {} }))).toBe(false);
    expect(validate(minimal({ destinations: [{ name: 'd', siteId: 's' }] }))).toBe(false);
    expect(
      validate(minimal({ destinations: [{ name: 'd', siteId: 's', apiKey: 'k', region: 'asia' }] })),
    ).toBe(false);
    expect(validate(minimal({ sources: [] }))).toBe(false);
  });
});
