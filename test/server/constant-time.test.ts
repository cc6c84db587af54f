/**
 * Write keys and the admin token are compared in constant time: whatever the guess (shorter,
 * longer, same length, right but for the last character), the comparison is crypto's
 * timingSafeEqual on two 32-byte digests, once per configured key, never stopping at a match.
 */
import * as crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAdminGuard } from '../../src/server/admin-auth.js';
import { createSourceLookup } from '../../src/server/write-key.js';

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  const timingSafeEqual = (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) =>
    original.timingSafeEqual(a, b);
  return { ...original, timingSafeEqual: vi.fn(timingSafeEqual) };
});
const compare = vi.mocked(crypto.timingSafeEqual);

const KEYS = ['wk_web_5f2c9a0d17e84b3f', 'wk_ios_0c61d2b7a9e8f354', 'wk_server_8d41b7c2e9a05f63'];
const GUESSES = [
  'w',
  'wk_web_5f2c9a0d17e84b3',
  'wk_web_5f2c9a0d17e84b3x',
  `${KEYS[0]}${'x'.repeat(500)}`,
  KEYS[2]!,
];

/** The byte lengths of every pair compared since the last reset. */
const comparedLengths = () => compare.mock.calls.map(([a, b]) => [a.byteLength, b.byteLength]);

// A function returned from beforeEach would run as a clean-up: mockClear returns the mock.
beforeEach(() => {
  compare.mockClear();
});

describe('write keys', () => {
  const lookup = createSourceLookup(KEYS.map((writeKey, i) => ({ name: `s${i}`, writeKey })));

  it.each(GUESSES.map((guess) => [guess.length, guess]))(
    'a %i-character key: one timingSafeEqual of 32-byte digests per source, none skipped',
    (_length, guess) => {
      const result = lookup(guess);
      expect(comparedLengths()).toEqual(KEYS.map(() => [32, 32]));
      if (guess === KEYS[2]) expect(result).toBe('s2');
      else expect(result).toMatchObject({ status: 401, body: { code: 'invalid_write_key' } });
    },
  );

  it('a match on the first source still compares against every other one', () => {
    expect(lookup(KEYS[0])).toBe('s0');
    expect(compare).toHaveBeenCalledTimes(KEYS.length);
  });
});

describe('the admin token', () => {
  const TOKEN = 'admin_tok_71c3e0f9a4b2d856';
  const guard = createAdminGuard(TOKEN);

  it.each(['a', TOKEN.slice(0, -1), `${TOKEN.slice(0, -1)}x`, TOKEN.repeat(40)].map((t) => [t.length, t]))(
    'a wrong token of %i characters is refused after one timingSafeEqual of 32-byte digests',
    (_length, guess) => {
      expect(guard(`Bearer ${guess}`)).toMatchObject({ status: 401, body: { code: 'invalid_admin_token' } });
      expect(comparedLengths()).toEqual([[32, 32]]);
    },
  );

  it('the right token passes through the same comparison', () => {
    expect(guard(`Bearer ${TOKEN}`)).toBeUndefined();
    expect(comparedLengths()).toEqual([[32, 32]]);
  });
});
