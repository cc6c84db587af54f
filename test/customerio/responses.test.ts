import { describe, expect, it } from 'vitest';
import { classifyResponse, parseRetryAfter } from '../../src/customerio/index.js';

describe('what a Track API answer means', () => {
  it('200 {} delivers everything', () => {
    expect(classifyResponse({ status: 200, body: '{}' })).toEqual({
      kind: 'delivered',
      failedItems: new Map(),
    });
  });

  it('207 fails only the items it names, with Customer.io’s reason', () => {
    const body = JSON.stringify({
      errors: [
        { batch_index: 1, reason: 'invalid', field: 'identifiers', message: 'missing id' },
        { batch_index: 3, reason: 'too_large', message: 'attributes over 100 KB' },
      ],
    });
    const result = classifyResponse({ status: 207, body });
    expect(result.kind).toBe('delivered');
    if (result.kind !== 'delivered') return;
    expect([...result.failedItems.keys()]).toEqual([1, 3]);
    expect(result.failedItems.get(1)).toBe('invalid: field identifiers: missing id');
  });

  it('retries 408, 429 and 5xx, reading Retry-After', () => {
    for (const status of [408, 429, 500, 502, 503]) {
      expect(classifyResponse({ status, body: '' }).kind).toBe('retry');
    }
    const result = classifyResponse({ status: 429, retryAfter: '7', body: '' });
    expect(result).toMatchObject({ kind: 'retry', retryAfterMs: 7000 });
  });

  it('pauses on 401 and 403 and says what to fix', () => {
    for (const status of [401, 403]) {
      const result = classifyResponse({ status, body: 'Unauthorized' });
      expect(result.kind).toBe('pause');
      if (result.kind === 'pause') expect(result.reason).toMatch(/siteId and apiKey/);
    }
  });

  it('refuses other 4xx with the start of the body', () => {
    const result = classifyResponse({ status: 400, body: '{"errors":[{"reason":"malformed"}]}' });
    expect(result).toEqual({
      kind: 'refused',
      reason: 'Customer.io answered 400: {"errors":[{"reason":"malformed"}]}',
    });
  });
});

describe('Retry-After', () => {
  it('accepts seconds and HTTP dates, ignores garbage', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
