// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is configuration text, not a template slip
import { describe, expect, it } from 'vitest';
import { InvalidConfigError, validateConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';
import { actionsProfile } from '../../src/profiles/index.js';
import { messagesOf, minimal, problemsOf, withDestination } from './helpers.js';

describe('validateConfig: defaults', () => {
  it('completes a minimal configuration with every default, durations in ms', () => {
    const config = validateConfig(minimal(), {});
    expect(config.server).toEqual({ host: '0.0.0.0', port: 8787 });
    expect(config.store).toEqual({ sqlite: './data/relay.db' });
    expect(config.admin).toEqual({ token: undefined, publicMetrics: false });
    expect(config.dedupe).toEqual({ windowMs: 24 * 3_600_000 });
    expect(config.deliveryLog).toEqual({ maxEntries: 10_000, maxAgeMs: 24 * 3_600_000 });
    expect(config.sources).toEqual([{ name: 'web', writeKey: 'write-key-web-0001' }]);
    expect(config.destinations).toEqual([
      {
        name: 'production',
        path: 'destinations[0]',
        siteId: 'site-0001',
        apiKey: 'api-key-0001',
        region: 'us',
        endpoint: undefined,
        base: 'https://track.customer.io',
        profile: 'actions',
        presets: true,
        subscriptions: [...actionsProfile.presets({})],
        sources: ['web'],
        batch: { maxOperations: 100, maxBytes: 500_000, lingerMs: 200 },
        rateLimit: { requestsPerSecond: 100 },
        ordering: true,
        concurrency: 4,
        timeoutMs: 30_000,
        retry: { minBackoffMs: 1000, maxBackoffMs: 300_000, maxAgeMs: 4 * 3_600_000, minAttempts: 3 },
      },
    ]);
    expect(config.file).toBeUndefined();
  });

  it('keeps given values and converts hours to ms (fractions allowed)', () => {
    const config = validateConfig(
      {
        ...minimal(),
        server: { port: 9000, host: '127.0.0.1' },
        dedupe: { windowHours: 0 },
        deliveryLog: { maxEntries: 5, maxAgeHours: 0.5 },
        destinations: [
          {
            name: 'eu',
            siteId: 's',
            apiKey: 'k',
            region: 'eu',
            batch: { maxOperations: 1000, maxBytes: 1024, lingerMs: 0 },
            rateLimit: { requestsPerSecond: 0.5 },
            ordering: false,
            concurrency: 64,
            timeoutMs: 500,
            retry: { minBackoffMs: 10, maxBackoffMs: 10, maxAgeHours: 0.001, minAttempts: 1 },
          },
        ],
      },
      {},
    );
    expect(config.server).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(config.dedupe.windowMs).toBe(0);
    expect(config.deliveryLog).toEqual({ maxEntries: 5, maxAgeMs: 1_800_000 });
    const d = config.destinations[0]!;
    expect(d.base).toBe('https://track-eu.customer.io');
    expect(d.batch).toEqual({ maxOperations: 1000, maxBytes: 1024, lingerMs: 0 });
    expect(d.rateLimit.requestsPerSecond).toBe(0.5);
    expect(d.ordering).toBe(false);
    expect(d.retry).toEqual({ minBackoffMs: 10, maxBackoffMs: 10, maxAgeMs: 3600, minAttempts: 1 });
  });

  it('an endpoint replaces the region as the Track API base', () => {
    const d = validateConfig(
      withDestination({ endpoint: 'http://127.0.0.1:9090/', allowInsecureEndpoint: true }),
      {},
    ).destinations[0]!;
    expect(d.endpoint).toBe('http://127.0.0.1:9090/');
    expect(d.base).toBe('http://127.0.0.1:9090');
  });

  it('an https endpoint needs no permission; an http one needs allowInsecureEndpoint', () => {
    const base = (extra: Record<string, unknown>) =>
      validateConfig(withDestination(extra), {}).destinations[0]!.base;
    expect(base({ endpoint: 'https://cio-proxy.internal/' })).toBe('https://cio-proxy.internal');
    expect(base({ endpoint: 'http://127.0.0.1:9090', allowInsecureEndpoint: true })).toBe(
      'http://127.0.0.1:9090',
    );
  });

  it('a source may have a request rate limit; its burst defaults to one second of requests', () => {
    const sources = (rateLimit: Record<string, unknown>) =>
      validateConfig(minimal({ sources: [{ name: 'web', writeKey: 'write-key-web-0001', rateLimit }] }), {})
        .sources;
    expect(sources({ requestsPerSecond: 2.5 })[0]!.rateLimit).toEqual({ requestsPerSecond: 2.5, burst: 3 });
    expect(sources({ requestsPerSecond: 10, burst: 50 })[0]!.rateLimit).toEqual({
      requestsPerSecond: 10,
      burst: 50,
    });
  });

  it("uses the file's subscriptions when given, the profile's presets when absent or empty", () => {
    const subscriptions = [
      { name: 'Orders', trigger: 'type = "track"', action: 'trackEvent', mapping: { name: 'x' } },
      { name: 'Off', trigger: 'type = "page"', action: 'trackPageView', enabled: false },
    ];
    const d = validateConfig(withDestination({ subscriptions }), {}).destinations[0]!;
    expect(d.subscriptions).toEqual([
      { ...subscriptions[0], enabled: true },
      { ...subscriptions[1], mapping: undefined },
    ]);
    const empty = validateConfig(withDestination({ subscriptions: [] }), {}).destinations[0]!;
    expect(empty.subscriptions).toEqual([...actionsProfile.presets({})]);
  });

  it('a destination takes events from all sources unless it names some', () => {
    const sources = [
      { name: 'web', writeKey: 'write-key-web-0001' },
      { name: 'ios', writeKey: 'write-key-ios-0001' },
    ];
    const all = validateConfig(minimal({ sources }), {});
    expect(all.destinations[0]!.sources).toEqual(['web', 'ios']);
    const some = validateConfig({ ...withDestination({ sources: ['ios'] }), sources }, {});
    expect(some.destinations[0]!.sources).toEqual(['ios']);
  });

  it('reads numbers and booleans written as strings, as ${VAR} substitution produces them', () => {
    const config = validateConfig(
      {
        ...withDestination({ ordering: 'false', concurrency: '8', rateLimit: { requestsPerSecond: '2.5' } }),
        server: { port: '8080' },
      },
      {},
    );
    expect(config.server.port).toBe(8080);
    expect(config.destinations[0]).toMatchObject({
      ordering: false,
      concurrency: 8,
      rateLimit: { requestsPerSecond: 2.5 },
    });
  });

  it('an empty (null) key, or an empty string where a key may be left out, takes the default', () => {
    const config = validateConfig(
      { ...minimal(), server: null, admin: { token: '' }, store: { sqlite: '' } },
      {},
    );
    expect(config.server.port).toBe(8787);
    expect(config.admin.token).toBeUndefined();
    expect(config.store.sqlite).toBe('./data/relay.db');
  });

  it('accepts a $schema key for editors', () => {
    expect(() =>
      validateConfig(minimal({ $schema: '../schema/relay-config.schema.json' }), {}),
    ).not.toThrow();
  });
});

describe('validateConfig: problems, each with its key path and the fix', () => {
  it.each([
    [
      withDestination({ batch: { maxOperations: 5000 } }),
      'destinations[0].batch.maxOperations: must be an integer from 1 to 1000 (got 5000)',
    ],
    [
      withDestination({ batch: { maxBytes: 600_000 } }),
      'destinations[0].batch.maxBytes: must be an integer from 1024 to 500000 (got 600000)',
    ],
    [
      withDestination({ batch: { lingerMs: 2.5 } }),
      'destinations[0].batch.lingerMs: must be an integer from 0 to 60000 (got 2.5)',
    ],
    [
      withDestination({ concurrency: 0 }),
      'destinations[0].concurrency: must be an integer from 1 to 64 (got 0)',
    ],
    [
      minimal({ server: { port: 'eighty' } }),
      'server.port: must be an integer from 0 to 65535 (got "eighty")',
    ],
    [
      withDestination({ rateLimit: { requestsPerSecond: 0 } }),
      'destinations[0].rateLimit.requestsPerSecond: must be a number from 0.1 to 10000 (got 0)',
    ],
    [withDestination({ ordering: 'yes' }), 'destinations[0].ordering: must be true or false (got "yes")'],
    [
      withDestination({ region: 'usa' }),
      'destinations[0].region: must be one of "us", "eu" (got "usa"); did you mean "us"?',
    ],
    [
      withDestination({ profile: 'segment' }),
      'destinations[0].profile: must be one of "actions", "classic", "rudderstack" (got "segment")',
    ],
    [
      withDestination({ name: 'my destination' }),
      'destinations[0].name: must be a string of up to 64 letters, digits, "-", "_" or ".", starting with a letter or digit (got "my destination")',
    ],
    [
      withDestination({ batch: { maxOperation: 10 } }),
      'destinations[0].batch.maxOperation: unknown key; did you mean "maxOperations"?',
    ],
    [minimal({ sever: { port: 1 } }), 'sever: unknown key; did you mean "server"?'],
    [
      minimal({ logging: true }),
      'logging: unknown key; the keys are $schema, server, store, admin, dedupe, deliveryLog, deadLetters, sources, destinations',
    ],
    [minimal({ server: { tls: true } }), 'server.tls: unknown key; server takes host, port'],
    [minimal({ server: [8787] }), 'server: must be an object {host, port} (got a list)'],
    [minimal({ sources: [] }), 'sources: must list at least 1 item: objects {name, writeKey, ...}'],
    [
      { sources: [{ name: 'web', writeKey: 'write-key-web-0001' }] },
      'destinations: missing; list at least 1 item: objects {name, siteId, apiKey, ...}',
    ],
    [minimal({ sources: [{ name: 'web' }] }), 'sources[0].writeKey: missing; add `writeKey: ${WRITE_KEY}`'],
    [
      minimal({ destinations: [{ name: 'production', siteId: 's' }] }),
      'destinations[0].apiKey: missing; add `apiKey: ${CIO_API_KEY}`',
    ],
    [withDestination({ apiKey: '' }), 'destinations[0].apiKey: must not be empty (is CIO_API_KEY set?)'],
    [
      withDestination({ siteId: 12345 }),
      'destinations[0].siteId: must be a string (got a number); put it in quotes',
    ],
    [withDestination({ sources: 'web' }), 'destinations[0].sources: must be a list of strings (got "web")'],
    [
      withDestination({ endpoint: 'localhost:9090/x' }),
      'destinations[0].endpoint: must use http or https (got localhost:)',
    ],
    [
      withDestination({ endpoint: 'not a url' }),
      'destinations[0].endpoint: must be an absolute URL such as http://127.0.0.1:9090 (got "not a url")',
    ],
    [
      withDestination({ endpoint: 'http://cio-proxy.internal' }),
      'destinations[0].endpoint: is http, so events and the API key would travel unencrypted; use an https URL, or set allowInsecureEndpoint: true next to it for the local emulator or a proxy on the same machine',
    ],
    [
      minimal({ sources: [{ name: 'web', writeKey: 'write-key-web-0001', rateLimit: { burst: 5 } }] }),
      'sources[0].rateLimit.requestsPerSecond: missing; it must be a number from 0.1 to 1000000',
    ],
    [
      withDestination({ retry: { minBackoffMs: 5000, maxBackoffMs: 1000 } }),
      'destinations[0].retry.maxBackoffMs: must be at least retry.minBackoffMs (5000) (got 1000)',
    ],
  ])('%j → %s', (raw, message) => {
    expect(messagesOf(raw)).toEqual([message]);
  });

  it('refuses a file that is not an object', () => {
    expect(messagesOf('sources: []')).toEqual([
      expect.stringMatching(
        /^configuration: must be an object \{sources, destinations, \.\.\.\} \(got "sources: \[\]"\)$/,
      ),
    ]);
  });

  it('an empty file names both required lists', () => {
    expect(messagesOf(null)).toEqual([
      'sources: missing; list at least 1 item: objects {name, writeKey, ...}',
      'destinations: missing; list at least 1 item: objects {name, siteId, apiKey, ...}',
    ]);
  });

  it('names must be unique, write keys too', () => {
    const raw = {
      sources: [
        { name: 'web', writeKey: 'write-key-0001' },
        { name: 'web', writeKey: 'write-key-0002' },
        { name: 'ios', writeKey: 'write-key-0001' },
      ],
      destinations: [
        { name: 'production', siteId: 's', apiKey: 'k' },
        { name: 'production', siteId: 's2', apiKey: 'k2' },
      ],
    };
    expect(problemsOf(raw)).toEqual([
      {
        path: 'sources[1].name',
        message: 'sources[1].name: "web" is already the name of sources[0]; names must be unique',
      },
      {
        path: 'sources[2].writeKey',
        message:
          'sources[2].writeKey: is the same as sources[0].writeKey; each source needs its own write key',
      },
      {
        path: 'destinations[1].name',
        message:
          'destinations[1].name: "production" is already the name of destinations[0]; names must be unique',
      },
    ]);
  });

  it("a destination's sources must exist", () => {
    expect(messagesOf(withDestination({ sources: ['web', 'wbe', 'android'] }))).toEqual([
      'destinations[0].sources[1]: no source is named "wbe"; did you mean "web"? (the sources are web)',
      'destinations[0].sources[2]: no source is named "android" (the sources are web)',
    ]);
  });

  it('subscriptions: at most 50', () => {
    const subscriptions = Array.from({ length: 51 }, (_, i) => ({
      name: `s${i}`,
      trigger: 'type = "track"',
      action: 'trackEvent',
    }));
    expect(messagesOf(withDestination({ subscriptions }))).toEqual([
      'destinations[0].subscriptions: must list at most 50 items (got 51)',
    ]);
  });

  it('subscriptions: every trigger, action and mapping mistake, with its path', () => {
    const subscriptions = [
      { name: 'a', trigger: 'type = ', action: 'trackEvent' },
      { name: 'a', trigger: 'type = "track"', action: 'trackEvents' },
      { name: 'c', trigger: 'type = "track"', action: 'trackEvent', mapping: { name: { '@path': 'event' } } },
      { name: 'd', trigger: 'type = "track"', action: 'trackEvent', mapping: { nme: 'x' } },
      { name: 'e', trigger: 'type = ', action: 'nope', enabled: false },
      { trigger: 'type = "track"', action: 'trackEvent', mapping: 'name' },
    ];
    const problems = problemsOf(withDestination({ subscriptions }));
    const at = 'destinations[0].subscriptions';
    expect(problems.map((p) => p.path)).toEqual([
      `${at}[5].name`,
      `${at}[5].mapping`,
      `${at}[0].trigger`,
      `${at}[1].name`,
      `${at}[1].action`,
      `${at}[2].mapping.name.@path`,
      `${at}[3].mapping.nme`,
    ]);
    const messages = problems.map((p) => p.message);
    expect(messages[0]).toBe(`${at}[5].name: missing; it must be a string`);
    expect(messages[1]).toBe(`${at}[5].mapping: must be an object of field: value (got "name")`);
    expect(messages[2]).toMatch(
      /^destinations\[0\]\.subscriptions\[0\]\.trigger: expected a value after "=".* at position 7 \(line 1, column 8\)/,
    );
    expect(messages[3]).toBe(`${at}[1].name: "a" is already the name of ${at}[0]; names must be unique`);
    expect(messages[4]).toMatch(
      `${at}[1].action: unknown action "trackEvents"; use one of createUpdatePerson,`,
    );
    expect(messages[5]).toBe(
      `${at}[2].mapping.name.@path: @path must be a string starting with "$." such as "$.properties.plan" (got "event")`,
    );
    expect(messages[6]).toMatch(`${at}[3].mapping.nme: Track Event has no field "nme"`);
  });

  it('reports every problem at once, in one InvalidConfigError listing them one per line', () => {
    const raw = {
      server: { port: 70_000, hots: 'x' },
      admin: { token: 'short' },
      sources: [{ name: 'web', writeKey: 'write-key-web-0001' }],
      destinations: [
        {
          name: 'production',
          siteId: 's',
          apiKey: 'k',
          region: 'asia',
          batch: { maxOperations: 5000, lingerMS: 5 },
          subscriptions: [{ name: 'x', trigger: 'type = ', action: 'trackEvent' }],
        },
        { name: 'other', apiKey: 'k2' },
      ],
    };
    let error: unknown;
    try {
      validateConfig(raw, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error).toBeInstanceOf(ConfigError);
    const invalid = error as InvalidConfigError;
    expect(invalid.code).toBe('invalid_config');
    expect(invalid.problems.map((p) => p.path)).toEqual([
      'server.hots',
      'server.port',
      'admin.token',
      'destinations[0].region',
      'destinations[0].batch.lingerMS',
      'destinations[0].batch.maxOperations',
      'destinations[1].siteId',
      'destinations[0].subscriptions[0].trigger',
    ]);
    // One line per problem; the trigger's excerpt and caret continue on indented lines.
    const lines = invalid.message.split('\n');
    expect(lines.filter((l) => !l.startsWith(' '))).toEqual(
      invalid.problems.map((p) => p.message.split('\n')[0]),
    );
    expect(lines.slice(-2)).toEqual(['    type = ', '           ^']);
    expect(invalid.path).toBeUndefined();
  });

  it('a single problem also sets the error path', () => {
    try {
      validateConfig(withDestination({ concurrency: 100 }), {});
      expect.unreachable();
    } catch (error) {
      expect((error as InvalidConfigError).path).toBe('destinations[0].concurrency');
    }
  });

  it('a __proto__ key is an unknown key, not a prototype', () => {
    const raw = JSON.parse('{"__proto__": {"polluted": 1}, "sources": [], "destinations": []}');
    expect(messagesOf(raw)[0]).toBe(
      '__proto__: unknown key; the keys are $schema, server, store, admin, dedupe, deliveryLog, deadLetters, sources, destinations',
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
