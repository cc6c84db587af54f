import { describe, expect, it } from 'vitest';
import { body, NOW, rejection, run } from './helpers.js';

const device = { token: 'device_token_abc', type: 'ios' };

describe('devices', () => {
  it('createUpdateDevice adds the device with properties and app version as attributes (reference §5.5)', () => {
    const result = body(
      run('createUpdateDevice', {
        type: 'track',
        event: 'Application Installed',
        userId: 'user_123',
        timestamp: '2024-03-01T12:00:00Z',
        properties: { version: '3.2.1', build: '321' },
        context: { device, app: { version: '3.2.1' } },
      }),
    );
    expect(result).toEqual({
      type: 'person',
      action: 'add_device',
      device: {
        token: 'device_token_abc',
        platform: 'ios',
        last_used: 1709294400,
        attributes: { version: '3.2.1', build: '321', app_version: '3.2.1' },
      },
      identifiers: { id: 'user_123' },
    });
  });

  it('takes the token from properties.device_id as Data Pipelines documents', () => {
    const result = body(
      run('createUpdateDevice', {
        type: 'track',
        event: 'Device Created or Updated',
        userId: 'u',
        properties: { device_id: 'fcm-token' },
        context: { device: { type: 'android' } },
      }),
    );
    expect((result['device'] as Record<string, unknown>)['token']).toBe('fcm-token');
  });

  it('an anonymous device is rejected: Customer.io devices belong to a person', () => {
    const error = rejection(
      run('createUpdateDevice', {
        type: 'track',
        event: 'Application Opened',
        anonymousId: 'a',
        context: { device },
      }),
    );
    expect(error.code).toBe('missing_field');
    expect(error.message).toContain('Person ID (person_id)');
  });

  it('deleteDevice removes the token (reference §5.6)', () => {
    const result = body(
      run('deleteDevice', {
        type: 'track',
        event: 'Application Uninstalled',
        userId: 'user_123',
        context: { device },
      }),
    );
    expect(result).toEqual({
      type: 'person',
      action: 'delete_device',
      device: { token: 'device_token_abc' },
      identifiers: { id: 'user_123' },
    });
  });
});

describe('delete, suppress, unsuppress, merge', () => {
  it.each([
    ['deletePerson', 'delete'],
    ['suppressPerson', 'suppress'],
    ['unsuppressPerson', 'unsuppress'],
  ])('%s sends action %s (reference §5.7)', (action, v2) => {
    expect(body(run(action, { type: 'track', event: 'x', userId: 'user_123' }))).toEqual({
      type: 'person',
      action: v2,
      identifiers: { id: 'user_123' },
    });
  });

  it('Data Pipelines: User Deleted without a userId deletes by properties.email', () => {
    const result = body(
      run('deletePerson', {
        type: 'track',
        event: 'User Deleted',
        anonymousId: 'a',
        properties: { email: 'gone@example.com' },
      }),
    );
    expect(result['identifiers']).toEqual({ email: 'gone@example.com' });
  });

  it('Data Pipelines: the userId wins over properties.email', () => {
    const result = body(
      run('deletePerson', {
        type: 'track',
        event: 'User Deleted',
        userId: 'u9',
        properties: { email: 'x@example.com' },
      }),
    );
    expect(result['identifiers']).toEqual({ id: 'u9' });
  });

  it('correction 6: merge resolves both sides like any identifier', () => {
    expect(
      body(run('mergePeople', { type: 'alias', userId: 'new@example.com', previousId: 'cio_abc' })),
    ).toEqual({
      type: 'person',
      action: 'merge',
      primary: { email: 'new@example.com' },
      secondary: { cio_id: 'abc' },
    });
    expect(body(run('mergePeople', { type: 'alias', userId: 'user_123', previousId: 'anon_123' }))).toEqual({
      type: 'person',
      action: 'merge',
      primary: { id: 'user_123' },
      secondary: { id: 'anon_123' },
    });
  });
});

describe('objects and relationships', () => {
  it('createUpdateObject relates the user and keeps created_at beside the attributes (reference §5.9)', () => {
    const result = body(
      run('createUpdateObject', {
        type: 'group',
        groupId: 'acme',
        userId: 'user_123',
        anonymousId: 'anon_123',
        traits: {
          objectTypeId: '2',
          created_at: '2020-06-01T00:00:00Z',
          objectAttributes: { name: 'Acme Inc', industry: 'Manufacturing', founded: '1999-01-01' },
          relationshipAttributes: { role: 'owner', since: '2021-01-01T00:00:00Z' },
        },
      }),
    );
    expect(result).toEqual({
      type: 'object',
      action: 'identify',
      created_at: 1590969600,
      attributes: { name: 'Acme Inc', industry: 'Manufacturing', founded: 915148800 },
      cio_relationships: [
        { identifiers: { id: 'user_123' }, relationship_attributes: { role: 'owner', since: 1609459200 } },
      ],
      identifiers: { object_id: 'acme', object_type_id: '2' },
    });
  });

  it('correction 3: no anonymous_id attribute on an object', () => {
    const result = body(
      run('createUpdateObject', { type: 'group', groupId: 'beta-co', anonymousId: 'anon_777', traits: {} }),
    );
    expect(result).toEqual({
      type: 'object',
      action: 'identify_anonymous',
      cio_relationships: [{ identifiers: { anonymous_id: 'anon_777' } }],
      identifiers: { object_id: 'beta-co', object_type_id: '1' },
    });
  });

  it("correction 8: a group's traits are the object's attributes when there is no objectAttributes", () => {
    const result = body(
      run('createUpdateObject', {
        type: 'group',
        groupId: 'cio101',
        userId: 'u1',
        traits: {
          class_name: 'Basics',
          start_date: 1679410730,
          object_type_id: 1,
          relationshipAttributes: { type: 'student' },
        },
      }),
    );
    expect(result['attributes']).toEqual({ class_name: 'Basics', start_date: 1679410730 });
    expect(result['identifiers']).toEqual({ object_id: 'cio101', object_type_id: '1' });
    expect(result['cio_relationships']).toEqual([
      { identifiers: { id: 'u1' }, relationship_attributes: { type: 'student' } },
    ]);
  });

  it('deleteRelationship, by userId or properties.email, with no anonymous_id attribute (correction 3)', () => {
    const event = {
      type: 'track',
      event: 'Relationship Deleted',
      userId: 'user_123',
      anonymousId: 'anon_123',
      properties: { objectId: 'acme', objectTypeId: 2 },
    };
    expect(body(run('deleteRelationship', event))).toEqual({
      type: 'object',
      action: 'delete_relationships',
      cio_relationships: [{ identifiers: { id: 'user_123' } }],
      identifiers: { object_id: 'acme', object_type_id: '2' },
    });
    const byEmail = body(
      run('deleteRelationship', {
        ...event,
        userId: undefined,
        properties: { objectId: 'acme', email: 'e@x.io' },
      }),
    );
    expect(byEmail['cio_relationships']).toEqual([{ identifiers: { email: 'e@x.io' } }]);
  });

  it('correction 5: deleteObject without properties.objectId is rejected', () => {
    expect(
      body(
        run('deleteObject', {
          type: 'track',
          event: 'Object Deleted',
          userId: 'u',
          properties: { objectId: 'acme', objectTypeId: '2' },
        }),
      ),
    ).toEqual({
      type: 'object',
      action: 'delete',
      identifiers: { object_id: 'acme', object_type_id: '2' },
    });
    expect(rejection(run('deleteObject', { type: 'track', event: 'Object Deleted', userId: 'u' })).code).toBe(
      'missing_field',
    );
  });
});

describe('metrics and content', () => {
  it('reportDeliveryEvent posts the metric with metadata (reference §5.12)', () => {
    const result = run('reportDeliveryEvent', {
      type: 'track',
      event: 'Report Delivery Event',
      userId: 'u',
      timestamp: '2024-03-01T13:20:00Z',
      properties: {
        deliveryId: 'dlv_abc123',
        metric: 'clicked',
        recipient: 'jane@example.com',
        href: 'https://example.com/promo',
        actionName: 'cta',
        actionValue: 'buy',
      },
    });
    expect(result).toEqual({
      endpoint: 'metrics',
      key: 'delivery:dlv_abc123',
      body: {
        delivery_id: 'dlv_abc123',
        metric: 'clicked',
        timestamp: 1709299200,
        recipient: 'jane@example.com',
        href: 'https://example.com/promo',
        metadata: { action_name: 'cta', action_value: 'buy' },
      },
    });
  });

  it('uses the processing time when the event has no timestamp', () => {
    const result = body(
      run('reportDeliveryEvent', {
        type: 'track',
        event: 'x',
        userId: 'u',
        properties: { deliveryId: 'd', metric: 'opened' },
      }),
    );
    expect(result['timestamp']).toBe(NOW / 1000);
  });

  it('rejects an unknown metric, listing the valid ones', () => {
    const error = rejection(
      run('reportDeliveryEvent', {
        type: 'track',
        event: 'x',
        userId: 'u',
        properties: { deliveryId: 'd', metric: 'read' },
      }),
    );
    expect(error.message).toBe(
      'Report Delivery Event: Metric (metric) must be one of delivered, opened, clicked, converted, spammed, bounced, dropped, deferred (got "read")',
    );
  });

  it('reportContentEvent sends the content action for the anonymous visitor (reference §5.13)', () => {
    const result = body(
      run('reportContentEvent', {
        type: 'track',
        event: 'Report Content Event',
        anonymousId: 'anon_123',
        timestamp: '2024-03-01T13:25:00Z',
        properties: { actionType: 'viewed_content', contentId: 'card-7', seen_at: '2024-03-01T13:24:59Z' },
      }),
    );
    expect(result).toEqual({
      type: 'person',
      action: 'viewed_content',
      name: 'viewed_content',
      attributes: { contentId: 'card-7', seen_at: 1709299499 },
      timestamp: 1709299500,
      identifiers: { anonymous_id: 'anon_123' },
    });
  });

  it('correction 5: a content event without an anonymousId is rejected', () => {
    const error = rejection(
      run('reportContentEvent', {
        type: 'track',
        event: 'x',
        userId: 'u',
        properties: { actionType: 'clicked_content' },
      }),
    );
    expect(error.code).toBe('missing_identifier');
  });
});
