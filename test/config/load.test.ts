// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is configuration text, not a template slip
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidConfigError, loadConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';
import { tempFile } from './helpers.js';

const YAML = `
server: { port: \${PORT:-8787} }
store: { sqlite: ./state/relay.db }
admin: { token: \${ADMIN_TOKEN:-} }
sources:
  - { name: web, writeKey: \${WRITE_KEY} }
destinations:
  - name: production
    siteId: \${CIO_SITE_ID}
    apiKey: \${CIO_API_KEY}
    region: \${CIO_REGION:-us}
    ordering: \${ORDERING:-true}
`;

const ENV = { WRITE_KEY: 'wk-0001', CIO_SITE_ID: 'site-0001', CIO_API_KEY: 'key-0001' };

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('substitutes ${VAR} and ${VAR:-default} from the given environment', () => {
    const file = tempFile('relay.yaml', YAML);
    const config = loadConfig(file, { ...ENV, PORT: '9999', ORDERING: 'false' });
    expect(config.server.port).toBe(9999);
    expect(config.sources[0]!.writeKey).toBe('wk-0001');
    expect(config.destinations[0]).toMatchObject({
      siteId: 'site-0001',
      apiKey: 'key-0001',
      region: 'us',
      ordering: false,
    });
    // `${ADMIN_TOKEN:-}` with the variable unset: no token.
    expect(config.admin.token).toBeUndefined();
  });

  it('reads ${VAR} inside YAML flow collections, as in `- { name: web, writeKey: ${WRITE_KEY} }`', () => {
    const file = tempFile(
      'relay.yaml',
      [
        'server: { port: ${PORT:-8787}, host: ${HOST:-127.0.0.1} }',
        'sources:',
        '  - { name: web, writeKey: ${WRITE_KEY} }',
        'destinations:',
        '  - { name: d, siteId: "${CIO_SITE_ID}", apiKey: ${CIO_API_KEY}, sources: [${SOURCE:-web}] }',
      ].join('\n'),
    );
    const config = loadConfig(file, ENV);
    expect(config.server).toEqual({ port: 8787, host: '127.0.0.1' });
    expect(config.sources[0]!.writeKey).toBe('wk-0001');
    expect(config.destinations[0]).toMatchObject({
      siteId: 'site-0001',
      apiKey: 'key-0001',
      sources: ['web'],
    });
  });

  it('resolves a relative store path against the folder of the configuration file', () => {
    const file = tempFile('relay.yaml', YAML);
    const config = loadConfig(file, ENV);
    expect(config.store.sqlite).toBe(join(resolve(file, '..'), 'state', 'relay.db'));
    expect(config.file).toBe(resolve(file));
  });

  it('keeps an absolute store path and :memory: as they are', () => {
    const absolute = tempFile('relay.yaml', YAML.replace('./state/relay.db', '/var/lib/cio-relay/relay.db'));
    expect(loadConfig(absolute, ENV).store.sqlite).toBe('/var/lib/cio-relay/relay.db');
    const memory = tempFile('relay.yaml', YAML.replace('./state/relay.db', '":memory:"'));
    expect(loadConfig(memory, ENV).store.sqlite).toBe(':memory:');
  });

  it('reads JSON when the file name ends in .json', () => {
    const file = tempFile(
      'relay.json',
      JSON.stringify({
        sources: [{ name: 'web', writeKey: '${WRITE_KEY}' }],
        destinations: [{ name: 'd', siteId: '${CIO_SITE_ID}', apiKey: '${CIO_API_KEY}', region: 'eu' }],
      }),
    );
    expect(loadConfig(file, ENV).destinations[0]!.base).toBe('https://track-eu.customer.io');
  });

  it('names every unset variable at once, with the key it is used in', () => {
    const file = tempFile('relay.yaml', YAML);
    const error = errorOf(() => loadConfig(file, { CIO_SITE_ID: 'site-0001' }));
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.code).toBe('missing_variable');
    expect(error.message).toBe(
      [
        'sources[0].writeKey: environment variable WRITE_KEY is not set; export it, or write ${WRITE_KEY:-default}',
        'destinations[0].apiKey: environment variable CIO_API_KEY is not set; export it, or write ${CIO_API_KEY:-default}',
      ].join('\n'),
    );
  });

  it('an empty variable counts as unset', () => {
    const file = tempFile('relay.yaml', YAML);
    const error = errorOf(() => loadConfig(file, { ...ENV, CIO_API_KEY: '' }));
    expect(error.message).toContain('destinations[0].apiKey: environment variable CIO_API_KEY is not set');
  });

  it('reports validation problems of the substituted values', () => {
    const file = tempFile('relay.yaml', YAML);
    const error = errorOf(() => loadConfig(file, { ...ENV, PORT: '99999', CIO_REGION: 'EU' }));
    expect(error.code).toBe('invalid_config');
    expect((error as InvalidConfigError).problems.map((p) => p.message)).toEqual([
      'server.port: must be an integer from 0 to 65535 (got "99999")',
      'destinations[0].region: must be one of "us", "eu" (got "EU"); did you mean "eu"?',
    ]);
  });

  it('a missing file says so', () => {
    const error = errorOf(() => loadConfig('/nonexistent/relay.yaml', ENV));
    expect(error.code).toBe('config_unreadable');
    expect(error.message).toBe('cannot read configuration /nonexistent/relay.yaml: no such file');
  });

  it('a YAML syntax error gives line and column', () => {
    const file = tempFile('relay.yaml', 'sources:\n  - name: web\n writeKey: x\n');
    const error = errorOf(() => loadConfig(file, ENV));
    expect(error.code).toBe('config_syntax');
    expect(error.message).toMatch(/is not valid YAML: .+ at line 3, column \d+$/);
    // A ${VAR} earlier on the line does not shift the column.
    const after = tempFile('relay.yaml', 'a: { b: ${X}, c: [1 }\n');
    const plain = tempFile('relay.yaml', 'a: { b: ${X}, c: [1 }\n'.replace('${X}', 'abcd'));
    const column = (f: string) => / column (\d+)$/.exec(errorOf(() => loadConfig(f, {})).message)?.[1];
    expect(column(after)).toBe(column(plain));
    expect(column(after)).toBeDefined();
  });
});
