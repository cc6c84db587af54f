/**
 * The PostgreSQL store's own array encoding (array-literal.ts): what PostgreSQL reads back is what
 * was written, for the awkward strings events and responses carry, on the fast and the slow path.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrayLiteral } from '../../src/store/postgres/array-literal.js';
import { TEST_SERVER } from './pg-database.js';

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: TEST_SERVER });
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

async function roundTrip<T>(values: readonly (T | null)[], type: string): Promise<unknown[]> {
  const { rows } = await client.query<{ a: unknown[] }>(`SELECT $1::${type}[] AS a`, [
    arrayLiteral(values as never),
  ]);
  return rows[0]!.a;
}

describe('arrayLiteral', () => {
  it('keeps quotes, backslashes, braces, commas, spaces, accents and the word NULL', async () => {
    const values = [
      '{"type":"track","properties":{"path":"C:\\\\temp","quote":"say \\"hi\\""}}',
      'a,b {c} "d" \\e\\',
      '  padded  ',
      '',
      'NULL',
      'null',
      'ünïcødé ✓',
      null,
    ];
    expect(await roundTrip(values, 'text')).toEqual(values);
  });

  it('keeps control characters and characters beyond the BMP (the slow path)', async () => {
    const values = ['line one\nline two', 'tab\there', 'cr\r\n', '\u0001\u001f', 'bell\u0007"\\', '😀 𝄞 "q"'];
    expect(await roundTrip(values, 'text')).toEqual(values);
  });

  it('keeps integers, fractions and nulls', async () => {
    // pg reads bigint as text unless told otherwise.
    expect(await roundTrip([1, 0, -5, 2 ** 53 - 1, null], 'bigint')).toEqual([
      '1',
      '0',
      '-5',
      '9007199254740991',
      null,
    ]);
    expect(await roundTrip([0.25, 12.5, 1e-7, null], 'float8')).toEqual([0.25, 12.5, 1e-7, null]);
    expect(await roundTrip([], 'text')).toEqual([]);
  });
});
