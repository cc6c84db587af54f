/**
 * A destination's `profile` and `settings` in the relay configuration and in `cio-relay map`:
 * settings are checked against the chosen profile (key path and fix), defaults apply, the
 * profile's filter rules and destination-wide adjustments stay with a destination's own
 * subscriptions.
 */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/index.js';
import { classicProfile, isFilterRule, rudderstackProfile, withDefaults } from '../../src/profiles/index.js';
import { cli, ndjson } from '../cli/cli-helpers.js';
import { messagesOf, tempFile, withDestination } from '../config/helpers.js';

describe('settings in the relay configuration', () => {
  it('profiles: a classic destination routes by its presets with the settings applied, and its filter rules', () => {
    const config = validateConfig(withDestination({ profile: 'classic', settings: { idOnly: true } }));
    const [destination] = config.destinations;
    expect(destination?.presets).toBe(true);
    expect(Object.entries(destination?.settings ?? {})).toEqual([['idOnly', true]]);
    const names = destination?.subscriptions.map((s) => (isFilterRule(s) ? `filter: ${s.name}` : s.name));
    expect(names).toEqual([
      'Identify',
      'Device',
      'Delete Device',
      'Track',
      'Page',
      'Screen',
      'filter: No userId',
      'filter: Group and alias',
    ]);
    const identify = destination?.subscriptions[0];
    expect(identify).toMatchObject({ adjust: ['idOnly', 'unixTimes'], mapping: { convert_timestamp: true } });
  });

  it('profiles: own subscriptions replace the presets but keep the filter rules and workspace-wide adjustments', () => {
    const own = { name: 'Orders', trigger: 'type = "track"', action: 'trackEvent' };
    const config = validateConfig(
      withDestination({ profile: 'classic', settings: { idOnly: true }, subscriptions: [own] }),
    );
    const [destination] = config.destinations;
    expect(destination?.presets).toBe(false);
    expect(destination?.subscriptions[0]).toEqual({ ...own, enabled: true, adjust: ['idOnly'] });
    expect(destination?.subscriptions.filter(isFilterRule)).toHaveLength(2);

    const rudderstack = validateConfig(
      withDestination({
        profile: 'rudderstack',
        settings: { consentCategory: 'Marketing' },
        subscriptions: [own],
      }),
    );
    expect(rudderstack.destinations[0]?.subscriptions[1]).toMatchObject({
      trigger: 'contains(context.consentManagement.deniedConsentIds, "Marketing")',
    });
  });

  it.each([
    [
      { profile: 'classic', settings: { consentCategory: 'Marketing' } },
      'destinations[0].settings.consentCategory: the classic profile has no setting "consentCategory"; its settings are convertToUnixTime, idOnly',
    ],
    [
      { settings: { idOnly: true } },
      'destinations[0].settings.idOnly: the actions profile has no setting "idOnly"; it has no settings',
    ],
    [
      { profile: 'rudderstack', settings: { deviceTokenEventName: 5 } },
      'destinations[0].settings.deviceTokenEventName: must be',
    ],
    [
      { profile: 'classic', settings: { convertToUnixTime: 'yes' } },
      'destinations[0].settings.convertToUnixTime: must be',
    ],
    [
      { profile: 'classic', settings: { convertToUnixTme: false } },
      'destinations[0].settings.convertToUnixTme: unknown key',
    ],
  ])('profiles: settings %j are refused with the key path and the fix', (destination, message) => {
    const [problem, ...others] = messagesOf(withDestination(destination));
    expect(others).toEqual([]);
    expect(problem).toContain(message);
  });
});

describe('the references’ other settings are every destination’s keys', () => {
  it.each(['classic', 'rudderstack'])(
    'profiles (§4 #27): %s’s EU datacenter is region: eu, for every call',
    (profile) => {
      const config = validateConfig(withDestination({ profile, region: 'eu' }));
      expect(config.destinations[0]?.base).toBe('https://track-eu.customer.io');
    },
  );

  it('profiles (§4 #1): a destination without its API key is refused, saying how to add it', () => {
    const raw = withDestination({ profile: 'rudderstack' });
    delete (raw['destinations'] as Record<string, unknown>[])[0]?.['apiKey'];
    expect(messagesOf(raw)).toEqual([
      expect.stringMatching(/^destinations\[0\]\.apiKey: missing; add `apiKey: /),
    ]);
  });
});

describe('setting values', () => {
  it('profiles: unset keys take the defaults; "" is unset and "true"/"false" are booleans, as environment variables give them', () => {
    expect(withDefaults(classicProfile, undefined)).toEqual({ convertToUnixTime: true, idOnly: false });
    expect(withDefaults(classicProfile, { convertToUnixTime: 'false', idOnly: '' })).toEqual({
      convertToUnixTime: false,
      idOnly: false,
    });
    expect(withDefaults(rudderstackProfile, { deviceTokenEventName: '' })).toEqual({
      deviceTokenEventName: undefined,
      consentCategory: undefined,
    });
  });
});

describe('cio-relay map with the classic and rudderstack profiles', () => {
  const events = [
    { type: 'identify', userId: 'john@example.com', traits: { plan: 'pro' } },
    {
      type: 'track',
      anonymousId: 'a1',
      event: 'Viewed',
      context: { consentManagement: { deniedConsentIds: ['ads'] } },
    },
  ]
    .map((e) => JSON.stringify(e))
    .join('\n');

  it('profiles: --profile classic prints the operations and each filtered event with its reason', async () => {
    const run = await cli(['map', '--profile', 'classic'], events);
    expect(run.code).toBe(0);
    expect(ndjson(run.stdout)).toEqual([
      expect.objectContaining({
        index: 0,
        body: expect.objectContaining({ identifiers: { email: 'john@example.com' } }),
      }),
      { index: 1, filtered: 'Segment Classic sends only events with a userId: it has no anonymous events' },
    ]);
    expect(run.stderr).toContain('0 rejected, 1 filtered, 0 matched no subscription');
  });

  it('profiles: --config applies the destination’s settings', async () => {
    const config = tempFile(
      'relay.yaml',
      'destinations:\n  - name: rs\n    profile: rudderstack\n    settings:\n      consentCategory: ads\n',
    );
    const run = await cli(['map', '--config', config], events);
    expect(ndjson(run.stdout).map((line) => line['filtered'] ?? line['action'])).toEqual([
      'createUpdatePerson',
      'the user denied consent category "ads" (context.consentManagement.deniedConsentIds)',
    ]);
  });

  it('profiles: a mistake in a classic destination’s own subscription names its index in the file', async () => {
    const config = tempFile(
      'relay.yaml',
      'destinations:\n  - name: c\n    profile: classic\n    subscriptions:\n      - { name: T, trigger: "type =", action: trackEvent }\n',
    );
    const run = await cli(['map', '--config', config], events);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^cio-relay map: destinations\[0\]\.subscriptions\[0\]\.trigger: /);
  });

  it('profiles: --config refuses a setting of another profile, naming its key path', async () => {
    const config = tempFile(
      'relay.yaml',
      'destinations:\n  - name: c\n    profile: classic\n    settings:\n      consentCategory: ads\n',
    );
    const run = await cli(['map', '--config', config], events);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'cio-relay map: destinations[0].settings.consentCategory: the classic profile has no setting "consentCategory"; its settings are convertToUnixTime, idOnly\n',
    );
  });
});

describe('cio-relay check-config with the classic and rudderstack profiles', () => {
  it('profiles: the summary counts a destination’s subscriptions and its profile’s filter rules', async () => {
    const file = tempFile(
      'relay.yaml',
      [
        'sources: [{ name: web, writeKey: write-key-web-0001 }]',
        'destinations:',
        '  - { name: classic, siteId: s, apiKey: k, profile: classic }',
        '  - name: rs',
        '    siteId: s',
        '    apiKey: k',
        '    profile: rudderstack',
        '    settings: { consentCategory: Marketing }',
        '    subscriptions: [{ name: Orders, trigger: \'type = "track"\', action: trackEvent }]',
        '',
      ].join('\n'),
    );
    const run = await cli(['check-config', file]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n').filter((line) => /^ {2}\w/.test(line));
    expect(lines.map((line) => line.split('; ')[1])).toEqual([
      'profile classic (6 preset subscriptions), 2 filter rules of profile classic',
      '1 subscriptions, 1 filter rule of profile rudderstack',
    ]);
  });
});
