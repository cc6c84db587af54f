import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash32, KeyIndex } from '../../../src/store/sqlite/key-index.js';

function rowsUnder(index: KeyIndex, hash: number): number[] {
  const rows: number[] = [];
  index.find(hash, (row) => {
    rows.push(row);
    return false;
  });
  return rows.sort((a, b) => a - b);
}

describe('KeyIndex', () => {
  it('finds exactly the rows added under a hash, through collisions, removals and growth', () => {
    // Few distinct hashes, many sharing low bits, so probe runs collide and wrap.
    const hash = fc.constantFrom(1, 2, 3, 17, 33, 4097, 0xffffffff, 0x80000001);
    const op = fc.oneof(fc.record({ add: hash }), fc.record({ remove: fc.nat(200) }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const index = new KeyIndex(4);
        const model = new Map<number, number>();
        let nextRow = 1;
        for (const o of ops) {
          if ('add' in o) {
            index.add(o.add, nextRow);
            model.set(nextRow++, o.add);
          } else {
            const rows = [...model.keys()];
            if (rows.length === 0) continue;
            const row = rows[o.remove % rows.length]!;
            index.remove(model.get(row)!, row);
            model.delete(row);
          }
        }
        expect(index.size).toBe(model.size);
        for (const h of new Set(model.values())) {
          const expected = [...model].filter(([, mh]) => mh === h).map(([row]) => row);
          expect(rowsUnder(index, h)).toEqual(expected.sort((a, b) => a - b));
        }
      }),
    );
  });

  it('stops at the first row the visitor accepts, and ignores removal of unknown rows', () => {
    const index = new KeyIndex();
    index.add(7, 1);
    index.add(7, 2);
    index.remove(7, 3);
    index.remove(8, 1);
    const seen: number[] = [];
    const accept = (row: number) => {
      seen.push(row);
      return true;
    };
    expect(index.find(7, accept)).toBe(true);
    expect(seen).toHaveLength(1);
    expect(index.find(9, () => true)).toBe(false);
  });

  it('hashes to unsigned 32-bit integers that depend on every character', () => {
    const a = hash32('ajs-next-1b2c3d4e');
    expect(Number.isInteger(a) && a >= 0 && a < 2 ** 32).toBe(true);
    expect(hash32('ajs-next-1b2c3d4f')).not.toBe(a);
    expect(hash32('')).toBe(hash32(''));
  });
});
