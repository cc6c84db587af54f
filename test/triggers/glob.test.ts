import { describe, expect, it } from 'vitest';
import { compileGlob, globProblem } from '../../src/triggers/glob.js';

describe('match() globs', () => {
  it.each<[string, string, boolean]>([
    ['', '', true],
    ['', 'a', false],
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['*', '', true],
    ['*', 'anything', true],
    ['a*', 'abc', true],
    ['a*', 'ba', false],
    ['*c', 'abc', true],
    ['*c', 'cb', false],
    ['*b*', 'abc', true],
    ['*b*', 'ac', false],
    ['a*c', 'ac', true],
    ['a*c', 'abbbc', true],
    ['a*c', 'abcd', false],
    ['a**c', 'abc', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'abbc', false],
    ['???', 'abc', true],
    ['???', 'ab', false],
    ['*?', '', false],
    ['*?', 'a', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXcYb', false],
    ['*ab*ab', 'xabyab', true],
    ['*ab*ab', 'xabyabz', false],
    ['Order *', 'Order Completed', true],
    ['* Completed', 'Order Completed', true],
  ])('%j against %j is %s', (pattern, text, expected) => {
    expect(compileGlob(pattern)(text)).toBe(expected);
  });

  it('? is one code point: an emoji is one character', () => {
    expect(compileGlob('?')('😀')).toBe(true);
    expect(compileGlob('??')('😀')).toBe(false);
    expect(compileGlob('a?b')('a😀b')).toBe(true);
    expect(compileGlob('*?')('😀')).toBe(true);
    expect(compileGlob('*??')('😀')).toBe(false);
    expect(compileGlob('?*?')('é😀')).toBe(true);
  });

  it('a backslash makes *, ? and \\ literal', () => {
    expect(compileGlob('Save\\*')('Save*')).toBe(true);
    expect(compileGlob('Save\\*')('Saved')).toBe(false);
    expect(compileGlob('what\\?')('what?')).toBe(true);
    expect(compileGlob('what\\?')('whats')).toBe(false);
    expect(compileGlob('a\\\\b')('a\\b')).toBe(true);
    expect(compileGlob('\\a')('a')).toBe(true);
  });

  it('a pattern ending in a lone backslash is refused', () => {
    expect(globProblem('abc\\')).toBe('the pattern ends with "\\", which escapes nothing');
    expect(globProblem('abc\\\\')).toBeUndefined();
    expect(globProblem('a*?')).toBeUndefined();
  });

  it('runs in bounded time on patterns that make regex engines backtrack', () => {
    const text = 'a'.repeat(20_000);
    const started = performance.now();
    expect(compileGlob('*a*a*a*a*a*a*a*a*b')(text)).toBe(false);
    expect(compileGlob('?*?*?*?*?*?*?*b')(text)).toBe(false);
    expect(compileGlob('*a*a*a*a*a*a*a*a*a')(text)).toBe(true);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
