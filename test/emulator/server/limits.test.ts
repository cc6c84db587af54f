/** Oversize and malformed bodies: always a clear 4xx naming the problem, never a 5xx or a crash. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator/index.js';
import { HARD_BODY_LIMIT } from '../../../src/emulator/server/index.js';
import { call, event, identify, startEmulator } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => call(emulator, 'POST', '/_emulator/reset'));

/**
 * An event whose serialised JSON is exactly `bytes` long (event data may reach 100,000 bytes, while
 * a person attribute value may not exceed 1,000, so an event is what can grow to 32 KB legally).
 */
function eventOfSize(id: string, bytes: number): Record<string, unknown> {
  const base = JSON.stringify(event(id, 'padded', { pad: '' })).length;
  return event(id, 'padded', { pad: 'x'.repeat(bytes - base) });
}

function firstError(body: unknown): { reason: string; field: string; message: string } | undefined {
  return (body as { errors?: { reason: string; field: string; message: string }[] }).errors?.[0];
}

describe('size limits', () => {
  it('accepts an entity of exactly 32 KB and refuses one byte more with 400 too_large', async () => {
    expect(
      (await call(emulator, 'POST', '/api/v2/entity', { json: eventOfSize('u1', 32 * 1024) })).status,
    ).toBe(200);
    const res = await call(emulator, 'POST', '/api/v2/entity', { json: eventOfSize('u2', 32 * 1024 + 1) });
    expect(res.status).toBe(400);
    expect(firstError(res.body)).toEqual({
      reason: 'too_large',
      field: 'body',
      message: 'the request body is 32769 bytes; /api/v2/entity accepts at most 32768 bytes',
    });
    expect(emulator.workspace.person('u2')).toBeUndefined();
  });

  it('refuses an oversize batch item with its own 207 error while the others apply', async () => {
    const res = await call(emulator, 'POST', '/api/v2/batch', {
      json: { batch: [identify('small-1'), eventOfSize('big', 40_000), identify('small-2')] },
    });
    expect(res.status).toBe(207);
    expect(res.body).toEqual({
      errors: [
        {
          batch_index: 1,
          reason: 'too_large',
          field: '',
          message: 'operation is 40000 bytes; each batch operation may be at most 32768 bytes',
        },
      ],
    });
    expect(emulator.workspace.person('small-2')).toBeDefined();
    expect(emulator.workspace.person('big')).toBeUndefined();
  });

  it('measures a batch item as compact JSON even when the body is small (1e20 grows to 21 bytes)', async () => {
    // 2,000 copies of `1e20` are 10 KB as sent and 44 KB once the item is serialised again.
    const numbers = Array.from({ length: 2000 }, () => '1e20').join(',');
    const item = `{"type":"person","action":"event","identifiers":{"id":"grown"},"name":"x","attributes":{"n":[${numbers}]}}`;
    const res = await call(emulator, 'POST', '/api/v2/batch', {
      raw: `{"batch":[${item},${JSON.stringify(identify('beside'))}]}`,
      contentType: 'application/json',
    });
    expect(res.status).toBe(207);
    expect(res.body).toMatchObject({ errors: [{ batch_index: 0, reason: 'too_large', field: '' }] });
    expect(emulator.workspace.person('grown')).toBeUndefined();
    expect(emulator.workspace.person('beside')).toBeDefined();
  });

  it('accepts a batch of just under 500 KB and refuses one over with 400 too_large', async () => {
    const items = Array.from({ length: 16 }, (_, i) => eventOfSize(`u${i}`, 30_000));
    expect((await call(emulator, 'POST', '/api/v2/batch', { json: { batch: items } })).status).toBe(200);
    const more = Array.from({ length: 18 }, (_, i) => eventOfSize(`v${i}`, 30_000));
    const res = await call(emulator, 'POST', '/api/v2/batch', { json: { batch: more } });
    expect(res.status).toBe(400);
    expect(firstError(res.body)?.reason).toBe('too_large');
    expect(firstError(res.body)?.message).toMatch(/\/api\/v2\/batch accepts at most 512000 bytes/);
    expect(emulator.workspace.person('v0')).toBeUndefined();
  });

  it('answers 413 in the same JSON shape beyond the hard cap the emulator reads', async () => {
    const res = await call(emulator, 'POST', '/api/v2/batch', {
      raw: 'x'.repeat(HARD_BODY_LIMIT + 1),
      contentType: 'application/json',
    });
    expect(res.status).toBe(413);
    expect(firstError(res.body)?.reason).toBe('too_large');
  });
});

describe('malformed bodies', () => {
  const routes = ['/api/v2/entity', '/api/v2/batch'] as const;

  it.each(routes)('%s: invalid JSON is a 400 saying so', async (route) => {
    const res = await call(emulator, 'POST', route, {
      raw: '{"type": "person",',
      contentType: 'application/json',
    });
    expect(res.status).toBe(400);
    expect(firstError(res.body)).toMatchObject({ reason: 'invalid', field: 'body' });
    expect(firstError(res.body)?.message).toMatch(/^the request body is not valid JSON: /);
  });

  it.each(routes)('%s: a wrong content type is a 400 naming the type', async (route) => {
    const res = await call(emulator, 'POST', route, {
      raw: JSON.stringify(identify('u1')),
      contentType: 'text/plain',
    });
    expect(res.status).toBe(400);
    expect(firstError(res.body)).toEqual({
      reason: 'invalid',
      field: 'content-type',
      message: 'Content-Type must be application/json (got "text/plain")',
    });
  });

  it.each(routes)('%s: a body without a content type is a 400', async (route) => {
    const res = await call(emulator, 'POST', route, { raw: JSON.stringify(identify('u1')) });
    expect(res.status).toBe(400);
    expect(firstError(res.body)?.message).toBe('Content-Type must be application/json (got none)');
  });

  it.each(routes)('%s: an unparsable content-type header is a 400, not a 415', async (route) => {
    const res = await call(emulator, 'POST', route, { raw: '{}', contentType: '///' });
    expect(res.status).toBe(400);
    expect(firstError(res.body)?.field).toBe('body');
  });

  it.each(routes)('%s: an empty body is a 400, with or without a content type', async (route) => {
    for (const contentType of ['application/json', undefined]) {
      const res = await call(emulator, 'POST', route, { raw: '', ...(contentType ? { contentType } : {}) });
      expect(res.status).toBe(400);
      expect(firstError(res.body)).toEqual({
        reason: 'required',
        field: 'body',
        message: `the request body is empty; ${route} expects a JSON object`,
      });
    }
  });

  it('accepts application/json with a charset parameter', async () => {
    const res = await call(emulator, 'POST', '/api/v2/entity', {
      raw: JSON.stringify(identify('u1')),
      contentType: 'application/json; charset=utf-8',
    });
    expect(res.status).toBe(200);
  });

  it('survives a burst of garbage and still serves good requests', async () => {
    const junk = ['', 'null', '[]', '"x"', '{', '\u0000\u0001', '{"batch":[null, 1, "x", []]}', '🙂'];
    for (const raw of junk) {
      for (const route of routes) {
        const res = await call(emulator, 'POST', route, { raw, contentType: 'application/json' });
        expect(res.status, `${route} ${JSON.stringify(raw)}`).toBeGreaterThanOrEqual(200);
        expect(res.status, `${route} ${JSON.stringify(raw)}`).toBeLessThan(500);
      }
    }
    expect((await call(emulator, 'POST', '/api/v2/entity', { json: identify('after') })).status).toBe(200);
  });
});
