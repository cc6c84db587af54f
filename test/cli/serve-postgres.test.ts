/** `cio-relay serve` with DATABASE_URL: the PostgreSQL store, named without its password. */
import { describe, expect, it } from 'vitest';
import { cli } from './cli-helpers.js';

describe('cio-relay serve on PostgreSQL', () => {
  it('uses DATABASE_URL for the store and never shows its password', async () => {
    const result = await cli(['serve', '--port', '0'], '', {
      CIO_SITE_ID: 'site',
      CIO_API_KEY: 'key',
      WRITE_KEY: 'write-key',
      DATABASE_URL: 'postgres://relay:pg-secret-password@127.0.0.1:1/relay',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PostgreSQL store at postgres://relay:***@127.0.0.1:1/relay');
    expect(result.stderr + result.stdout).not.toContain('pg-secret-password');
  });
});
