import { describe, expect, it } from 'vitest';
import { loadConfig, validateConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';
import { tempFile } from './helpers.js';

const API_KEY = 'sk-live-4f9a8b7c6d5e';
const SITE_ID = 'site-9e8d7c6b';
const WRITE_KEY = 'wk-3a2b1c0d9e8f';
const ADMIN_TOKEN = 'admin-7h6g5f4e3d2c1b0a';
const SECRETS = [API_KEY, SITE_ID, WRITE_KEY, ADMIN_TOKEN];

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

function expectNoSecret(message: string): void {
  for (const secret of SECRETS) expect(message).not.toContain(secret);
}

const source = { name: 'web', writeKey: WRITE_KEY };
const destination = { name: 'production', siteId: SITE_ID, apiKey: API_KEY };

describe('secrets never appear in a message', () => {
  it.each([
    [
      'a secret of the wrong type',
      { sources: [{ name: 'web', writeKey: [WRITE_KEY] }], destinations: [destination] },
    ],
    ['a secret number', { sources: [source], destinations: [{ ...destination, apiKey: 4_242_424_242 }] }],
    [
      'an admin token too short',
      { admin: { token: ADMIN_TOKEN.slice(0, 10) }, sources: [source], destinations: [destination] },
    ],
    [
      'an admin token of the wrong type',
      { admin: { token: { value: ADMIN_TOKEN } }, sources: [source], destinations: [destination] },
    ],
    [
      'a duplicate write key',
      { sources: [source, { name: 'ios', writeKey: WRITE_KEY }], destinations: [destination] },
    ],
    [
      'a secret under a misspelt key',
      { sources: [source], destinations: [{ name: 'production', siteId: SITE_ID, apikey: API_KEY }] },
    ],
    [
      'a secret pasted into another key',
      {
        admin: { token: ADMIN_TOKEN },
        sources: [source],
        destinations: [
          { ...destination, region: API_KEY, profile: SITE_ID, name: WRITE_KEY, endpoint: ADMIN_TOKEN },
        ],
      },
    ],
    [
      'a secret inside a subscription',
      {
        sources: [source],
        destinations: [
          {
            ...destination,
            subscriptions: [
              { name: 's', trigger: `type = ${API_KEY}`, action: 'trackEvent', mapping: { [WRITE_KEY]: 1 } },
            ],
          },
        ],
      },
    ],
  ])('%s', (_, raw) => {
    const message = messageOf(() => validateConfig(raw, {}));
    expectNoSecret(message);
    expect(message).not.toBe('');
  });

  it('says what is wrong with a secret without showing it', () => {
    const message = messageOf(() =>
      validateConfig({ admin: { token: 'short-token' }, sources: [source], destinations: [destination] }, {}),
    );
    expect(message).toBe('admin.token: must be at least 16 characters (got 11)');
  });

  it('replaces a secret found elsewhere with [redacted]', () => {
    const message = messageOf(() =>
      validateConfig({ sources: [source], destinations: [{ ...destination, region: API_KEY }] }, {}),
    );
    expect(message).toBe('destinations[0].region: must be one of "us", "eu" (got "[redacted]")');
  });

  it('a syntax error does not quote the line it is on (YAML)', () => {
    const file = tempFile('relay.yaml', `destinations:\n  - apiKey: "${API_KEY}\n    siteId: [${SITE_ID}\n`);
    const message = messageOf(() => loadConfig(file, {}));
    expect(message).toMatch(/^configuration .*relay\.yaml is not valid YAML: .* at line \d+, column \d+$/);
    expectNoSecret(message);
  });

  it('a syntax error does not quote the text around it (JSON)', () => {
    const file = tempFile('relay.json', `{"destinations": [{"apiKey": ${API_KEY}}]}`);
    const message = messageOf(() => loadConfig(file, {}));
    expect(message).toMatch(/^configuration .*relay\.json is not valid JSON: Unexpected token 's'$/);
    expectNoSecret(message);
    const trailing = tempFile('relay.json', `{"destinations": [{"apiKey": "${API_KEY}",}]}`);
    const second = messageOf(() => loadConfig(trailing, {}));
    expect(second).toMatch(/is not valid JSON: Expected double-quoted property name at line 1, column \d+$/);
    expectNoSecret(second);
  });
});
