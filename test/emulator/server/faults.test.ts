/** Fault injection over real HTTP: 5xx share, 429 + Retry-After, latency, hang, drop, rate limit. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator/index.js';
import { call, identify, startEmulator } from './helpers.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function statuses(emu: Emulator, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i += 1) {
    out.push((await call(emu, 'POST', '/api/v2/entity', { json: identify(`u${i}`) })).status);
  }
  return out;
}

describe('errorRate', () => {
  it('answers about that share with 500/502/503 without applying, the same way for the same seed', async () => {
    emulator = await startEmulator({ faults: { errorRate: 0.3, seed: 42 } });
    const first = await statuses(emulator, 60);
    const failed = first.filter((s) => s !== 200);
    expect(failed.length).toBeGreaterThan(8);
    expect(failed.length).toBeLessThan(30);
    expect(new Set(failed)).toEqual(new Set([500, 502, 503]));
    // Failed requests changed nothing: exactly the 200s were applied.
    expect(emulator.workspace.people()).toHaveLength(first.filter((s) => s === 200).length);

    await emulator.close();
    emulator = await startEmulator({ faults: { errorRate: 0.3, seed: 42 } });
    expect(await statuses(emulator, 60)).toEqual(first);
  });

  it('uses the configured statuses, marks the answer and counts it', async () => {
    emulator = await startEmulator({ faults: { errorRate: 1, errorStatuses: [504] } });
    const res = await call(emulator, 'POST', '/api/v2/batch', { json: { batch: [identify('u1')] } });
    expect(res.status).toBe(504);
    expect(res.headers['x-emulator-fault']).toBe('error');
    expect(res.body).toEqual({ meta: { error: 'Injected error 504 (emulator fault injection)' } });
    expect(emulator.stats().faults.errors).toBe(1);
    expect(emulator.workspace.people()).toEqual([]);
  });

  it('never applies to the inspection API', async () => {
    emulator = await startEmulator({ faults: { errorRate: 1 } });
    expect((await call(emulator, 'GET', '/_emulator/people')).status).toBe(200);
  });

  it('applies after auth: a wrong key still gets a 401', async () => {
    emulator = await startEmulator({ faults: { errorRate: 1 } });
    expect((await call(emulator, 'GET', '/auth', { auth: null })).status).toBe(401);
  });
});

describe('rateLimitRate', () => {
  it('answers 429 with Retry-After', async () => {
    emulator = await startEmulator({ faults: { rateLimitRate: 1, retryAfterSeconds: 7 } });
    const res = await call(emulator, 'POST', '/api/v2/entity', { json: identify('u1') });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.headers['x-emulator-fault']).toBe('rate_limited');
    expect(emulator.workspace.people()).toEqual([]);
  });

  it('answers 429 without Retry-After when omitRetryAfter is set', async () => {
    emulator = await startEmulator({ faults: { rateLimitRate: 1, omitRetryAfter: true } });
    const res = await call(emulator, 'POST', '/api/v2/entity', { json: identify('u1') });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(() => emulator!.setFaults({ omitRetryAfter: 'yes' as unknown as boolean })).toThrow(
      /omitRetryAfter must be true or false \(got "yes"\)/,
    );
  });
});

describe('latencyMs', () => {
  it('delays every API answer', async () => {
    emulator = await startEmulator({ faults: { latencyMs: 150 } });
    const started = performance.now();
    expect((await call(emulator, 'GET', '/auth')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('does not hold close() up', async () => {
    emulator = await startEmulator({ faults: { latencyMs: 30_000 } });
    const pending = call(emulator, 'GET', '/auth').catch((err: Error) => err);
    await new Promise((r) => setTimeout(r, 100));
    const started = performance.now();
    await emulator.close();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('hangRate', () => {
  it('never answers: the client times out, and close() still returns promptly', async () => {
    emulator = await startEmulator({ faults: { hangRate: 1 } });
    const err = await call(emulator, 'POST', '/api/v2/entity', {
      json: identify('u1'),
      timeoutMs: 300,
    }).catch((e: Error & { code?: string }) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as { code?: string }).code).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(emulator.workspace.people()).toEqual([]);

    // A second hung request still open while closing.
    const open = call(emulator, 'GET', '/auth', { timeoutMs: 30_000 }).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 100));
    const started = performance.now();
    await emulator.close();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await open).toBeInstanceOf(Error);
  });
});

describe('dropRate', () => {
  it('destroys the connection without a response and applies nothing', async () => {
    emulator = await startEmulator({ faults: { dropRate: 1 } });
    const err = await call(emulator, 'POST', '/api/v2/entity', { json: identify('u1') }).catch(
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as { code?: string }).code).toMatch(/UND_ERR_SOCKET|ECONNRESET/);
    expect(emulator.workspace.people()).toEqual([]);
    expect(emulator.stats().faults.dropped).toBe(1);
    const [logged] = emulator.requests();
    expect(logged).toMatchObject({ status: null, fault: 'drop', path: '/api/v2/entity' });
  });
});

describe('resetAfterApplyRate', () => {
  it('applies the request, then resets the connection without an answer', async () => {
    emulator = await startEmulator({ faults: { resetAfterApplyRate: 1 } });
    const err = await call(emulator, 'POST', '/api/v2/batch', { json: { batch: [identify('u1')] } }).catch(
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as { code?: string }).code).toMatch(/UND_ERR_SOCKET|ECONNRESET/);
    // Applied although the sender never heard so: its retry is a duplicate.
    expect(emulator.workspace.person('u1')).toBeDefined();
    expect(emulator.stats().operations.accepted).toBe(1);
    expect(emulator.stats().faults.resetAfterApply).toBe(1);
    const [logged] = emulator.requests();
    expect(logged).toMatchObject({ status: null, fault: 'reset_after_apply', path: '/api/v2/batch' });
    expect(emulator.requests()).toHaveLength(1);
    expect(emulator.stats().requests.byStatus).toEqual({});

    emulator.setFaults({});
    expect((await call(emulator, 'GET', '/auth')).status).toBe(200);
  });
});

describe('hangAfterApplyRate', () => {
  it('applies the request, then never answers: the client times out; close() still returns promptly', async () => {
    emulator = await startEmulator({ faults: { hangAfterApplyRate: 1 } });
    const err = await call(emulator, 'POST', '/api/v2/entity', {
      json: identify('u1'),
      timeoutMs: 300,
    }).catch((e: Error & { code?: string }) => e);
    expect((err as { code?: string }).code).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(emulator.workspace.person('u1')).toBeDefined();
    expect(emulator.stats().faults.hungAfterApply).toBe(1);
    expect(emulator.requests()[0]).toMatchObject({ status: null, fault: 'hang_after_apply' });

    const open = call(emulator, 'POST', '/api/v2/entity', { json: identify('u2'), timeoutMs: 30_000 }).catch(
      (e: Error) => e,
    );
    await new Promise((r) => setTimeout(r, 100));
    const started = performance.now();
    await emulator.close();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await open).toBeInstanceOf(Error);
  });
});

describe('requestsPerSecond', () => {
  it('lets a burst through, then answers 429 with Retry-After, then recovers', async () => {
    emulator = await startEmulator({ faults: { requestsPerSecond: 1, burst: 3 } });
    const first = await statuses(emulator, 6);
    expect(first.slice(0, 3)).toEqual([200, 200, 200]);
    expect(first.slice(3)).toContain(429);
    const limited = await call(emulator, 'GET', '/auth');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.headers['x-emulator-fault']).toBe('rate_limit');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call(emulator, 'GET', '/auth')).status).toBe(200);
    expect(emulator.stats().faults.throttled).toBeGreaterThanOrEqual(2);
  });

  it('100 per second: a burst of 100 passes, then about 100 per second', async () => {
    emulator = await startEmulator({ faults: { requestsPerSecond: 100 } });
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 300 }, () => call(emulator!, 'GET', '/auth')));
    const elapsedSeconds = (performance.now() - started) / 1000;
    const ok = results.filter((r) => r.status === 200).length;
    // The bucket starts with 100 tokens and refills 100 per second while the requests arrive.
    expect(ok).toBeGreaterThanOrEqual(100);
    expect(ok).toBeLessThanOrEqual(100 + Math.ceil(elapsedSeconds * 100) + 1);
    expect(results.filter((r) => r.status === 429).length).toBe(300 - ok);
  });
});

describe('setting faults', () => {
  it('POST /_emulator/faults replaces the settings until changed; GET shows them with the seed', async () => {
    emulator = await startEmulator();
    const set = await call(emulator, 'POST', '/_emulator/faults', { json: { errorRate: 1, seed: 5 } });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ faults: { errorRate: 1, seed: 5 } });
    expect((await call(emulator, 'GET', '/auth')).status).toBeGreaterThanOrEqual(500);
    expect((await call(emulator, 'GET', '/_emulator/faults')).body).toEqual({
      faults: { errorRate: 1, seed: 5 },
    });
    await call(emulator, 'POST', '/_emulator/faults', { json: {} });
    expect((await call(emulator, 'GET', '/auth')).status).toBe(200);
  });

  it('refuses invalid settings with a 400 listing every problem, and keeps the old ones', async () => {
    emulator = await startEmulator({ faults: { latencyMs: 1 } });
    const res = await call(emulator, 'POST', '/_emulator/faults', {
      json: { errorRate: 2, latencyMs: -1, bogus: true, errorStatuses: [200] },
    });
    expect(res.status).toBe(400);
    const error = (res.body as { error: { code: string; message: string; details: string[] } }).error;
    expect(error.code).toBe('invalid_faults');
    expect(error.details).toEqual([
      'errorRate must be a number between 0 and 1 (got 2)',
      'latencyMs must be an integer between 0 and 60000 (got -1)',
      expect.stringMatching(/^unknown fault setting "bogus" \(known: errorRate, /),
      'each of errorStatuses must be an integer between 400 and 599 (got 200)',
    ]);
    expect(emulator.faults()).toMatchObject({ latencyMs: 1 });
    const sum = await call(emulator, 'POST', '/_emulator/faults', {
      json: { errorRate: 0.6, dropRate: 0.6 },
    });
    expect((sum.body as { error: { message: string } }).error.message).toMatch(
      /must not exceed 1 \(got 1\.2\)/,
    );
    for (const raw of ['', 'nope', '[1]']) {
      const bad = await call(emulator, 'POST', '/_emulator/faults', { raw, contentType: 'application/json' });
      expect(bad.status).toBe(400);
    }
  });

  it('setFaults() and the createEmulator option validate the same way', async () => {
    emulator = await startEmulator();
    expect(() => emulator!.setFaults({ hangRate: -0.1 })).toThrow(
      /hangRate must be a number between 0 and 1/,
    );
    await expect(startEmulator({ faults: { seed: 1.5 } })).rejects.toThrow(/seed must be an integer/);
    emulator.setFaults({ rateLimitRate: 1 });
    expect((await call(emulator, 'GET', '/auth')).status).toBe(429);
  });
});
