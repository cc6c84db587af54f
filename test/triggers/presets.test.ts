import { describe, expect, it } from 'vitest';
import { compileTrigger } from '../../src/triggers/index.js';

/**
 * Every FQL preset of Segment's "Customer.io (Actions)" destination (reference/segment-actions.md
 * §3), copied verbatim, against events that must and must not match. With these triggers our
 * precedence and Segment's agree (each is a plain `or` chain or a plain `and` chain).
 */

type Event = Record<string, unknown>;

const DEVICE_EXCLUSIONS = [
  'Application Installed',
  'Application Opened',
  'Application Uninstalled',
  'Device Created or Updated',
  'Device Deleted',
  'Relationship Deleted',
  'User Deleted',
  'User Suppressed',
  'User Unsuppressed',
  'Object Deleted',
  'Report Delivery Event',
  'Report Content Event',
];

const TRACK_EVENT =
  'type = "track" and event != "Application Installed" and event != "Application Opened" and event != "Application Uninstalled" and event != "Device Created or Updated" and event != "Device Deleted" and event != "Relationship Deleted" and event != "User Deleted" and event != "User Suppressed" and event != "User Unsuppressed" and event != "Object Deleted" and event != "Report Delivery Event" and event != "Report Content Event"';

const track = (event: string): Event => ({ type: 'track', event, userId: 'u1', properties: {} });

interface Preset {
  name: string;
  trigger: string;
  match: Event[];
  noMatch: Event[];
}

const PRESETS: Preset[] = [
  {
    name: 'Create or Update Person',
    trigger: 'type = "identify"',
    match: [{ type: 'identify', userId: 'u1', traits: {} }],
    noMatch: [track('Signed Up'), { type: 'group', groupId: 'g' }, {}],
  },
  {
    name: 'Create or Update Device',
    trigger:
      'event = "Application Installed" or event = "Application Opened" or event = "Device Created or Updated"',
    match: [
      track('Application Installed'),
      track('Application Opened'),
      track('Device Created or Updated'),
      // The device and lifecycle presets do not constrain `type`.
      { type: 'identify', event: 'Application Opened' },
    ],
    noMatch: [track('Application Uninstalled'), track('application opened'), { type: 'identify' }],
  },
  {
    name: 'Delete Device',
    trigger: 'event = "Application Uninstalled" or event = "Device Deleted"',
    match: [track('Application Uninstalled'), track('Device Deleted')],
    noMatch: [track('Application Installed'), { type: 'page', name: 'Device Deleted' }],
  },
  {
    name: 'Delete Relationship',
    trigger: 'event = "Relationship Deleted"',
    match: [track('Relationship Deleted')],
    noMatch: [track('Relationship Created'), { type: 'identify' }],
  },
  {
    name: 'Delete Person',
    trigger: 'event = "User Deleted"',
    match: [track('User Deleted')],
    noMatch: [track('User Suppressed'), { type: 'identify' }],
  },
  {
    name: 'Delete Object',
    trigger: 'event = "Object Deleted"',
    match: [track('Object Deleted')],
    noMatch: [track('Object Created'), { type: 'group', groupId: 'g' }],
  },
  {
    name: 'Track Event',
    trigger: TRACK_EVENT,
    match: [track('Order Completed'), track('Signed Up'), track(''), track('application installed')],
    noMatch: [
      ...DEVICE_EXCLUSIONS.map(track),
      { type: 'identify', userId: 'u1' },
      { type: 'page', name: 'Home' },
      { type: 'screen', name: 'Home' },
    ],
  },
  {
    name: 'Track Page View',
    trigger: 'type = "page"',
    match: [{ type: 'page', name: 'Home', properties: { url: 'https://x' } }],
    noMatch: [{ type: 'screen', name: 'Home' }, track('page')],
  },
  {
    name: 'Track Screen View',
    trigger: 'type = "screen"',
    match: [{ type: 'screen', name: 'Home' }],
    noMatch: [{ type: 'page', name: 'Home' }],
  },
  {
    name: 'Create or Update Object',
    trigger: 'type = "group"',
    match: [{ type: 'group', groupId: 'g1', traits: {} }],
    noMatch: [{ type: 'identify' }, track('group')],
  },
  {
    name: 'Merge People',
    trigger: 'type = "alias"',
    match: [{ type: 'alias', userId: 'u1', previousId: 'a1' }],
    noMatch: [{ type: 'identify' }],
  },
  {
    name: 'Suppress Person',
    trigger: 'event = "User Suppressed"',
    match: [track('User Suppressed')],
    noMatch: [track('User Unsuppressed')],
  },
  {
    name: 'Unsuppress Person',
    trigger: 'event = "User Unsuppressed"',
    match: [track('User Unsuppressed')],
    noMatch: [track('User Suppressed')],
  },
  {
    name: 'Report Delivery Event',
    trigger: 'event = "Report Delivery Event"',
    match: [track('Report Delivery Event')],
    noMatch: [track('Report Content Event')],
  },
  {
    name: 'Report Content Event',
    trigger: 'event = "Report Content Event"',
    match: [track('Report Content Event')],
    noMatch: [track('Report Delivery Event')],
  },
];

describe('Segment Customer.io (Actions) preset triggers', () => {
  it('covers all 15 FQL presets', () => {
    expect(PRESETS).toHaveLength(15);
  });

  describe.each(PRESETS)('$name: $trigger', ({ trigger, match, noMatch }) => {
    const compiled = compileTrigger(trigger);

    it.each(match.map((event) => [JSON.stringify(event), event]))('matches %s', (_, event) => {
      expect(compiled.test(event)).toBe(true);
      expect(compiled.explain(event).matched).toBe(true);
    });

    it.each(noMatch.map((event) => [JSON.stringify(event), event]))('does not match %s', (_, event) => {
      expect(compiled.test(event)).toBe(false);
      expect(compiled.explain(event).matched).toBe(false);
    });
  });

  it('Track Event explains which exclusion rejected an event', () => {
    const trigger = compileTrigger(TRACK_EVENT);
    expect(trigger.explain(track('Application Installed'))).toEqual({
      matched: false,
      reason: 'event != "Application Installed" is false: event is "Application Installed"',
    });
    expect(trigger.explain({ type: 'identify' })).toEqual({
      matched: false,
      reason: 'type = "track" is false: type is "identify"',
    });
  });

  it('each event of the device/lifecycle presets is sent to exactly one action', () => {
    const compiled = PRESETS.map((preset) => ({
      name: preset.name,
      trigger: compileTrigger(preset.trigger),
    }));
    for (const name of [...DEVICE_EXCLUSIONS, 'Order Completed']) {
      const hits = compiled.filter(({ trigger }) => trigger.test(track(name))).map((preset) => preset.name);
      expect(hits, name).toHaveLength(1);
    }
  });
});
