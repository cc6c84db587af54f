/** Track API v1 requests, shaped as in rudderstack-classic-trackapi.md §1.3 and §3.3. */
import { describe, expect, it } from 'vitest';
import { kinds, mustFind, workspace } from './helpers.js';

const OK = { status: 200, body: {} };

describe('v1 customers', () => {
  it('PUT /customers/{id} identifies (RudderStack processor "Test 2")', () => {
    const { ws } = workspace();
    const answer = ws.applyV1('PUT', '/customers/123456', {
      _timestamp: 1571043797,
      anonymous_id: '123456',
      city: 'NY',
      country: 'USA',
      postalCode: 712136,
      state: 'CA',
      street: '',
      email: 'test@gmail.com',
      'dot.name': 'Arnab Pal',
      prop1: 'val1',
      prop2: 'val2',
    });
    expect(answer).toEqual(OK);
    expect(mustFind(ws, '123456')).toMatchObject({
      id: '123456',
      email: 'test@gmail.com',
      anonymous_ids: ['123456'],
      attributes: {
        city: 'NY',
        country: 'USA',
        postalCode: 712136,
        state: 'CA',
        'dot.name': 'Arnab Pal',
        prop1: 'val1',
        prop2: 'val2',
      },
    });
    expect(mustFind(ws, '123456').activity[0]?.timestamp).toBe(1571043797);
  });

  it('reads the path identifier by its shape and URL-decodes it ("Test 0", "Test 4", slash ids)', () => {
    const { ws } = workspace();
    expect(ws.applyV1('PUT', '/customers/test%40gmail.com', { plan: 'lead' })).toEqual(OK);
    expect(mustFind(ws, 'test@gmail.com').id).toBeUndefined();
    expect(ws.applyV1('PUT', '/customers/user%2F1%202', {})).toEqual(OK);
    expect(mustFind(ws, 'user/1 2').cio_id).toBe('a3000002');
    expect(
      ws.applyV1('PUT', '/customers/cio_a3000001', {
        email: 'updated_email@example.com',
        id: 'updated-id-value',
      }),
    ).toEqual(OK);
    expect(mustFind(ws, 'updated-id-value')).toMatchObject({
      cio_id: 'a3000001',
      email: 'updated_email@example.com',
    });
  });

  it('DELETE /customers/{id} deletes', () => {
    const { ws } = workspace();
    ws.applyV1('PUT', '/customers/u1', {});
    expect(ws.applyV1('DELETE', '/customers/u1', undefined)).toEqual(OK);
    expect(ws.people()).toEqual([]);
  });

  it('POST /customers/{id}/events records events, page views and screens', () => {
    const { ws } = workspace();
    const track = {
      type: 'event',
      name: 'test track event',
      data: { user_actual_id: 12345 },
      timestamp: 1571051718,
    };
    const page = {
      type: 'page',
      name: 'ApplicationLoaded',
      data: {
        path: '/test',
        referrer: 'Rudder',
        search: 'abc',
        title: 'Test Page',
        url: 'www.rudderlabs.com',
      },
      timestamp: 1571051718,
    };
    expect(ws.applyV1('POST', '/customers/12345/events', track)).toEqual(OK);
    expect(ws.applyV1('POST', '/customers/12345/events', page)).toEqual(OK);
    expect(ws.applyV1('POST', '/customers/12345/events', { type: 'screen', name: 'Home' })).toEqual(OK);
    expect(ws.applyV1('POST', '/customers/12345/events', { name: 'no type', id: '01J' })).toEqual(OK);
    const person = mustFind(ws, '12345');
    expect(person.activity.map((a) => [a.kind, a.name])).toEqual([
      ['event', 'test track event'],
      ['page', 'ApplicationLoaded'],
      ['screen', 'Home'],
      ['event', 'no type'],
    ]);
    expect(person.activity[3]?.id).toBe('01J');
  });

  it('POST /events keeps an anonymous event by anonymous_id', () => {
    const { ws } = workspace();
    const body = {
      type: 'event',
      anonymous_id: 'c82cbdff',
      name: 'test track event',
      data: { a: 1 },
      timestamp: 1709290000,
    };
    expect(ws.applyV1('POST', '/events', body)).toEqual(OK);
    expect(ws.anonymous()).toEqual({
      c82cbdff: [{ kind: 'event', name: 'test track event', data: { a: 1 }, timestamp: 1709290000 }],
    });
  });

  it('POST /events with an empty anonymous_id and data.recipient is an invite: accepted, nothing kept', () => {
    const { ws } = workspace();
    expect(
      ws.applyV1('POST', '/events', {
        name: 'invite',
        anonymous_id: '',
        data: { recipient: 'a@example.com' },
      }),
    ).toEqual(OK);
    expect(ws.anonymous()).toEqual({});
    expect(ws.applyV1('POST', '/events', { name: 'lost' })).toEqual({
      status: 400,
      body: { meta: { error: 'anonymous_id is required.' } },
    });
  });

  it('PUT and DELETE devices ("Test 9", "Test 10"); extra device keys become attributes', () => {
    const { ws } = workspace();
    const body = {
      device: {
        review_id: 'some_review_id',
        rating: 2,
        id: 'abcxyz',
        last_used: 1578564113,
        platform: 'android',
        attributes: { app_version: '1.0' },
      },
    };
    expect(ws.applyV1('PUT', '/customers/12345/devices', body)).toEqual(OK);
    expect(mustFind(ws, '12345').devices).toEqual([
      {
        token: 'abcxyz',
        platform: 'android',
        last_used: 1578564113,
        attributes: { review_id: 'some_review_id', rating: 2, app_version: '1.0' },
      },
    ]);
    expect(ws.applyV1('DELETE', '/customers/12345/devices/abcxyz', {})).toEqual(OK);
    expect(mustFind(ws, '12345').devices).toEqual([]);
  });

  it('a device with a bad platform answers 400 with meta.errors', () => {
    const { ws } = workspace();
    const answer = ws.applyV1('PUT', '/customers/12345/devices', { device: { id: 't', platform: 'mobile' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ meta: { errors: [expect.stringContaining('ios or android')] } });
    expect(ws.applyV1('PUT', '/customers/12345/devices', {})).toEqual({
      status: 400,
      body: { meta: { errors: ['device is required.'] } },
    });
  });

  it('URL-decodes the device token in the delete path', () => {
    const { ws } = workspace();
    ws.applyV1('PUT', '/customers/u1/devices', { device: { id: 'a/b c', platform: 'ios' } });
    expect(ws.applyV1('DELETE', '/customers/u1/devices/a%2Fb%20c', undefined)).toEqual(OK);
    expect(mustFind(ws, 'u1').devices).toEqual([]);
  });

  it('suppress, unsuppress and merge_customers', () => {
    const { ws } = workspace();
    ws.applyV1('PUT', '/customers/a', { email: 'a@example.com' });
    ws.applyV1('PUT', '/customers/b', { color: 'red' });
    expect(ws.applyV1('POST', '/merge_customers', { primary: { id: 'a' }, secondary: { id: 'b' } })).toEqual(
      OK,
    );
    expect(mustFind(ws, 'a').attributes).toEqual({ color: 'red' });
    expect(ws.applyV1('POST', '/customers/a/suppress', undefined)).toEqual(OK);
    expect(ws.applyV1('PUT', '/customers/a%40example.com', {})).toMatchObject({ status: 400 });
    expect(ws.applyV1('POST', '/customers/a/unsuppress', undefined)).toEqual(OK);
    expect(ws.applyV1('PUT', '/customers/a%40example.com', {})).toEqual(OK);
  });

  it('merge_customers with two identifiers on one side answers 400 {meta:{error}}', () => {
    const { ws } = workspace();
    const answer = ws.applyV1('POST', '/merge_customers', {
      primary: { id: 'a', email: 'a@example.com' },
      secondary: { id: 'b' },
    });
    expect(answer).toEqual({
      status: 400,
      body: { meta: { error: expect.stringContaining('exactly one') } },
    });
  });

  it('cio_relationships in a v1 identify body adds or deletes relationships (§3.3)', () => {
    const { ws } = workspace();
    const relationships = [
      { identifiers: { object_type_id: '1', object_id: 'acme' }, relationship_attributes: { role: 'admin' } },
    ];
    expect(
      ws.applyV1('PUT', '/customers/u1', {
        plan: 'pro',
        cio_relationships: { action: 'add_relationships', relationships },
      }),
    ).toEqual(OK);
    expect(mustFind(ws, 'u1').relationships).toEqual([
      { object_type_id: '1', object_id: 'acme', attributes: { role: 'admin' } },
    ]);
    expect(mustFind(ws, 'u1').attributes).toEqual({ plan: 'pro' });
    expect(
      ws.applyV1('PUT', '/customers/u1', {
        cio_relationships: { action: 'delete_relationships', relationships },
      }),
    ).toEqual(OK);
    expect(mustFind(ws, 'u1').relationships).toEqual([]);
  });
});

describe('v1 answers', () => {
  it('404 for unknown paths and methods', () => {
    const { ws } = workspace();
    const notFound = { status: 404, body: { meta: { error: 'not found' } } };
    expect(ws.applyV1('GET', '/customers/u1', undefined)).toEqual(notFound);
    expect(ws.applyV1('POST', '/customers/u1', {})).toEqual(notFound);
    expect(ws.applyV1('PUT', '/customers/u1/events', {})).toEqual(notFound);
    expect(ws.applyV1('POST', '/customers/u1/segments', {})).toEqual(notFound);
    expect(ws.applyV1('POST', '/nothing', {})).toEqual(notFound);
    expect(ws.applyV1('GET', '/merge_customers', {})).toEqual(notFound);
    expect(ws.applyV1('PUT', '/customers', {})).toEqual(notFound);
    expect(ws.applyV1('DELETE', '/customers/u1/devices/t/extra', {})).toEqual(notFound);
  });

  it('400 {meta:{error}} for bad bodies, bad encoding and refused operations', () => {
    const { ws } = workspace();
    const error = (message: unknown) => ({ status: 400, body: { meta: { error: message } } });
    expect(ws.applyV1('PUT', '/customers/u1', [1, 2])).toEqual(
      error('The request body must be a JSON object.'),
    );
    expect(ws.applyV1('PUT', '/customers/%E0%A4%A', {})).toEqual(
      error('The path is not valid URL encoding.'),
    );
    expect(ws.applyV1('POST', '/customers/u1/events', { type: 'event' })).toEqual(
      error(expect.stringContaining('name')),
    );
    expect(ws.applyV1('POST', '/customers/u1/events', { name: 'x', type: 'click' })).toEqual(
      error('type must be event, page or screen.'),
    );
    expect(ws.applyV1('POST', '/customers/u1/events', { name: 'x', data: 'text' })).toEqual(
      error('data must be a JSON object.'),
    );
    expect(ws.applyV1('PUT', '/customers/' + 'x'.repeat(151), {})).toEqual(
      error(expect.stringContaining('150 bytes')),
    );
    expect(
      ws.applyV1('POST', '/customers/u1/events', { name: 'x', timestamp: '2024-03-01T00:00:00Z' }),
    ).toEqual(error(expect.stringContaining('unix seconds')));
    expect(ws.people()).toEqual([]);
  });

  it('an identify with an empty or missing body creates the person', () => {
    const { ws } = workspace();
    expect(ws.applyV1('PUT', '/customers/u1', undefined)).toEqual(OK);
    expect(kinds(mustFind(ws, 'u1'))).toEqual(['identified']);
  });

  it('ignores a query string', () => {
    const { ws } = workspace();
    expect(ws.applyV1('PUT', '/customers/u1?x=1', {})).toEqual(OK);
    expect(ws.person('u1')).toBeDefined();
  });
});
