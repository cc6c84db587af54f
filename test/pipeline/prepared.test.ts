/**
 * Operations mapped at ingest (pipeline/prepared.ts): the text keeps each destination's operations,
 * refusals and filter reason exactly, and the planner sends them only while the destination's
 * subscriptions are the ones they were mapped with; otherwise it maps the stored event again.
 */
import { describe, expect, it } from 'vitest';
import { planDelivery } from '../../src/pipeline/delivery/plan.js';
import type { MappedEvent } from '../../src/pipeline/mapped-event.js';
import {
  compileDestinationMapping,
  decodePrepared,
  encodePrepared,
  sectionHeader,
} from '../../src/pipeline/prepared.js';
import type { RouteConfig } from '../../src/profiles/index.js';
import type { Job } from '../../src/store/types.js';

const trackAs = (name: string): RouteConfig[] => [
  {
    name: 'Orders',
    trigger: 'type = "track"',
    action: 'trackEvent',
    mapping: { name: { '@template': `${name}: {{event}}` } },
  },
];

/** An operation as the planner reads it: bytes are the JSON's UTF-8 length. */
const op = (action: string, endpoint: 'v2' | 'metrics', json: string) => ({
  action,
  endpoint,
  json,
  bytes: Buffer.byteLength(json),
});

const mapped: MappedEvent = {
  operations: [
    op('createUpdatePerson', 'v2', '{"type":"person","note":"tab\\there, line\\nthere"}'),
    op('reportDeliveryEvent', 'metrics', '{"delivery_id":"d1","metric":"clicked"}'),
  ],
  rejections: [{ code: 'missing_identifier', message: 'no "id"\nor email' }],
};

describe('prepared operations', () => {
  it('give back each destination’s section as it was encoded, names and text of any kind', () => {
    const odd = 'prod "eu"\t\nbis';
    const text = encodePrepared([
      { destination: 'production', version: 'v-1', mapped },
      { destination: odd, version: 'v-2', mapped: { operations: [], rejections: [], filtered: 'no userId' } },
    ]);
    expect(decodePrepared(text, sectionHeader('production', 'v-1'))).toEqual(mapped);
    expect(decodePrepared(text, sectionHeader(odd, 'v-2'))).toEqual({
      operations: [],
      rejections: [],
      filtered: 'no userId',
    });
  });

  it('have nothing for another version of the subscriptions or another destination', () => {
    const text = encodePrepared([{ destination: 'production', version: 'v-1', mapped }]);
    expect(decodePrepared(text, sectionHeader('production', 'v-2'))).toBeUndefined();
    expect(decodePrepared(text, sectionHeader('product', 'v-1'))).toBeUndefined();
    expect(decodePrepared(text, sectionHeader('production ', 'v-1'))).toBeUndefined();
  });

  it('are versioned by the subscriptions’ configuration: equal routes, equal versions', () => {
    const a = compileDestinationMapping(trackAs('A'), 'subscriptions');
    expect(compileDestinationMapping(structuredClone(trackAs('A')), 'elsewhere').version).toBe(a.version);
    expect(compileDestinationMapping(trackAs('B'), 'subscriptions').version).not.toBe(a.version);
  });
});

describe('the planner', () => {
  const body = JSON.stringify({
    type: 'track',
    event: 'Order',
    userId: 'u1',
    messageId: 'm1',
    timestamp: '2024-05-01T00:00:00.000Z',
  });
  const job = (prepared: string | undefined): Job => ({
    id: 1,
    destination: 'production',
    eventId: 1,
    source: 'web',
    messageId: 'm1',
    personKey: 'u1',
    body,
    prepared,
    receivedAt: 0,
    attempts: 0,
    firstAttemptAt: null,
  });
  const plan = (prepared: string | undefined, routes: RouteConfig[]) => {
    const mapping = compileDestinationMapping(routes, 'subscriptions');
    return planDelivery([job(prepared)], {
      destination: 'production',
      version: mapping.version,
      subscriptions: mapping.subscriptions,
      base: 'http://cio.test',
      maxOperations: 100,
      maxBytes: 500_000,
      now: () => 0,
    });
  };
  const sentNames = (requests: { body: string }[]) =>
    requests.flatMap((r) =>
      (JSON.parse(r.body) as { batch: { name?: string }[] }).batch.map((op) => op.name),
    );

  it('sends what ingest prepared with the subscriptions in force, without mapping the event again', () => {
    const version = compileDestinationMapping(trackAs('A'), 'subscriptions').version;
    // Marked so it shows where the operation came from.
    const prepared = encodePrepared([
      {
        destination: 'production',
        version,
        mapped: {
          operations: [op('trackEvent', 'v2', '{"name":"from ingest"}')],
          rejections: [],
        },
      },
    ]);
    expect(sentNames(plan(prepared, trackAs('A')).requests)).toEqual(['from ingest']);
  });

  it('maps the stored event again once the subscriptions changed since ingest', () => {
    const old = compileDestinationMapping(trackAs('A'), 'subscriptions').version;
    const prepared = encodePrepared([
      {
        destination: 'production',
        version: old,
        mapped: {
          operations: [op('trackEvent', 'v2', '{"name":"from ingest"}')],
          rejections: [],
        },
      },
    ]);
    expect(sentNames(plan(prepared, trackAs('B')).requests)).toEqual(['B: Order']);
    expect(sentNames(plan(undefined, trackAs('B')).requests)).toEqual(['B: Order']);
  });
});
