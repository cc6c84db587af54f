import { describe, expect, it } from 'vitest';
import { compileError, run } from './helpers.js';

const event = { properties: { sku: 'a-b-c', mixed: 'aAbB', n: 1.5, yes: true, nil: null, obj: { a: 1 } } };
const replace = (options: Record<string, unknown>) => ({
  '@replace': { value: { '@path': '$.properties.sku' }, ...options },
});

describe('@replace', () => {
  it('replaces every occurrence of plain text by default', () => {
    expect(run(replace({ pattern: '-', replacement: '_' }), event)).toBe('a_b_c');
  });

  it('replaces only the first with global false, and removes with no replacement', () => {
    expect(run(replace({ pattern: '-', replacement: '_', global: false }), event)).toBe('a_b-c');
    expect(run(replace({ pattern: '-' }), event)).toBe('abc');
  });

  it('matches case-insensitively with ignorecase', () => {
    const mixed = { '@path': '$.properties.mixed' };
    expect(run({ '@replace': { pattern: 'a', replacement: 'x', value: mixed } }, event)).toBe('xAbB');
    expect(
      run({ '@replace': { pattern: 'a', replacement: 'x', ignorecase: true, value: mixed } }, event),
    ).toBe('xxbB');
  });

  it('treats the pattern as text, not a regular expression', () => {
    expect(run({ '@replace': { pattern: '.', replacement: '!', value: 'a.b' } }, event)).toBe('a!b');
    expect(run({ '@replace': { pattern: '(a|b)*', replacement: 'x', value: 'ab(a|b)*' } }, event)).toBe(
      'abx',
    );
    expect(run({ '@replace': { pattern: '\\d', replacement: 'x', value: '1\\d' } }, event)).toBe('1x');
  });

  it('interprets $ patterns in the replacement, as String#replace does', () => {
    expect(run({ '@replace': { pattern: 'b', replacement: '[$&]', value: 'abc' } }, event)).toBe('a[b]c');
    expect(run({ '@replace': { pattern: 'b', replacement: '$$', value: 'abc' } }, event)).toBe('a$c');
  });

  it('runs pattern2/replacement2 on the result, with the same flags', () => {
    expect(
      run(
        replace({ pattern: '-', replacement: '+', pattern2: 'B', replacement2: 'x', ignorecase: true }),
        event,
      ),
    ).toBe('a+x+c');
    expect(run(replace({ pattern: 'a', pattern2: 'c' }), event)).toBe('-b-');
  });

  it('converts numbers and booleans to text, and gives "" for anything else', () => {
    expect(
      run({ '@replace': { pattern: '.', replacement: ',', value: { '@path': '$.properties.n' } } }, event),
    ).toBe('1,5');
    expect(run({ '@replace': { pattern: 'u', value: { '@path': '$.properties.yes' } } }, event)).toBe('tre');
    for (const path of ['$.properties.nil', '$.properties.obj', '$.properties.missing']) {
      expect(run({ '@replace': { pattern: 'a', value: { '@path': path } } }, event)).toBe('');
    }
  });

  it('gives undefined for a literal "" value, as Segment does', () => {
    expect(run({ '@replace': { pattern: 'a', value: '' } }, event)).toBeUndefined();
  });

  it('gives the same result on repeated calls (shared global regex)', () => {
    const mapper = replace({ pattern: '-', replacement: '_' });
    expect([run(mapper, event), run(mapper, event)]).toEqual(['a_b_c', 'a_b_c']);
  });
});

describe('@replace compile errors', () => {
  const cases: [unknown, string, string][] = [
    [
      { value: 'a' },
      'f.@replace',
      '@replace needs "pattern": plain text of 1 to 10 characters (Segment\'s limit) (got nothing)',
    ],
    [
      { pattern: '', value: 'a' },
      'f.@replace.pattern',
      '@replace needs "pattern": plain text of 1 to 10 characters (Segment\'s limit) (got "")',
    ],
    [
      { pattern: 'abcdefghijk', value: 'a' },
      'f.@replace.pattern',
      '@replace needs "pattern": plain text of 1 to 10 characters (Segment\'s limit) (got "abcdefghijk")',
    ],
    [
      { pattern: 'a', replacement: 5, value: 'a' },
      'f.@replace.replacement',
      '@replace needs "replacement": plain text of at most 10 characters (Segment\'s limit) (got 5)',
    ],
    [
      { pattern: 'a', replacement: 'abcdefghijk', value: 'a' },
      'f.@replace.replacement',
      '@replace needs "replacement": plain text of at most 10 characters (Segment\'s limit) (got "abcdefghijk")',
    ],
    [
      { pattern: 'a', pattern2: 7, value: 'a' },
      'f.@replace.pattern2',
      '@replace needs "pattern2": plain text of 1 to 10 characters (Segment\'s limit) (got 7)',
    ],
    [
      { pattern: 'a', replacement2: 'b', value: 'a' },
      'f.@replace.replacement2',
      '@replace "replacement2" is only used with "pattern2"; add "pattern2" or remove it',
    ],
    [
      { pattern: 'a', global: 'yes', value: 'a' },
      'f.@replace.global',
      '@replace option "global" must be true or false (got "yes")',
    ],
    [
      { pattern: 'a', ignorecase: 1, value: 'a' },
      'f.@replace.ignorecase',
      '@replace option "ignorecase" must be true or false (got 1)',
    ],
    [
      { pattern: 'a' },
      'f.@replace',
      '@replace needs "value": text or a directive such as {"@path": "$.properties.sku"} (got nothing)',
    ],
    [
      { pattern: 'a', value: ['x'] },
      'f.@replace.value',
      '@replace needs "value": text or a directive such as {"@path": "$.properties.sku"} (got ["x"])',
    ],
    [
      { pattern: 'a', value: 'x', regex: true },
      'f.@replace.regex',
      '@replace has no option "regex"; its options are "pattern", "replacement", "pattern2", "replacement2", "ignorecase", "global" and "value"',
    ],
  ];
  it.each(cases)('%j', (argument, path, message) => {
    const error = compileError({ f: { '@replace': argument } });
    expect([error.code, error.path, error.message]).toEqual(['invalid_mapping', path, message]);
  });
});
