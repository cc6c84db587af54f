/**
 * The subscriptions editor's routes: actions and their fields, checking edited subscriptions with
 * the compilers' messages, and saving them into the configuration file (comments and variables
 * kept) or refusing with a reason.
 */
import { chmodSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { RelayConfig } from '../../src/config/types.js';
import { tempFile } from '../temp-files.js';
import { ADMIN_TOKEN, bearer, type Harness, startServer, testConfig } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function server(change?: (config: RelayConfig) => void): Promise<Harness> {
  h = await startServer({ config: testConfig(change) });
  return h;
}

function call(method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) {
  return h!.app.inject({
    method,
    url: `/admin${url}`,
    headers: { authorization: bearer(ADMIN_TOKEN), 'content-type': 'application/json' },
    ...(body !== undefined && { payload: JSON.stringify(body) }),
  });
}

const ORDERS = { name: 'Orders', trigger: 'event = "Order Completed"', action: 'trackEvent' };

const YAML = `# The relay's configuration
admin:
  token: \${ADMIN_TOKEN}
sources:
  - { name: web, writeKey: \${WRITE_KEY} }   # flow style with a variable
destinations:
  # Production keeps its presets.
  - name: production
    siteId: site
    apiKey: \${CIO_API_KEY}
  - name: staging
    siteId: site2
    apiKey: \${CIO_API_KEY}
    sources: [web]
    subscriptions:
      - name: People # who they are
        trigger: type = "identify"
        action: createUpdatePerson
`;
const ENV = {
  ADMIN_TOKEN: 'admin-token-0123456789',
  WRITE_KEY: 'wk-0123456789',
  CIO_API_KEY: 'key-0123456789',
};

describe('subscriptions editor routes', () => {
  it('lists the actions with their fields and default mappings', async () => {
    await server();
    const { actions } = (await call('GET', '/actions')).json();
    const trackEvent = actions.find((a: { key: string }) => a.key === 'trackEvent');
    expect(trackEvent).toMatchObject({ title: 'Track Event', defaultTrigger: expect.any(String) });
    expect(trackEvent.fields).toContainEqual(
      expect.objectContaining({ name: 'name', required: true, default: expect.anything() }),
    );
  });

  it('shows the subscriptions in force', async () => {
    await server((config) => {
      config.destinations[0]!.subscriptions = [ORDERS];
    });
    const body = (await call('GET', '/destinations/production/subscriptions')).json();
    expect(body).toEqual({ subscriptions: [ORDERS], profile: 'actions', file: null });
  });

  it('checks edited subscriptions with the trigger and mapping compilers’ messages and paths', async () => {
    await server();
    const check = async (subscriptions: unknown) =>
      (await call('POST', '/destinations/production/subscriptions/check', { subscriptions })).json().problems;
    expect(await check([ORDERS])).toEqual([]);

    const [trigger] = await check([{ ...ORDERS, trigger: 'event = ' }]);
    expect(trigger.path).toBe('subscriptions[0].trigger');
    expect(trigger.message).toMatch(/^subscriptions\[0\]\.trigger: /);

    const mapping = await check([{ ...ORDERS, mapping: { name: { '@nope': 1 } } }]);
    expect(mapping).toHaveLength(1);
    expect(mapping[0].path).toMatch(/^subscriptions\[0\]\.mapping/);

    const shape = await check([{ name: '', trigger: 3, action: 'trackEvent', enabled: 'yes' }]);
    expect(shape.map((p: { path: string }) => p.path)).toEqual([
      'subscriptions[0].name',
      'subscriptions[0].trigger',
      'subscriptions[0].enabled',
    ]);
    expect(await check('nope')).toEqual([
      { path: 'subscriptions', message: expect.stringContaining('list') },
    ]);
  });

  it('saves into a YAML file, keeping its comments, flow style and variables', async () => {
    const file = tempFile('relay.yaml', YAML);
    await server((config) => {
      config.file = file;
    });
    const edited = [{ ...ORDERS, mapping: { name: { '@template': 'order: {{event}}' } } }];
    const response = await call('PUT', '/destinations/staging/subscriptions', { subscriptions: edited });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ success: true, file: 'relay.yaml', message: 'in force now' });
    // delivery maps with them from now on, without a restart
    expect(h!.delivery.applied.get('staging')).toEqual(edited);

    const text = readFileSync(file, 'utf8');
    for (const kept of ["# The relay's configuration", '# Production keeps its presets.', '# flow style']) {
      expect(text).toContain(kept);
    }
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the configuration's own ${ENV} syntax
    expect(text).toContain('{ name: web, writeKey: ${WRITE_KEY} }');
    expect(text).not.toContain('People');
    const reloaded = loadConfig(file, ENV);
    expect(reloaded.destinations[1]!.subscriptions).toEqual([expect.objectContaining(edited[0])]);
    expect(reloaded.destinations[0]!.subscriptions.length).toBeGreaterThan(1); // presets untouched

    const shown = (await call('GET', '/destinations/staging/subscriptions')).json();
    expect(shown).toMatchObject({ subscriptions: edited });
  });

  it('saves into a JSON file', async () => {
    const file = tempFile(
      'relay.json',
      JSON.stringify({ destinations: [{ name: 'production', siteId: 's' }] }),
    );
    await server((config) => {
      config.file = file;
    });
    expect(
      (await call('PUT', '/destinations/production/subscriptions', { subscriptions: [ORDERS] })).statusCode,
    ).toBe(200);
    expect(JSON.parse(readFileSync(file, 'utf8')).destinations[0].subscriptions).toEqual([ORDERS]);
  });

  it('refuses to save into a file broken since the relay started, without quoting its lines', async () => {
    const secret = 'sk-live-a1b2c3d4e5';
    for (const [name, text] of [
      ['relay.yaml', `destinations:\n  - name: staging\n    apiKey: "${secret}\n    siteId: [x\n`],
      ['relay.json', `{"destinations": [{"name": "staging", "apiKey": ${secret}}]}`],
    ] as const) {
      const file = tempFile(name, text);
      await server((config) => {
        config.file = file;
      });
      const response = await call('PUT', '/destinations/staging/subscriptions', { subscriptions: [ORDERS] });
      expect(response.json().code).toBe('config_unreadable');
      // Where (YAML) or which token (JSON), never the text around it.
      expect(response.json().message).toMatch(
        /is not valid (YAML \(.* at line \d+, column \d+|JSON \(.+)\)$/,
      );
      expect(response.body).not.toContain(secret.slice(0, 8));
      expect(readFileSync(file, 'utf8')).toBe(text);
      await h!.close();
    }
  });

  it('refuses to save invalid subscriptions, without a file, or into a read-only file', async () => {
    const file = tempFile('relay.yaml', YAML);
    chmodSync(file, 0o444);
    await server((config) => {
      config.file = file;
    });
    const invalid = await call('PUT', '/destinations/staging/subscriptions', {
      subscriptions: [{ ...ORDERS, trigger: 'event = ' }],
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ code: 'invalid_subscriptions', problems: [expect.any(Object)] });

    const readOnly = await call('PUT', '/destinations/staging/subscriptions', { subscriptions: [ORDERS] });
    expect(readOnly.statusCode).toBe(409);
    expect(readOnly.json().code).toBe('config_read_only');
    expect(readOnly.json().message).toContain('relay.yaml');
    expect(readFileSync(file, 'utf8')).toBe(YAML);
    await h!.close();

    await server();
    const noFile = await call('PUT', '/destinations/staging/subscriptions', { subscriptions: [ORDERS] });
    expect(noFile.statusCode).toBe(409);
    expect(noFile.json().code).toBe('no_config_file');
  });
});
