import { describe, expect, it } from 'vitest';
import { demoConfig } from '../../src/config/index.js';
import { actionsProfile } from '../../src/profiles/index.js';

describe('demoConfig', () => {
  it('one source "demo", one destination "emulator" on the actions profile, at the emulator', () => {
    const config = demoConfig({
      port: 8787,
      emulatorUrl: 'http://127.0.0.1:9090',
      siteId: 'demo-site',
      apiKey: 'demo-api-key-0123',
      writeKey: 'demo-write-key',
      adminToken: '0123456789abcdef0123',
      sqlite: ':memory:',
    });
    expect(config.server).toEqual({ host: '127.0.0.1', port: 8787 });
    expect(config.store.sqlite).toBe(':memory:');
    expect(config.admin.token).toBe('0123456789abcdef0123');
    expect(config.sources).toEqual([{ name: 'demo', writeKey: 'demo-write-key' }]);
    expect(config.destinations).toHaveLength(1);
    expect(config.destinations[0]).toMatchObject({
      name: 'emulator',
      siteId: 'demo-site',
      apiKey: 'demo-api-key-0123',
      base: 'http://127.0.0.1:9090',
      profile: 'actions',
      subscriptions: [...actionsProfile.presets({})],
      sources: ['demo'],
    });
  });

  it('is checked like any configuration', () => {
    expect(() =>
      demoConfig({
        port: 8787,
        emulatorUrl: 'http://127.0.0.1:9090',
        siteId: 's',
        apiKey: 'k',
        writeKey: 'w',
        adminToken: 'too-short',
        sqlite: ':memory:',
      }),
    ).toThrow('admin.token: must be at least 16 characters (got 9)');
  });
});
