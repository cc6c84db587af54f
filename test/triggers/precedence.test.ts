import { describe, expect, it } from 'vitest';
import { compileTrigger, MAX_DEPTH, parseTrigger, printTrigger } from '../../src/triggers/index.js';

function matches(trigger: string, event: Record<string, unknown>): boolean {
  const compiled = compileTrigger(trigger);
  expect(compiled.explain(event).matched).toBe(compiled.test(event));
  return compiled.test(event);
}

describe('correction 7: and binds tighter than or', () => {
  // Segment's parser gives a whole group the *last* conjunction it saw: `a and b or c` is read
  // as `a or b or c`, and `a or b and c` as `a and b and c`. We use the standard precedence.

  it('a and b or c is (a and b) or c, not a or b or c (Segment says true here)', () => {
    const trigger = 'type = "track" and event = "A" or event = "B"';
    expect(matches(trigger, { type: 'track', event: 'C' })).toBe(false);
    expect(matches(trigger, { type: 'track', event: 'A' })).toBe(true);
    expect(matches(trigger, { type: 'identify', event: 'B' })).toBe(true);
    expect(matches(trigger, { type: 'identify', event: 'A' })).toBe(false);
  });

  it('a or b and c is a or (b and c), not a and b and c (Segment says false here)', () => {
    const trigger = 'type = "track" or event = "A" and userId = "u"';
    expect(matches(trigger, { type: 'track', event: 'Z', userId: 'x' })).toBe(true);
    expect(matches(trigger, { type: 'identify', event: 'A', userId: 'u' })).toBe(true);
    expect(matches(trigger, { type: 'identify', event: 'A', userId: 'x' })).toBe(false);
  });

  it('event = "A" or event = "B" and type = "track" matches page A (Segment: no match)', () => {
    const trigger = 'event = "A" or event = "B" and type = "track"';
    expect(matches(trigger, { type: 'page', event: 'A' })).toBe(true);
    expect(matches(trigger, { type: 'page', event: 'B' })).toBe(false);
    expect(matches(trigger, { type: 'track', event: 'B' })).toBe(true);
  });

  it('the tree shows the grouping: or of ands', () => {
    const ast = parseTrigger('a = 1 and b = 2 or c = 3 and d = 4 or e = 5');
    expect(ast.kind).toBe('or');
    if (ast.kind !== 'or') return;
    expect(ast.children.map((child) => child.kind)).toEqual(['and', 'and', 'compare']);
  });
});

describe('parentheses', () => {
  it('group conditions against precedence', () => {
    const trigger = '(event = "A" or event = "B") and type = "track"';
    expect(matches(trigger, { type: 'page', event: 'A' })).toBe(false);
    expect(matches(trigger, { type: 'track', event: 'B' })).toBe(true);
    expect(matches('type = "track" and (event = "A" or event = "B")', { type: 'track', event: 'C' })).toBe(
      false,
    );
  });

  it('nest, and redundant parentheses change nothing', () => {
    expect(matches('((type = "track"))', { type: 'track' })).toBe(true);
    expect(matches('(((a = 1) and ((b = 2))) or (c = 3))', { a: 1, b: 2 })).toBe(true);
    expect(matches('(a = 1 and (b = 2 or (c = 3 and d = 4)))', { a: 1, c: 3, d: 4 })).toBe(true);
    expect(matches('(a = 1 and (b = 2 or (c = 3 and d = 4)))', { a: 1, c: 3 })).toBe(false);
  });

  it(`${MAX_DEPTH} levels of parentheses are accepted`, () => {
    const trigger = `${'('.repeat(MAX_DEPTH)}type = "track"${')'.repeat(MAX_DEPTH)}`;
    expect(matches(trigger, { type: 'track' })).toBe(true);
  });
});

describe('not', () => {
  it('binds tighter than and: not a and b is (not a) and b', () => {
    const trigger = 'not type = "track" and event = "A"';
    expect(matches(trigger, { type: 'page', event: 'A' })).toBe(true);
    expect(matches(trigger, { type: 'track', event: 'B' })).toBe(false);
    expect(matches(trigger, { type: 'page', event: 'B' })).toBe(false);
  });

  it('negates a group, and ! is the same as not (Segment silently drops !(...))', () => {
    expect(matches('not (type = "track" or type = "page")', { type: 'identify' })).toBe(true);
    expect(matches('!(type = "track" or type = "page")', { type: 'page' })).toBe(false);
    expect(matches('!(type = "track")', { type: 'identify' })).toBe(true);
  });

  it('double negation is the identity', () => {
    expect(matches('not not type = "track"', { type: 'track' })).toBe(true);
    expect(matches('not !type = "track"', { type: 'page' })).toBe(false);
  });

  it('not x = null is exists', () => {
    expect(matches('not properties.plan = null', { properties: { plan: 'pro' } })).toBe(true);
    expect(matches('not properties.plan = null', { properties: { plan: null } })).toBe(false);
  });
});

describe('long chains', () => {
  it('3 000 alternatives compile and run without deep recursion', () => {
    const names = Array.from({ length: 3000 }, (_, i) => `event = "E${i}"`);
    const trigger = compileTrigger(names.join(' or '));
    expect(trigger.test({ event: 'E2999' })).toBe(true);
    expect(trigger.test({ event: 'E3000' })).toBe(false);
    expect(trigger.explain({ event: 'E2999' })).toEqual({
      matched: true,
      reason: 'event = "E2999" is true: event is "E2999"',
    });
  });

  it('3 000 conjunctions compile and run', () => {
    const names = Array.from({ length: 3000 }, (_, i) => `event != "E${i}"`);
    const trigger = compileTrigger(names.join(' and '));
    expect(trigger.test({ event: 'X' })).toBe(true);
    expect(trigger.test({ event: 'E1500' })).toBe(false);
  });

  it('parenthesised chains of the same conjunction are flattened but keep their meaning', () => {
    expect(matches('(a = 1 and b = 2) and (c = 3 and d = 4)', { a: 1, b: 2, c: 3, d: 4 })).toBe(true);
    expect(matches('(a = 1 and b = 2) and (c = 3 and d = 4)', { a: 1, b: 2, c: 3 })).toBe(false);
    expect(matches('(a = 1 or b = 2) or (c = 3 or d = 4)', { d: 4 })).toBe(true);
  });
});

describe('printTrigger', () => {
  it('writes the tree back with canonical spacing', () => {
    const ast = parseTrigger('  type="track"and(event="A"or !contains(event,"B"))and not x exists ');
    expect(printTrigger(ast)).toBe(
      'type = "track" and (event = "A" or !contains(event, "B")) and not x exists',
    );
  });
});

describe('chains of equalities on one field (compiled to one Set lookup)', () => {
  it('f = a or f = b or g = c keeps its meaning', () => {
    const trigger = 'event = "A" or type = "page" or event = "B" or event = 1';
    expect(matches(trigger, { event: 'A' })).toBe(true);
    expect(matches(trigger, { event: 'B' })).toBe(true);
    expect(matches(trigger, { event: 1 })).toBe(true);
    expect(matches(trigger, { event: '1' })).toBe(false);
    expect(matches(trigger, { type: 'page' })).toBe(true);
    expect(matches(trigger, { event: 'C', type: 'track' })).toBe(false);
    expect(matches(trigger, {})).toBe(false);
  });

  it('f != a and f != b keeps typed equality and is true for a missing field', () => {
    const trigger = 'properties.n != 1 and properties.n != "1" and properties.n != true';
    expect(matches(trigger, { properties: { n: 1 } })).toBe(false);
    expect(matches(trigger, { properties: { n: '1' } })).toBe(false);
    expect(matches(trigger, { properties: { n: true } })).toBe(false);
    expect(matches(trigger, { properties: { n: 2 } })).toBe(true);
    expect(matches(trigger, { properties: { n: 'true' } })).toBe(true);
    expect(matches(trigger, { properties: {} })).toBe(true);
    expect(matches(trigger, {})).toBe(true);
  });

  it('never reads inherited values', () => {
    const inherited = Object.create({ event: 'A' }) as Record<string, unknown>;
    expect(matches('event = "A" or event = "B"', inherited)).toBe(false);
    expect(matches('event != "A" and event != "B"', inherited)).toBe(true);
  });

  it('null literals are not fused: f = null or f = "x"', () => {
    expect(matches('event = null or event = "x"', {})).toBe(true);
    expect(matches('event = null or event = "x"', { event: 'x' })).toBe(true);
    expect(matches('event = null or event = "x"', { event: 'y' })).toBe(false);
  });
});
