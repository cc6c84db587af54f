import { describe, expect, it } from 'vitest';
import { compileTrigger } from '../../src/triggers/index.js';

type Event = Record<string, unknown>;

function matches(trigger: string, event: Event): boolean {
  const compiled = compileTrigger(trigger);
  const result = compiled.test(event);
  // explain must always agree with the compiled predicate.
  expect(compiled.explain(event).matched).toBe(result);
  return result;
}

const track: Event = {
  type: 'track',
  event: 'Order Completed',
  userId: 'u1',
  anonymousId: 'a1',
  properties: {
    total: 20,
    plan: 'pro',
    coupon: null,
    active: true,
    trial: false,
    label: '20',
    tags: ['a', 'b'],
  },
  context: { device: { type: 'ios' }, app: { version: '1.2.3' } },
};
const identify: Event = { type: 'identify', userId: 'u1', traits: { email: 'a@example.com', age: 31 } };

describe('= and != with strings', () => {
  it('= compares a string field with the literal', () => {
    expect(matches('type = "track"', track)).toBe(true);
    expect(matches('type = "identify"', track)).toBe(false);
    expect(matches('event = "Order Completed"', track)).toBe(true);
    expect(matches('event = "order completed"', track)).toBe(false);
  });

  it('!= is the negation of =', () => {
    expect(matches('event != "Order Completed"', track)).toBe(false);
    expect(matches('event != "Signed Up"', track)).toBe(true);
  });

  it('!= is true when the field is missing (as in Segment): event != "X" matches identify calls', () => {
    expect(matches('event != "Application Installed"', identify)).toBe(true);
    expect(matches('properties.plan != "pro"', identify)).toBe(true);
  });

  it('= is false when the field is missing', () => {
    expect(matches('event = "Order Completed"', identify)).toBe(false);
    expect(matches('properties.plan = "pro"', identify)).toBe(false);
  });

  it('any top-level key is a field: name, userId, anonymousId, groupId, messageId', () => {
    expect(matches('userId = "u1"', track)).toBe(true);
    expect(matches('anonymousId = "a1"', track)).toBe(true);
    expect(matches('groupId = "g1"', { type: 'group', groupId: 'g1' })).toBe(true);
    expect(matches('name = "Home"', { type: 'page', name: 'Home' })).toBe(true);
    expect(matches('messageId = "m"', { messageId: 'm' })).toBe(true);
  });

  it('string escapes are decoded: \\" \\\\ \\n \\t \\u00e9 \\/', () => {
    expect(matches('event = "say \\"hi\\""', { event: 'say "hi"' })).toBe(true);
    expect(matches('event = "a\\\\b"', { event: 'a\\b' })).toBe(true);
    expect(matches('event = "a\\nb\\tc"', { event: 'a\nb\tc' })).toBe(true);
    expect(matches('event = "caf\\u00e9"', { event: 'café' })).toBe(true);
    expect(matches('event = "a\\/b"', { event: 'a/b' })).toBe(true);
    expect(matches('event = "😀 ünïcödé"', { event: '😀 ünïcödé' })).toBe(true);
  });

  it('the empty string is a value like any other', () => {
    expect(matches('userId = ""', { userId: '' })).toBe(true);
    expect(matches('userId = ""', {})).toBe(false);
    expect(matches('userId != ""', {})).toBe(true);
  });
});

describe('typed equality: a literal equals only a value of its own JSON type', () => {
  it('a string literal never equals a number field (Segment agrees for properties)', () => {
    expect(matches('properties.total = "20"', track)).toBe(false);
    expect(matches('properties.label = "20"', track)).toBe(true);
    expect(matches('properties.total != "20"', track)).toBe(true);
  });

  it('a number literal equals only a number (differs from Segment for type/event/name/userId)', () => {
    expect(matches('properties.total = 20', track)).toBe(true);
    expect(matches('properties.total = 20.0', track)).toBe(true);
    expect(matches('properties.label = 20', track)).toBe(false);
    // Segment compares `userId = 123` as the string "123"; we compare numbers with numbers.
    expect(matches('userId = 123', { userId: '123' })).toBe(false);
    expect(matches('userId = 123', { userId: 123 })).toBe(true);
  });

  it('a number literal != is true when the field is missing or not a number (Segment: false)', () => {
    expect(matches('properties.total != 10', track)).toBe(true);
    expect(matches('properties.total != 20', track)).toBe(false);
    expect(matches('properties.missing != 10', track)).toBe(true);
    expect(matches('properties.label != 20', track)).toBe(true);
  });

  it('negative and decimal numbers, and exponents', () => {
    expect(matches('properties.n = -1.5', { properties: { n: -1.5 } })).toBe(true);
    expect(matches('properties.n = 1e3', { properties: { n: 1000 } })).toBe(true);
    expect(matches('properties.n = 0', { properties: { n: -0 } })).toBe(true);
  });

  it('true and false equal only booleans', () => {
    expect(matches('properties.active = true', track)).toBe(true);
    expect(matches('properties.trial = false', track)).toBe(true);
    expect(matches('properties.active = false', track)).toBe(false);
    expect(matches('properties.active = true', { properties: { active: 'true' } })).toBe(false);
    expect(matches('properties.active = "true"', track)).toBe(false);
    expect(matches('properties.active != true', {})).toBe(true);
  });
});

describe('null and exists', () => {
  it('field != null means the field exists (not missing, not null)', () => {
    expect(matches('properties.plan != null', track)).toBe(true);
    expect(matches('properties.coupon != null', track)).toBe(false);
    expect(matches('properties.nothing != null', track)).toBe(false);
    expect(matches('properties.trial != null', track)).toBe(true);
  });

  it('field = null means the field does not exist (missing or null)', () => {
    expect(matches('properties.coupon = null', track)).toBe(true);
    expect(matches('properties.nothing = null', track)).toBe(true);
    expect(matches('properties.plan = null', track)).toBe(false);
  });

  it('field exists is field != null', () => {
    expect(matches('properties.plan exists', track)).toBe(true);
    expect(matches('properties.coupon exists', track)).toBe(false);
    expect(matches('properties.nothing exists', track)).toBe(false);
    expect(matches('properties exists', track)).toBe(true);
    expect(matches('not properties.plan exists', identify)).toBe(true);
  });

  it('= null works on top-level fields too (Segment compares type = null with the string "null")', () => {
    expect(matches('event = null', identify)).toBe(true);
    expect(matches('event = null', track)).toBe(false);
    expect(matches('event = "null"', { event: 'null' })).toBe(true);
  });

  it('an empty string, 0 and false exist', () => {
    expect(matches('properties.x exists', { properties: { x: '' } })).toBe(true);
    expect(matches('properties.x exists', { properties: { x: 0 } })).toBe(true);
    expect(matches('properties.x exists', { properties: { x: false } })).toBe(true);
  });
});

describe('ordering: <, <=, >, >= compare numbers only', () => {
  it.each([
    ['properties.total > 10', true],
    ['properties.total > 20', false],
    ['properties.total >= 20', true],
    ['properties.total < 20', false],
    ['properties.total <= 20', true],
    ['properties.total < 20.5', true],
    ['properties.total > -1', true],
    ['properties.total < -1', false],
  ])('%s is %s', (trigger, expected) => {
    expect(matches(trigger, track)).toBe(expected);
  });

  it('a numeric string does not satisfy a numeric comparison (as in Segment)', () => {
    expect(matches('properties.total > 10', { properties: { total: '20' } })).toBe(false);
    expect(matches('properties.total <= 10', { properties: { total: '5' } })).toBe(false);
  });

  it('a missing, null, boolean or object field satisfies no ordering', () => {
    for (const op of ['<', '<=', '>', '>=']) {
      expect(matches(`properties.nothing ${op} 0`, track)).toBe(false);
      expect(matches(`properties.coupon ${op} 0`, track)).toBe(false);
      expect(matches(`properties.active ${op} 0`, track)).toBe(false);
      expect(matches(`properties ${op} 0`, track)).toBe(false);
    }
  });
});

describe('contains and match', () => {
  it('contains(field, "x") is a substring test on strings', () => {
    expect(matches('contains(event, "Order")', track)).toBe(true);
    expect(matches('contains(event, "order")', track)).toBe(false);
    expect(matches('contains(event, "")', track)).toBe(true);
    expect(matches('contains(context.app.version, ".2.")', track)).toBe(true);
  });

  it('contains is false for a missing field or a number', () => {
    expect(matches('contains(event, "O")', identify)).toBe(false);
    expect(matches('contains(properties.total, "2")', track)).toBe(false);
  });

  it('contains on an array is true when an element equals the text (not a substring of one)', () => {
    expect(matches('contains(properties.tags, "a")', track)).toBe(true);
    expect(matches('contains(properties.tags, "c")', track)).toBe(false);
    expect(matches('contains(properties.tags, "")', track)).toBe(false);
    expect(matches('contains(properties.tags, "a")', { properties: { tags: ['ab', 1] } })).toBe(false);
  });

  it('match is an anchored glob: * any run, ? one character', () => {
    expect(matches('match(event, "Order *")', track)).toBe(true);
    expect(matches('match(event, "* Completed")', track)).toBe(true);
    expect(matches('match(event, "*der Comp*")', track)).toBe(true);
    expect(matches('match(event, "O*r C*d")', track)).toBe(true);
    expect(matches('match(event, "Order Complete?")', track)).toBe(true);
    expect(matches('match(event, "Order")', track)).toBe(false);
    expect(matches('match(event, "Order Completed")', track)).toBe(true);
    expect(matches('match(event, "rder*")', track)).toBe(false);
  });

  it('match is false when the field is missing or not a string', () => {
    expect(matches('match(event, "*")', identify)).toBe(false);
    expect(matches('match(properties.total, "2*")', track)).toBe(false);
  });

  it('not contains / !match are negations, true when the field is missing (Segment: false)', () => {
    expect(matches('not contains(event, "Order")', identify)).toBe(true);
    expect(matches('!contains(event, "Order")', track)).toBe(false);
    expect(matches('!match(event, "Sign*")', track)).toBe(true);
  });
});

describe('dotted fields', () => {
  it('reads nested objects at any depth', () => {
    expect(matches('context.device.type = "ios"', track)).toBe(true);
    expect(matches('traits.email = "a@example.com"', identify)).toBe(true);
    expect(matches('a.b.c.d.e = 1', { a: { b: { c: { d: { e: 1 } } } } })).toBe(true);
  });

  it('a path through a missing object, a string or null is a missing field', () => {
    expect(matches('context.device.type = "ios"', identify)).toBe(false);
    expect(matches('context.device.type != "ios"', identify)).toBe(true);
    expect(matches('properties.plan.length exists', track)).toBe(false);
    expect(matches('properties.coupon.code = null', track)).toBe(true);
  });

  it('array elements are reached by index; arrays have no other fields', () => {
    expect(matches('properties.tags.0 = "a"', track)).toBe(true);
    expect(matches('properties.tags.1 = "b"', track)).toBe(true);
    expect(matches('properties.tags.2 exists', track)).toBe(false);
    expect(matches('properties.tags.length exists', track)).toBe(false);
    expect(matches('properties.items.0.sku = "x"', { properties: { items: [{ sku: 'x' }] } })).toBe(true);
  });

  it('field names with digits, dashes, $ and underscores; a backslash escapes any character', () => {
    expect(matches('context.user-agent exists', { context: { 'user-agent': 'x' } })).toBe(true);
    expect(matches('properties.$price_2 = 1', { properties: { $price_2: 1 } })).toBe(true);
    expect(matches('properties.first\\ name = "Ann"', { properties: { 'first name': 'Ann' } })).toBe(true);
    expect(matches('properties.a\\.b = 1', { properties: { 'a.b': 1 } })).toBe(true);
    expect(matches('properties.a\\.b = 1', { properties: { a: { b: 1 } } })).toBe(false);
  });

  it('a field named like a keyword is written with a backslash', () => {
    expect(matches('properties.and = 1', { properties: { and: 1 } })).toBe(true);
    expect(matches('\\exists = 1', { exists: 1 })).toBe(true);
    expect(matches('contains = "x"', { contains: 'x' })).toBe(true);
  });
});

describe('own properties only: __proto__, constructor, prototype are never inherited', () => {
  const inherited = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

  it.each(inherited)('properties.%s is missing on an event that does not have it', (key) => {
    expect(matches(`properties.${key} exists`, track)).toBe(false);
    expect(matches(`properties.${key} = null`, track)).toBe(true);
    expect(matches(`${key} exists`, track)).toBe(false);
    expect(matches(`properties.${key}.name exists`, track)).toBe(false);
  });

  it('constructor.name and __proto__.* never reach Object.prototype', () => {
    expect(matches('properties.constructor.name = "Object"', track)).toBe(false);
    expect(matches('constructor.name = "Object"', track)).toBe(false);
    expect(matches('__proto__.constructor exists', track)).toBe(false);
    expect(matches('properties.tags.constructor.name = "Array"', track)).toBe(false);
  });

  it('an own property with such a name is read (JSON.parse creates own __proto__ keys)', () => {
    const event = JSON.parse('{"properties":{"__proto__":{"x":1},"constructor":"c"}}') as Event;
    expect(matches('properties.__proto__.x = 1', event)).toBe(true);
    expect(matches('properties.constructor = "c"', event)).toBe(true);
  });

  it('an inherited value equal to the literal does not count', () => {
    const proto = { plan: 'pro' };
    const event = { type: 'track', properties: Object.create(proto) as Event };
    const top = Object.create({ event: 'Order Completed' }) as Event;
    expect(matches('properties.plan = "pro"', event)).toBe(false);
    expect(matches('event = "Order Completed"', top)).toBe(false);
    expect(matches('event != "Order Completed"', top)).toBe(true);
  });

  it('works on null-prototype events', () => {
    const event = Object.assign(Object.create(null) as Event, { type: 'track' });
    expect(matches('type = "track"', event)).toBe(true);
    expect(matches('constructor exists', event)).toBe(false);
  });
});

describe('layout', () => {
  it('whitespace, tabs and newlines are free; no space is needed around operators', () => {
    expect(matches('type="track"and event!="X"', track)).toBe(true);
    expect(matches('  type =\n "track"\t and\r\n event != "X"  ', track)).toBe(true);
    expect(matches('(type="track")or(type="page")', track)).toBe(true);
  });

  it('the returned trigger keeps its source and is frozen', () => {
    const trigger = compileTrigger(' type = "track" ');
    expect(trigger.source).toBe(' type = "track" ');
    expect(Object.isFrozen(trigger)).toBe(true);
  });
});
