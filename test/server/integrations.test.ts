import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allowsCustomerIo } from '../../src/server/integrations.js';
import type { Harness } from './helpers.js';
import { post, startServer, track } from './helpers.js';

describe('allowsCustomerIo', () => {
  const off: Array<Record<string, unknown>> = [
    { 'Customer.io': false },
    { 'Customer.io (Actions)': false },
    { 'Customer IO': false },
    { customerio: false },
    { 'CUSTOMER.IO': false },
    { 'Customer.io Journeys': false },
    { All: false },
    { all: false, Mixpanel: true },
    { All: false, 'Customer.io': false },
    // Opt-out wins when spellings disagree.
    { 'Customer.io': true, customerio: false },
  ];
  const on: Array<Record<string, unknown> | undefined> = [
    undefined,
    {},
    { Mixpanel: false },
    { 'Customer.io': true },
    { All: true },
    { All: false, 'Customer.io': true },
    { All: false, 'customer.io (actions)': { region: 'eu' } },
    { All: false, customerio: true },
    // Names the pipeline, not the destination.
    { 'Customer.io Data Pipelines': false },
  ];
  for (const integrations of off) {
    it(`${JSON.stringify(integrations)} turns Customer.io off`, () => {
      expect(allowsCustomerIo(integrations)).toBe(false);
    });
  }
  for (const integrations of on) {
    it(`${JSON.stringify(integrations)} leaves Customer.io on`, () => {
      expect(allowsCustomerIo(integrations)).toBe(true);
    });
  }
});

describe('integrations at ingest', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startServer();
  });
  afterEach(async () => {
    await h.close();
  });

  it('stores a turned-off event with no destination, answers 200 and wakes nobody', async () => {
    const response = await post(
      h.app,
      '/v1/track',
      track({ messageId: 'm-off', integrations: { 'Customer.io': false } }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ success: true });
    expect(h.store.stored()).toMatchObject([{ messageId: 'm-off', destinations: [] }]);
    expect(h.delivery.notified).toEqual([]);
  });

  it('deduplicates a turned-off event like any other (its messageId is taken)', async () => {
    await post(h.app, '/v1/track', track({ messageId: 'm-x', integrations: { All: false } }));
    const again = await post(h.app, '/v1/track', track({ messageId: 'm-x' }));
    expect(again.json()).toEqual({ success: true, duplicates: 1 });
    expect(h.delivery.notified).toEqual([]);
    expect((await h.store.stats('production', 0)).queued).toBe(0);
  });

  it('applies {"All": false} from the top of a batch, unless the event turns Customer.io on', async () => {
    await post(h.app, '/v1/batch', {
      integrations: { All: false },
      batch: [track({ messageId: 'a' }), track({ messageId: 'b', integrations: { 'Customer.io': true } })],
    });
    expect(h.store.stored().map((e) => [e.messageId, e.destinations])).toEqual([
      ['a', []],
      ['b', ['production', 'staging']],
    ]);
    expect(h.delivery.notified).toEqual([['production', 'staging']]);
  });
});
