/**
 * `npm run schema`: writes what is derived from src/config/relay-file.ts, the JSON Schema for
 * editors and the key reference of docs/configuration.md. test/config/schema.test.ts fails when
 * either is out of date.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relayConfigJsonSchema, SCHEMA_FILE } from '../src/config/json-schema.js';
import { withReferenceTable } from '../src/config/reference-doc.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const schemaFile = `${root}${SCHEMA_FILE}`;
const docsFile = `${root}docs/configuration.md`;

writeFileSync(schemaFile, `${JSON.stringify(relayConfigJsonSchema(), null, 2)}\n`);
// Formatted the way `npm run lint` expects, so the committed file passes `biome check`.
execFileSync(`${root}node_modules/.bin/biome`, ['format', '--write', schemaFile], { stdio: 'inherit' });
writeFileSync(docsFile, withReferenceTable(readFileSync(docsFile, 'utf8')));
console.log(`wrote ${SCHEMA_FILE} and the reference table of docs/configuration.md`);
