/** The small pure parts: token bucket, seeded random, loopback check, request log ring, redaction. */
import { describe, expect, it } from 'vitest';
import { isLoopbackAddress } from '../../../src/emulator/server/auth.js';
import { createFaultInjector } from '../../../src/emulator/server/fault-injector.js';
import { createRandom } from '../../../src/emulator/server/random.js';
import { createRequestLog, redactHeaders } from '../../../src/emulator/server/request-log.js';
import { createTokenBucket } from '../../../src/emulator/server/token-bucket.js';

describe('token bucket', () => {
  it('grants `capacity` at once, then one per 1/rate seconds, and says how long to wait', () => {
    const bucket = createTokenBucket(10, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 0]);
    expect(bucket.take(0)).toBe(100);
    expect(bucket.take(50)).toBe(50);
    expect(bucket.take(100)).toBe(0);
    // Idle time refills up to capacity, no further.
    expect([bucket.take(10_000), bucket.take(10_000), bucket.take(10_000)]).toEqual([0, 0, 0]);
    expect(bucket.take(10_000)).toBeGreaterThan(0);
  });

  it('ignores a clock that steps backwards', () => {
    const bucket = createTokenBucket(1, 1, 1000);
    expect(bucket.take(1000)).toBe(0);
    expect(bucket.take(0)).toBe(1000);
  });
});

describe('seeded random and fault draws', () => {
  it('repeats the same sequence for the same seed', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('splits one draw into drop, hang, 429 and error bands in proportion', () => {
    const injector = createFaultInjector(
      { dropRate: 0.1, hangRate: 0.1, rateLimitRate: 0.2, errorRate: 0.2, seed: 1 },
      () => 0,
    );
    const counts: Record<string, number> = {};
    for (let i = 0; i < 10_000; i += 1) {
      const { kind } = injector.decide(0).action;
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    expect(counts['drop']).toBeGreaterThan(850);
    expect(counts['drop']).toBeLessThan(1150);
    expect(counts['rate_limited']).toBeGreaterThan(1800);
    expect(counts['error']).toBeGreaterThan(1800);
    expect(counts['none']).toBeGreaterThan(3800);
    expect(counts['none']).toBeLessThan(4200);
  });
});

describe('loopback check', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.5', false],
    ['::ffff:192.168.1.2', false],
    [undefined, false],
  ])('%s → %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});

describe('request log', () => {
  const entry = (path: string) => ({
    time: '2026-01-01T00:00:00.000Z',
    method: 'GET',
    path,
    status: 200,
    headers: {},
    body: null,
    bodyBytes: 0,
    durationMs: 1,
  });

  it('keeps the newest N, newest first', () => {
    const log = createRequestLog(3);
    for (const p of ['/a', '/b', '/c', '/d', '/e']) log.add(entry(p));
    expect(log.list().map((r) => r.path)).toEqual(['/e', '/d', '/c']);
    expect(log.list(2).map((r) => r.seq)).toEqual([5, 4]);
    log.clear();
    expect(log.list()).toEqual([]);
  });

  it('keeps nothing with capacity 0', () => {
    const log = createRequestLog(0);
    log.add(entry('/a'));
    expect(log.list()).toEqual([]);
  });

  it('redacts credentials but keeps the scheme', () => {
    expect(
      redactHeaders({
        authorization: 'Basic c2VjcmV0',
        Cookie: 'a=b',
        'proxy-authorization': 'x',
        host: 'h',
      }),
    ).toEqual({
      authorization: 'Basic [REDACTED]',
      Cookie: '[REDACTED]',
      'proxy-authorization': '[REDACTED]',
      host: 'h',
    });
  });
});
