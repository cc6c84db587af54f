// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is configuration text, not a template slip
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tempFile } from '../temp-files.js';
import { cli, ndjson } from './cli-helpers.js';

const identify = { type: 'identify', userId: 'u1', traits: { email: 'jane@example.com', plan: 'pro' } };
const track = {
  type: 'track',
  event: 'Order Completed',
  userId: 'u1',
  messageId: 'm2',
  properties: { total: 5 },
};
const input = [identify, track].map((e) => JSON.stringify(e)).join('\n');

describe('cio-relay map', () => {
  it('prints one request line per operation, with a summary on stderr', async () => {
    const run = await cli(['map'], input);
    expect(run.code).toBe(0);
    expect(ndjson(run.stdout)).toEqual([
      {
        index: 0,
        action: 'createUpdatePerson',
        method: 'POST',
        url: 'https://track.customer.io/api/v2/entity',
        body: {
          type: 'person',
          action: 'identify',
          attributes: { email: 'jane@example.com', plan: 'pro' },
          identifiers: { id: 'u1' },
        },
      },
      {
        index: 1,
        action: 'trackEvent',
        method: 'POST',
        url: 'https://track.customer.io/api/v2/entity',
        body: {
          type: 'person',
          action: 'event',
          name: 'Order Completed',
          id: 'm2',
          attributes: { total: 5 },
          identifiers: { id: 'u1' },
        },
      },
    ]);
    expect(run.stderr).toBe(
      'cio-relay map: 2 events → 2 requests (2 operations); 0 rejected, 0 filtered, 0 matched no subscription\n',
    );
  });

  it('reads a file, and sends EU traffic to the EU host', async () => {
    const run = await cli(['map', '--region', 'eu', tempFile('events.ndjson', input)]);
    expect(ndjson(run.stdout).map((l) => l['url'])).toEqual([
      'https://track-eu.customer.io/api/v2/entity',
      'https://track-eu.customer.io/api/v2/entity',
    ]);
  });

  it('--endpoint points at another Track API (the emulator)', async () => {
    const run = await cli(['map', '--endpoint', 'http://127.0.0.1:9090/'], input);
    expect(ndjson(run.stdout)[0]!['url']).toBe('http://127.0.0.1:9090/api/v2/entity');
  });

  it('--batch groups operations into /api/v2/batch requests cut at --max-operations', async () => {
    const events = Array.from({ length: 5 }, (_, i) => JSON.stringify({ ...track, messageId: `m${i}` })).join(
      '\n',
    );
    const run = await cli(['map', '--batch', '--max-operations', '2'], events);
    const lines = ndjson(run.stdout);
    expect(lines.map((l) => l['indexes'])).toEqual([[0, 1], [2, 3], [4]]);
    expect(lines[0]!['url']).toBe('https://track.customer.io/api/v2/batch');
    expect((lines[0]!['body'] as { batch: unknown[] }).batch).toHaveLength(2);
    expect(run.stderr).toContain('5 events → 3 requests (5 operations)');
  });

  it('prints a rejection line for invalid JSON, invalid events and refused actions, and nothing for unmatched ones', async () => {
    const lines = [
      '{not json',
      JSON.stringify({ type: 'track', userId: 'u' }),
      JSON.stringify({ type: 'page', userId: 'u', name: 'Home' }),
      JSON.stringify({
        type: 'track',
        event: 'x',
        anonymousId: 'a',
        context: { device: {} },
        integrations: {},
      }),
    ];
    const run = await cli(['map', '--profile', 'actions'], `${lines.join('\n')}\n\n`);
    const out = ndjson(run.stdout);
    expect(out[0]).toEqual({
      index: 0,
      error: {
        code: 'invalid_json',
        message: expect.stringMatching(/^the line is not valid JSON \(.+\); write one JSON event per line$/),
      },
    });
    expect(out[1]).toEqual({
      index: 1,
      error: {
        code: 'missing_field',
        message: 'track.event must be a non-empty string such as "Order Completed" (it is missing)',
      },
    });
    expect(out[2]).toMatchObject({ index: 2, action: 'trackPageView', error: { code: 'missing_field' } });
    expect(out[3]).toMatchObject({ index: 3, action: 'trackEvent' });
    expect(run.stderr).toContain(
      '4 events → 1 requests (1 operations); 3 rejected, 0 filtered, 0 matched no subscription',
    );
  });

  it('uses the subscriptions of a configuration file, without ever printing its credentials', async () => {
    const config = tempFile(
      'relay.yaml',
      [
        'destinations:',
        '  - name: production',
        '    siteId: ${CIO_SITE_ID}',
        '    apiKey: ${CIO_API_KEY}',
        '    endpoint: http://127.0.0.1:9090',
        '    subscriptions:',
        '      - name: Orders',
        '        trigger: type = "track" and (event = "Order Completed" or event = "Order Refunded")',
        '        action: trackEvent',
        '        mapping:',
        '          name: { "@template": "order: {{event}}" }',
      ].join('\n'),
    );
    const env = { CIO_SITE_ID: 'site-123', CIO_API_KEY: 'secret-api-key-42' };
    const run = await cli(['map', '--config', config], input, env);
    expect(run.code).toBe(0);
    const out = ndjson(run.stdout);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      index: 1,
      url: 'http://127.0.0.1:9090/api/v2/entity',
      body: { name: 'order: Order Completed' },
    });
    expect(run.stdout + run.stderr).not.toContain('secret-api-key-42');
    expect(run.stdout + run.stderr).not.toContain('site-123');
  });

  it('reports a bad trigger in a configuration with its path and position', async () => {
    const config = tempFile(
      'relay.json',
      JSON.stringify({
        destinations: [
          { name: 'd', subscriptions: [{ name: 's', trigger: 'type = ', action: 'trackEvent' }] },
        ],
      }),
    );
    const run = await cli(['map', '--config', config], input);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^cio-relay map: destinations\[0\]\.subscriptions\[0\]\.trigger: .*position 7/,
    );
  });

  it('reports a bad mapping with where it is', async () => {
    const config = tempFile(
      'relay.json',
      JSON.stringify({
        destinations: [
          {
            subscriptions: [
              {
                name: 's',
                trigger: 'type = "track"',
                action: 'trackEvent',
                mapping: { name: { '@path': 'event' } },
              },
            ],
          },
        ],
      }),
    );
    const run = await cli(['map', '--config', config], input);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'cio-relay map: destinations[0].subscriptions[0].mapping.name.@path: @path must be a string starting with "$." such as "$.properties.plan" (got "event")\n',
    );
  });

  it('names an unknown action and lists the valid ones', async () => {
    const config = tempFile(
      'relay.json',
      JSON.stringify({
        destinations: [{ subscriptions: [{ name: 's', trigger: 'type = "track"', action: 'trackEvents' }] }],
      }),
    );
    const run = await cli(['map', '--config', config], input);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown action "trackEvents"; use one of createUpdatePerson, trackEvent,');
  });

  it('names a missing environment variable', async () => {
    const config = tempFile('relay.yaml', 'destinations:\n  - name: d\n    apiKey: ${CIO_API_KEY}\n');
    const run = await cli(['map', '--config', config], input, {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('destinations[0].apiKey: environment variable CIO_API_KEY is not set');
  });

  it.each([
    [['map', '--region', 'asia'], '--region: region must be "us" or "eu" (got "asia")'],
    [['map', '--max-operations', '5000'], '--max-operations must be an integer from 1 to 1000 (got "5000")'],
    [
      ['map', '--profile', 'nope'],
      '--profile: unknown profile "nope"; use one of actions, classic, rudderstack',
    ],
    [['map', '--endpoint', 'ftp://x'], 'endpoint must use http or https (got ftp:)'],
    [['map', '--bogus'], "Unknown option '--bogus'"],
    [['map', 'no-such-file.ndjson'], 'cannot read no-such-file.ndjson: no such file'],
    [['map', '--destination', 'x'], '--destination needs --config FILE'],
  ])('refuses %j with a clear message', async (args, message) => {
    const run = await cli(args, input);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('--help describes the command', async () => {
    const run = await cli(['map', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: cio-relay map [options] [FILE|-]');
  });

  it('--now fixes the time used by events that have none', async () => {
    const metric = {
      type: 'track',
      event: 'Report Delivery Event',
      userId: 'u',
      properties: { deliveryId: 'd', metric: 'opened' },
    };
    const run = await cli(['map', '--now', '2026-01-01T00:00:00Z'], JSON.stringify(metric));
    expect(ndjson(run.stdout)[0]).toMatchObject({
      url: 'https://track.customer.io/api/v2/entity',
      body: { type: 'delivery', timestamp: 1767225600 },
    });
  });
});

describe('the installed command', () => {
  it('bin/cio-relay.js map runs from the build as a user runs it', () => {
    const run = spawnSync(process.execPath, ['bin/cio-relay.js', 'map', '-'], {
      input,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.stderr).toContain('2 events → 2 requests');
    expect(run.status).toBe(0);
    expect(ndjson(run.stdout)).toHaveLength(2);
  });

  it('without a command prints the usage and exits 2', () => {
    const run = spawnSync(process.execPath, ['bin/cio-relay.js'], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('Usage: cio-relay <command>');
  });
});
