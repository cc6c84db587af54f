/** Which parts of a reloaded configuration apply live and which wait for a restart. */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/index.js';
import { planReload } from '../../src/relay/reload.js';

// biome-ignore lint/suspicious/noExplicitAny: a configuration file as parsed, changed freely by each test
type Raw = Record<string, any>;

const file = (change: (raw: Raw) => void = () => undefined) => {
  const raw: Raw = {
    server: { port: 8787 },
    store: { sqlite: '/tmp/relay.db' },
    admin: { token: 'admin-token-0123456789' },
    sources: [{ name: 'web', writeKey: 'write-key-web-0001' }],
    destinations: [
      {
        name: 'a',
        siteId: 'site',
        apiKey: 'key-a',
        subscriptions: [{ name: 'T', trigger: 'type = "track"', action: 'trackEvent' }],
      },
      { name: 'b', siteId: 'site', apiKey: 'key-b' },
    ],
  };
  change(raw);
  return validateConfig(raw);
};

describe('planReload', () => {
  it('nothing changed: nothing applied, nothing to restart', () => {
    expect(planReload(file(), file())).toMatchObject({ applied: [], restart: [], routesChanged: [] });
  });

  it('applies sources, keys, limits, the admin token and subscriptions live', () => {
    const next = file((raw) => {
      raw.sources = [
        { name: 'web', writeKey: 'write-key-web-0002', rateLimit: { requestsPerSecond: 5 } },
        { name: 'ios', writeKey: 'write-key-ios-0001' },
      ];
      raw.admin.token = 'admin-token-rotated-0123';
      raw.deliveryLog = { maxEntries: 5 };
      raw.destinations[0].subscriptions[0].trigger = 'type = "page"';
      raw.destinations[0].subscriptions[0].action = 'trackPageView';
      raw.destinations[1].profile = 'classic';
      raw.destinations[1].sources = ['ios'];
    });
    const plan = planReload(file(), next);
    expect(plan.restart).toEqual([]);
    expect(plan.applied).toEqual([
      'sources',
      'admin',
      'deliveryLog',
      'destinations.a.subscriptions',
      // a takes events from every source, so from ios too now.
      'destinations.a.sources',
      'destinations.b.subscriptions',
      'destinations.b.sources',
    ]);
    expect(plan.routesChanged).toEqual(['a', 'b']);
    expect(plan.config.sources).toEqual(next.sources);
    expect(plan.config.admin).toEqual(next.admin);
    expect(plan.config.destinations[1]).toMatchObject({ profile: 'classic', sources: ['ios'] });
  });

  it('keeps what running parts hold, and names it for a restart', () => {
    const current = file();
    const plan = planReload(
      current,
      file((raw) => {
        raw.server.port = 9000;
        raw.store.sqlite = '/tmp/other.db';
        raw.destinations[0].apiKey = 'key-a-rotated';
        raw.destinations[0].rateLimit = { requestsPerSecond: 5 };
        raw.destinations[0].endpoint = 'https://proxy.example';
        raw.destinations[1].name = 'c';
      }),
    );
    expect(plan.restart).toEqual([
      'server',
      'store',
      'destinations.a.apiKey',
      'destinations.a.endpoint',
      'destinations.a.rateLimit',
      'destinations: b removed',
      'destinations: c added',
    ]);
    expect(plan.config.server).toEqual(current.server);
    expect(plan.config.store).toEqual(current.store);
    expect(plan.config.destinations.map((d) => [d.name, d.apiKey, d.base])).toEqual([
      ['a', 'key-a', 'https://track.customer.io'],
      ['b', 'key-b', 'https://track.customer.io'],
    ]);
  });
});
