import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonByteLength, surelyFits } from '../../src/events/size.js';

describe('event size bound', () => {
  it('never claims a value fits when its JSON is larger', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 4 })),
        fc.integer({ min: 0, max: 4000 }),
        (value, limit) => {
          const bytes = Buffer.byteLength(JSON.stringify(value));
          if (surelyFits(value, limit)) expect(bytes).toBeLessThanOrEqual(limit);
          expect(jsonByteLength(value)).toBe(bytes);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('bounds lone surrogates and control characters, which JSON escapes to 6 bytes each', () => {
    const value = { s: '\ud800\u0001'.repeat(10) };
    const bytes = Buffer.byteLength(JSON.stringify(value));
    expect(bytes).toBe(2 + 3 + 1 + 2 + 20 * 6);
    expect(surelyFits(value, bytes - 1)).toBe(false);
    expect(surelyFits(value, bytes + 16)).toBe(true);
  });

  it('leaves values with their own serialisation to JSON.stringify', () => {
    expect(surelyFits({ at: new Date(0) }, 1000)).toBe(false);
    expect(surelyFits({ toJSON: () => 'x'.repeat(5000) }, 1000)).toBe(false);
    expect(jsonByteLength({ n: 1n })).toBeUndefined();
  });

  it('counts long plain-ASCII strings exactly', () => {
    // Counted 6 bytes a character, 1,000 characters could not be said to fit in 1,100 bytes.
    const value = { s: 'a'.repeat(1000) };
    expect(surelyFits(value, 1100)).toBe(true);
  });
});
