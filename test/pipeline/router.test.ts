import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOperation } from '../../src/customerio/index.js';
import { ConfigError, configErrorText } from '../../src/errors.js';
import { validateEvent } from '../../src/events/index.js';
import { compileSubscriptions, filterReason, MAX_SUBSCRIPTIONS, route } from '../../src/pipeline/index.js';
import { actionsProfile } from '../../src/profiles/index.js';

const context = { now: () => 0 };
const presets = compileSubscriptions(actionsProfile.presets({}));

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('the actions profile', () => {
  it('has the 15 presets, in Segment’s order', () => {
    expect(presets.map((s) => s.action?.action.key)).toEqual([
      'createUpdatePerson',
      'createUpdateDevice',
      'deleteDevice',
      'deleteRelationship',
      'deletePerson',
      'deleteObject',
      'trackEvent',
      'trackPageView',
      'trackScreenView',
      'createUpdateObject',
      'mergePeople',
      'suppressPerson',
      'unsuppressPerson',
      'reportDeliveryEvent',
      'reportContentEvent',
    ]);
  });

  it.each([
    ['Application Installed', ['createUpdateDevice']],
    ['Device Created or Updated', ['createUpdateDevice']],
    ['Device Deleted', ['deleteDevice']],
    ['Report Content Event', ['reportContentEvent']],
    ['User Deleted', ['deletePerson']],
    ['Order Completed', ['trackEvent']],
  ])('a track "%s" runs %j only', (event, actions) => {
    const routed = route({ type: 'track', event, userId: 'u' }, presets, context);
    expect(routed.map((r) => r.action)).toEqual(actions);
  });
});

describe('compileSubscriptions', () => {
  it('merges a subscription mapping over the action defaults; null removes a default', () => {
    const [subscription] = compileSubscriptions([
      {
        name: 'orders',
        trigger: 'type = "track"',
        action: 'trackEvent',
        mapping: { name: 'Order', event_id: null },
      },
    ]);
    const [routed] = route(
      { type: 'track', event: 'x', userId: 'u', messageId: 'm1' },
      [subscription!],
      context,
    );
    expect(routed!.result).toMatchObject({ body: { name: 'Order', identifiers: { id: 'u' } } });
    expect(isOperation(routed!.result) && 'id' in routed!.result.body).toBe(false);
  });

  it('skips disabled subscriptions', () => {
    const compiled = compileSubscriptions([
      { name: 'off', trigger: 'type = "track"', action: 'trackEvent', enabled: false },
    ]);
    expect(compiled).toEqual([]);
  });

  it('refuses an unknown field with the list of the action’s fields', () => {
    const error = configError(() =>
      compileSubscriptions([
        { name: 's', trigger: 'type = "track"', action: 'trackEvent', mapping: { nmae: 'x' } },
      ]),
    );
    expect(error.code).toBe('unknown_field');
    expect(error.path).toBe('subscriptions[0].mapping.nmae');
    expect(error.message).toBe(
      'subscriptions[0].mapping.nmae: Track Event has no field "nmae"; its fields are id, anonymous_id, name, event_id, timestamp, data, convert_timestamp',
    );
  });

  it('refuses duplicate names and more than 50 subscriptions (the seeds’ limit)', () => {
    const one = { name: 'same', trigger: 'type = "track"', action: 'trackEvent' };
    expect(configError(() => compileSubscriptions([one, one])).code).toBe('duplicate_subscription');
    const many = Array.from({ length: MAX_SUBSCRIPTIONS + 1 }, (_, i) => ({ ...one, name: `s${i}` }));
    expect(configError(() => compileSubscriptions(many)).message).toBe(
      'subscriptions: 51 subscriptions; a destination may have at most 50',
    );
  });

  it('refuses a trigger that is not a string, naming where it is', () => {
    const error = configError(() =>
      compileSubscriptions([{ name: 's', trigger: 42 as unknown as string, action: 'trackEvent' }]),
    );
    expect(error.code).toBe('invalid_trigger');
    expect(configErrorText(error)).toBe(
      'subscriptions[0].trigger: trigger must be a string such as `type = "track"`, got a number',
    );
  });

  it('passes a bad mapping’s error through with its path', () => {
    const error = configError(() =>
      compileSubscriptions([
        {
          name: 's',
          trigger: 'type = "track"',
          action: 'trackEvent',
          mapping: { name: { '@path': 'event' } },
        },
      ]),
    );
    expect(error.code).toBe('invalid_mapping');
    expect(error.path).toBe('subscriptions[0].mapping.name.@path');
    expect(configErrorText(error)).toBe(
      'subscriptions[0].mapping.name.@path: @path must be a string starting with "$." such as "$.properties.plan" (got "event")',
    );
  });
});

describe('no event makes the mapping core throw', () => {
  const id = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant('cio_x'), fc.emailAddress());
  const bag = fc.dictionary(
    fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('__proto__', 'constructor', 'created_at', 'objectId', 'url', 'email'),
    ),
    fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom('2024-04-01', '2024-03-01T10:00:00Z', 'Mar 25 2015', '1700000000'),
    ),
    { maxKeys: 8 },
  );
  const event = fc.record(
    {
      type: fc.constantFrom('identify', 'track', 'page', 'screen', 'group', 'alias'),
      event: fc.constantFrom(
        'Order Completed',
        'Application Installed',
        'User Deleted',
        'Report Delivery Event',
        'Relationship Deleted',
        'Report Content Event',
        'Object Deleted',
      ),
      userId: id,
      anonymousId: id,
      previousId: id,
      groupId: id,
      name: fc.string({ maxLength: 10 }),
      timestamp: fc.oneof(fc.constant('2024-03-01T10:00:00Z'), fc.string({ maxLength: 12 }), fc.integer()),
      traits: bag,
      properties: bag,
      context: fc.record({ device: bag, page: bag }, { requiredKeys: [] }),
    },
    { requiredKeys: ['type'] },
  );

  it('every matching subscription yields an operation with identifiers, or a {code, message} rejection', () => {
    fc.assert(
      fc.property(event, (input) => {
        const checked = validateEvent(structuredClone(input));
        if (!checked.ok) return;
        for (const { result } of route(
          checked.event as unknown as Record<string, unknown>,
          presets,
          context,
        )) {
          if (isOperation(result)) {
            expect(typeof result.key).toBe('string');
            const body = result.body as unknown as Record<string, unknown>;
            const identified = 'identifiers' in body || 'primary' in body || result.endpoint === 'metrics';
            expect(identified).toBe(true);
            JSON.stringify(body);
          } else {
            expect(Object.keys(result).sort()).toEqual(['code', 'message']);
            expect(result.message.length).toBeGreaterThan(10);
          }
        }
      }),
      { numRuns: 3000 },
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('filter rules', () => {
  const routes = compileSubscriptions([
    { name: 'all tracks', trigger: 'type = "track"', action: 'trackEvent' },
    { name: 'tests', trigger: 'properties.test = true', filter: 'test traffic is not sent' },
    { name: 'bots', trigger: 'contains(context.tags, "bot")', filter: 'bots are not sent' },
  ]);

  it('a matching filter rule stops every subscription, wherever it is listed; filterReason names the first', () => {
    const event = {
      type: 'track',
      event: 'E',
      userId: 'u',
      properties: { test: true },
      context: { tags: ['bot'] },
    };
    expect(route(event, routes, context)).toEqual([]);
    expect(filterReason(event, routes)).toBe('test traffic is not sent');
  });

  it('an event no rule matches is routed as usual, with no filter reason', () => {
    const event = { type: 'track', event: 'E', userId: 'u' };
    expect(route(event, routes, context).map((r) => r.subscription)).toEqual(['all tracks']);
    expect(filterReason(event, routes)).toBeUndefined();
  });

  it('filter rules do not count against the limit of subscriptions', () => {
    const many = Array.from({ length: MAX_SUBSCRIPTIONS }, (_, i) => ({
      name: `s${i}`,
      trigger: 'type = "track"',
      action: 'trackEvent',
    }));
    const filter = { name: 'f', trigger: 'userId = null', filter: 'no user' };
    expect(compileSubscriptions([...many, filter])).toHaveLength(MAX_SUBSCRIPTIONS + 1);
  });
});
