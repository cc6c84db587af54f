import { describe, expect, it } from 'vitest';
import { body, rejection, run } from './helpers.js';

const identify = {
  type: 'identify',
  userId: 'user_123',
  anonymousId: 'anon_123',
  messageId: 'msg-identify-1',
  timestamp: '2024-03-01T10:00:00.000Z',
  traits: {
    email: 'jane@example.com',
    name: 'Jane Doe',
    plan: 'pro',
    trial_ends: '2024-04-01',
    last_seen: '2024-02-29T22:59:59Z',
    signup_text: 'Mar 25 2015',
    age: 42,
    score: '1712345678',
    profile: { birthdate: '1990-05-17', verified: true },
    createdAt: '2023-01-15T08:30:00Z',
  },
};

describe('createUpdatePerson', () => {
  it('identifies by userId with traits as attributes (reference §5.1 #0)', () => {
    expect(body(run('createUpdatePerson', identify))).toEqual({
      type: 'person',
      action: 'identify',
      attributes: {
        email: 'jane@example.com',
        name: 'Jane Doe',
        plan: 'pro',
        trial_ends: 1711929600,
        last_seen: 1709247599,
        signup_text: 'Mar 25 2015',
        age: 42,
        score: '1712345678',
        profile: { birthdate: 642902400, verified: true },
        created_at: 1673771400,
        anonymous_id: 'anon_123',
      },
      timestamp: 1709287200,
      identifiers: { id: 'user_123' },
    });
  });

  it('identifies an email-only lead by email, keeping the anonymous id as an attribute', () => {
    const result = body(
      run('createUpdatePerson', {
        type: 'identify',
        anonymousId: 'anon_456',
        traits: { email: 'only.email@example.com', first_name: 'Only' },
      }),
    );
    expect(result['identifiers']).toEqual({ email: 'only.email@example.com' });
    expect(result['attributes']).toEqual({
      email: 'only.email@example.com',
      first_name: 'Only',
      anonymous_id: 'anon_456',
    });
  });

  it('a cio_ userId addresses cio_id and relates the person to traits.objectId', () => {
    const result = body(
      run('createUpdatePerson', {
        type: 'identify',
        userId: 'cio_03000001',
        traits: {
          objectId: 'acme',
          objectTypeId: '2',
          title: 'CTO',
          relationshipAttributes: { role: 'admin', joined: '2024-02-01T00:00:00Z' },
        },
      }),
    );
    expect(result).toEqual({
      type: 'person',
      action: 'identify',
      attributes: { objectId: 'acme', title: 'CTO' },
      cio_relationships: [
        {
          identifiers: { object_type_id: '2', object_id: 'acme' },
          relationship_attributes: { role: 'admin', joined: '2024-02-01T00:00:00Z' },
        },
      ],
      identifiers: { cio_id: '03000001' },
    });
  });

  it('an anonymous-only identify is sent with identifiers.anonymous_id and no anonymous_id attribute', () => {
    const result = body(
      run('createUpdatePerson', { type: 'identify', anonymousId: 'a1', traits: { color: 'blue' } }),
    );
    expect(result['identifiers']).toEqual({ anonymous_id: 'a1' });
    expect(result['attributes']).toEqual({ color: 'blue' });
  });

  it('correction 5: an identify that names nobody is rejected, not sent without identifiers', () => {
    const error = rejection(run('createUpdatePerson', { type: 'identify', traits: { plan: 'pro' } }));
    expect(error.code).toBe('missing_identifier');
    expect(error.message).toBe(
      'Create or Update Person needs a userId, a traits.email or an anonymousId; Customer.io cannot apply an operation that identifies nobody',
    );
  });

  it('correction 2: created_at from a non-ISO date or a number becomes Unix seconds', () => {
    const a = body(
      run('createUpdatePerson', { type: 'identify', userId: 'u', traits: { created_at: 'Mar 25 2015' } }),
    );
    expect((a['attributes'] as Record<string, unknown>)['created_at']).toBe(1427241600);
    const b = body(
      run('createUpdatePerson', { type: 'identify', userId: 'u', traits: { createdAt: 1700000000 } }),
    );
    expect((b['attributes'] as Record<string, unknown>)['created_at']).toBe(1700000000);
  });

  it('Convert Timestamps off sends ISO strings untouched, but still converts the timestamp field', () => {
    const result = body(run('createUpdatePerson', identify, { convert_timestamp: false }));
    const attributes = result['attributes'] as Record<string, unknown>;
    expect(attributes['trial_ends']).toBe('2024-04-01');
    expect(attributes['created_at']).toBe('2023-01-15T08:30:00Z');
    expect(result['timestamp']).toBe(1709287200);
  });

  it('passes unsubscribed: true through as an attribute', () => {
    const result = body(
      run('createUpdatePerson', { type: 'identify', userId: 'u', traits: { unsubscribed: true } }),
    );
    expect(result['attributes']).toEqual({ unsubscribed: true });
  });

  it('never mutates the event', () => {
    const event = structuredClone(identify);
    run('createUpdatePerson', event);
    expect(event).toEqual(identify);
  });
});

describe('trackEvent', () => {
  const track = {
    type: 'track',
    event: 'Order Completed',
    userId: 'user_123',
    anonymousId: 'anon_123',
    messageId: 'msg-track-1',
    timestamp: '2024-03-01T11:00:00Z',
    properties: {
      order_id: 'o-1',
      total: 99.5,
      shipped_at: '2024-03-02T09:00:00Z',
      items: [{ sku: 'A', added_at: '2024-03-01T10:59:00Z' }],
      meta: { delivered_at: '2024-03-05T12:00:00Z' },
    },
  };

  it('sends the event with its properties as attributes (reference §5.2)', () => {
    expect(body(run('trackEvent', track))).toEqual({
      type: 'person',
      action: 'event',
      name: 'Order Completed',
      id: 'msg-track-1',
      attributes: {
        order_id: 'o-1',
        total: 99.5,
        shipped_at: 1709370000,
        items: [{ sku: 'A', added_at: '2024-03-01T10:59:00Z' }],
        meta: { delivered_at: 1709640000 },
        anonymous_id: 'anon_123',
      },
      timestamp: 1709290800,
      identifiers: { id: 'user_123' },
    });
  });

  it('sends an anonymous event to identifiers.anonymous_id', () => {
    const result = body(
      run('trackEvent', { type: 'track', event: 'Viewed Pricing', anonymousId: 'anon_999' }),
    );
    expect(result['identifiers']).toEqual({ anonymous_id: 'anon_999' });
  });

  it('correction 1: an event name or messageId that looks like a date is never converted', () => {
    const result = body(
      run('trackEvent', {
        type: 'track',
        event: '2024-01-01',
        messageId: '2024-01-02',
        userId: 'u',
        properties: {},
      }),
    );
    expect(result['name']).toBe('2024-01-01');
    expect(result['id']).toBe('2024-01-02');
  });

  it('rejects a missing event name with the field and its mapping', () => {
    const error = rejection(run('trackEvent', { type: 'track', event: '', userId: 'u' }));
    expect(error).toEqual({
      code: 'missing_field',
      message:
        'Track Event requires Event Name (name), but its mapping {"@path":"$.event"} found no value in this event; add the value to the event or change the mapping',
    });
  });

  it('rejects an object where the event name should be a string', () => {
    const event = { type: 'track', event: 'x', userId: 'u', context: { ip: '1.2.3.4' } };
    const error = rejection(run('trackEvent', event, { name: { '@path': '$.context' } }));
    expect(error).toEqual({
      code: 'invalid_field',
      message:
        'Track Event: Event Name (name) must be a string (or a number or boolean, which is converted), but its mapping produced an object',
    });
  });

  it('converts a number mapped to a string field, as Segment does', () => {
    const result = body(run('trackEvent', { type: 'track', event: 'x', userId: 'u' }, { id: 12345 }));
    expect(result['identifiers']).toEqual({ id: '12345' });
  });
});

describe('trackPageView and trackScreenView', () => {
  it('a page view is named by its URL (reference §5.3)', () => {
    const result = body(
      run('trackPageView', {
        type: 'page',
        userId: 'user_123',
        messageId: 'msg-page-1',
        timestamp: '2024-03-01T14:00:00Z',
        name: 'Pricing',
        properties: { url: 'https://example.com/pricing', path: '/pricing' },
      }),
    );
    expect(result).toEqual({
      type: 'person',
      action: 'page',
      name: 'https://example.com/pricing',
      attributes: { url: 'https://example.com/pricing', path: '/pricing' },
      id: 'msg-page-1',
      timestamp: 1709301600,
      identifiers: { id: 'user_123' },
    });
  });

  it('correction 4: a page without properties.url uses context.page.url', () => {
    const result = body(
      run('trackPageView', {
        type: 'page',
        userId: 'u',
        context: { page: { url: 'https://example.com/a' } },
      }),
    );
    expect(result['name']).toBe('https://example.com/a');
  });

  it('a page with no URL at all is rejected with a clear message', () => {
    const error = rejection(run('trackPageView', { type: 'page', userId: 'u', name: 'Home' }));
    expect(error.code).toBe('missing_field');
    expect(error.message).toContain('Page URL (url)');
  });

  it('a screen view is named by the screen name (reference §5.4)', () => {
    const result = body(
      run('trackScreenView', {
        type: 'screen',
        userId: 'user_123',
        name: 'Checkout',
        messageId: 'msg-screen-1',
        timestamp: '2024-03-01T15:00:00Z',
        properties: { step: 2, opened_at: '2024-03-01T14:59:00Z' },
      }),
    );
    expect(result).toEqual({
      type: 'person',
      action: 'screen',
      name: 'Checkout',
      attributes: { step: 2, opened_at: 1709305140 },
      id: 'msg-screen-1',
      timestamp: 1709305200,
      identifiers: { id: 'user_123' },
    });
  });
});
