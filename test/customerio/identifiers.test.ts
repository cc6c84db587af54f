import { describe, expect, it } from 'vitest';
import { isEmail, personIdentifier, personKey, resolvePerson } from '../../src/customerio/identifiers.js';

describe('identifier resolution', () => {
  it('a cio_ prefix addresses the person by cio_id, sent bare', () => {
    expect(personIdentifier('cio_03000001')).toEqual({ cio_id: '03000001' });
  });

  it('an email-shaped id is an email', () => {
    expect(personIdentifier('jane@example.com')).toEqual({ email: 'jane@example.com' });
    expect(personIdentifier('Jane.Doe+tag@Sub.Example.co')).toEqual({ email: 'Jane.Doe+tag@Sub.Example.co' });
  });

  it('anything else is an id, phone numbers included', () => {
    expect(personIdentifier('user_123')).toEqual({ id: 'user_123' });
    expect(personIdentifier('+15550102030')).toEqual({ id: '+15550102030' });
    expect(personIdentifier('jane@localhost')).toEqual({ id: 'jane@localhost' });
  });

  it.each(['a@b.co', 'x.y@z-q.io'])('%s is an email', (value) => expect(isEmail(value)).toBe(true));
  it.each(['@b.co', 'a@', 'a b@c.io', 'a@b..c', 'a@-b.io'])('%s is not an email', (value) =>
    expect(isEmail(value)).toBe(false),
  );

  it('precedence: person id, then email, then anonymous id', () => {
    expect(resolvePerson({ person_id: 'u1', email: 'e@x.io', anonymous_id: 'a1' })).toEqual({ id: 'u1' });
    expect(resolvePerson({ email: 'e@x.io', anonymous_id: 'a1' })).toEqual({ email: 'e@x.io' });
    expect(resolvePerson({ anonymous_id: 'a1' })).toEqual({ anonymous_id: 'a1' });
    expect(resolvePerson({})).toBeUndefined();
  });

  it('a person key names the identifier kind and value', () => {
    expect(personKey({ email: 'e@x.io' })).toBe('email:e@x.io');
    expect(personKey(undefined)).toBeUndefined();
  });
});
