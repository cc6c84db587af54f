/**
 * The rate limit shared by relays on one PostgreSQL store: together they never exceed the rate
 * (beyond the one-second burst), and one relay's Retry-After holds the others back.
 */
import { describe, expect, it } from 'vitest';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/index.js';
import { closedAfterEach, useTestDatabase } from './pg-database.js';

const database = useTestDatabase();
let schemas = 0;
const opened = closedAfterEach<PostgresStore>();

async function relays(count: number): Promise<PostgresStore[]> {
  const schema = `limit_${++schemas}`;
  const stores: PostgresStore[] = [];
  for (let i = 0; i < count; i++) stores.push(await openPostgresStore({ url: database.url, schema }));
  opened.push(...stores);
  return stores;
}

describe('PostgreSQL shared rate limit', () => {
  it('lets three relays together send no more than the rate plus one second of burst', async () => {
    const stores = await relays(3);
    const rate = 20;
    const started = Date.now();
    let allowed = 0;
    let refused = 0;
    await Promise.all(
      stores.map(async (store) => {
        while (Date.now() - started < 1500) {
          const wait = await store.sharedRateLimit.take('prod', rate);
          if (wait === 0) allowed++;
          else {
            refused++;
            expect(wait).toBeGreaterThan(0);
            expect(wait).toBeLessThanOrEqual(Math.ceil(1000 / rate));
          }
        }
      }),
    );
    const elapsed = (Date.now() - started) / 1000;
    expect(refused).toBeGreaterThan(0);
    expect(allowed).toBeGreaterThanOrEqual(rate);
    expect(allowed).toBeLessThanOrEqual(rate + Math.ceil(rate * elapsed) + 1);
    // Other destinations have their own budget.
    expect(await stores[0]!.sharedRateLimit.take('staging', rate)).toBe(0);
  });

  it('holds every relay back for a Retry-After one of them received', async () => {
    const [a, b] = (await relays(2)) as [PostgresStore, PostgresStore];
    expect(await b.sharedRateLimit.take('prod', 100)).toBe(0);
    await a.sharedRateLimit.block('prod', 5000);
    const wait = await b.sharedRateLimit.take('prod', 100);
    expect(wait).toBeGreaterThan(4000);
    expect(wait).toBeLessThanOrEqual(5000);
    expect(await b.sharedRateLimit.take('staging', 100)).toBe(0);
  });
});
