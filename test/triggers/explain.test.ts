import { describe, expect, it } from 'vitest';
import { compileTrigger } from '../../src/triggers/index.js';

const event = {
  type: 'track',
  event: 'Application Installed',
  userId: 'u1',
  properties: { total: '20', count: 3, tags: ['a', 'b'], coupon: null, note: 'x'.repeat(200), nested: {} },
};

function explain(trigger: string, target: Record<string, unknown> = event) {
  const compiled = compileTrigger(trigger);
  const result = compiled.explain(target);
  expect(result.matched).toBe(compiled.test(target));
  return result;
}

describe('explain', () => {
  it('names the condition, its result and the value it saw', () => {
    expect(explain('event != "Application Installed"')).toEqual({
      matched: false,
      reason: 'event != "Application Installed" is false: event is "Application Installed"',
    });
    expect(explain('type = "track"')).toEqual({
      matched: true,
      reason: 'type = "track" is true: type is "track"',
    });
  });

  it('says when a field is missing', () => {
    expect(explain('properties.plan = "pro"').reason).toBe(
      'properties.plan = "pro" is false: properties.plan is missing',
    );
    expect(explain('name != "Home"').reason).toBe('name != "Home" is true: name is missing');
  });

  it('points out a value of the wrong type', () => {
    expect(explain('properties.total > 10').reason).toBe(
      'properties.total > 10 is false: properties.total is "20" (a string, not a number)',
    );
    expect(explain('properties.count = "3"').reason).toBe(
      'properties.count = "3" is false: properties.count is 3 (a number, not a string)',
    );
    expect(explain('contains(properties.nested, "a")').reason).toBe(
      'contains(properties.nested, "a") is false: properties.nested is an object, not a string',
    );
    expect(explain('contains(properties.tags, "a")').reason).toBe(
      'contains(properties.tags, "a") is true: properties.tags is an array of 2 items',
    );
    expect(explain('match(properties.nested, "*")').reason).toBe(
      'match(properties.nested, "*") is false: properties.nested is an object, not a string',
    );
  });

  it('shows null, booleans and numbers plainly', () => {
    expect(explain('properties.coupon exists').reason).toBe(
      'properties.coupon exists is false: properties.coupon is null',
    );
    expect(explain('properties.coupon = null').reason).toBe(
      'properties.coupon = null is true: properties.coupon is null',
    );
    expect(explain('properties.count >= 3').reason).toBe(
      'properties.count >= 3 is true: properties.count is 3',
    );
    expect(explain('a = true', { a: false }).reason).toBe('a = true is false: a is false');
  });

  it('shortens long strings', () => {
    expect(explain('properties.note = "x"').reason).toBe(
      `properties.note = "x" is false: properties.note is "${'x'.repeat(80)}…" (200 characters)`,
    );
  });

  it('an and is explained by its first false condition, or by all of them when true', () => {
    expect(explain('type = "track" and event != "Application Installed" and userId = "u1"')).toEqual({
      matched: false,
      reason: 'event != "Application Installed" is false: event is "Application Installed"',
    });
    expect(explain('type = "track" and userId = "u1"')).toEqual({
      matched: true,
      reason: 'type = "track" is true: type is "track"; userId = "u1" is true: userId is "u1"',
    });
  });

  it('an or is explained by its first true alternative, or by all of them when false', () => {
    expect(explain('type = "page" or userId = "u1" or event = "x"')).toEqual({
      matched: true,
      reason: 'userId = "u1" is true: userId is "u1"',
    });
    expect(explain('type = "page" or type = "screen"')).toEqual({
      matched: false,
      reason: 'type = "page" is false: type is "track"; type = "screen" is false: type is "track"',
    });
  });

  it('not says what it negated', () => {
    expect(explain('not type = "track"')).toEqual({
      matched: false,
      reason: 'not type = "track" is false because type = "track" is true: type is "track"',
    });
    expect(explain('!(type = "page" or type = "screen")').reason).toBe(
      '!(type = "page" or type = "screen") is true because type = "page" is false: type is "track"; ' +
        'type = "screen" is false: type is "track"',
    );
  });

  it('groups are explained by what they contain', () => {
    expect(explain('(type = "page" or userId = "u1") and (event = "x")')).toEqual({
      matched: false,
      reason: 'event = "x" is false: event is "Application Installed"',
    });
  });

  it('uses the canonical spelling of the condition, whatever the spacing of the source', () => {
    expect(explain('  contains( event,"Install" )').reason).toBe(
      'contains(event, "Install") is true: event is "Application Installed"',
    );
    expect(explain('properties.first\\ name exists', { properties: { 'first name': 'A' } }).reason).toBe(
      'properties.first\\ name exists is true: properties.first\\ name is "A"',
    );
  });
});
