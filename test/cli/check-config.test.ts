// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is configuration text, not a template slip
import { describe, expect, it } from 'vitest';
import { tempFile } from '../temp-files.js';
import { cli } from './cli-helpers.js';

const SECRETS = {
  WRITE_KEY: 'wk-secret-0001',
  CIO_SITE_ID: 'site-secret-0001',
  CIO_API_KEY: 'api-secret-0001',
  ADMIN_TOKEN: 'admin-secret-000000001',
};

const VALID = `
admin: { token: \${ADMIN_TOKEN} }
sources:
  - { name: web, writeKey: \${WRITE_KEY} }
  - { name: ios, writeKey: ios-\${WRITE_KEY} }
destinations:
  - name: production
    siteId: \${CIO_SITE_ID}
    apiKey: \${CIO_API_KEY}
  - name: staging
    siteId: \${CIO_SITE_ID}
    apiKey: \${CIO_API_KEY}
    endpoint: http://127.0.0.1:9090
    allowInsecureEndpoint: true
    sources: [web]
    batch: { maxOperations: 50, lingerMs: 0 }
    rateLimit: { requestsPerSecond: 10 }
    ordering: false
    subscriptions:
      - { name: Orders, trigger: 'type = "track"', action: trackEvent }
      - { name: Pages, trigger: 'type = "page"', action: trackPageView, enabled: false }
`;

function expectNoSecret(text: string): void {
  for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
}

describe('cio-relay check-config', () => {
  it('exits 0 with a summary of what the relay would run, and no credential', async () => {
    const file = tempFile('relay.yaml', VALID);
    const run = await cli(['check-config', file], '', SECRETS);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${file} is valid.`);
    expect(lines[1]).toMatch(
      /^server 0\.0\.0\.0:8787; store \/.+\/data\/relay\.db; admin API on \(token set\); dedupe over 24 h$/,
    );
    expect(lines[2]).toBe('sources (2): web, ios');
    expect(lines[3]).toBe('destinations (2):');
    expect(lines.slice(4)).toEqual([
      '  production: region us (https://track.customer.io); profile actions (15 preset subscriptions); from all sources',
      '    batch ≤ 100 operations, ≤ 500000 bytes, linger 200 ms; 100 requests/s, 4 in flight, timeout 30000 ms; in order per person',
      '    retry 1000 ms to 300000 ms apart; dead letter after 4 h and 3 attempts',
      '  staging: endpoint http://127.0.0.1:9090; 2 subscriptions (1 disabled); from sources web',
      '    batch ≤ 50 operations, ≤ 500000 bytes, linger 0 ms; 10 requests/s, 4 in flight, timeout 30000 ms; unordered',
      '    retry 1000 ms to 300000 ms apart; dead letter after 4 h and 3 attempts',
    ]);
    expectNoSecret(run.stdout);
  });

  it('exits 1 and prints every problem, one per line, on stderr', async () => {
    const file = tempFile(
      'relay.yaml',
      VALID.replace('maxOperations: 50', 'maxOperations: 5000')
        .replace('sources: [web]', 'sources: [wbe]')
        .replace('name: production', 'name: production\n    regoin: eu')
        .replace('trigger: \'type = "page"\'', "trigger: 'type ='"),
    );
    const run = await cli(['check-config', file], '', SECRETS);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      [
        `cio-relay check-config: ${file} has 3 problems:`,
        'destinations[0].regoin: unknown key; did you mean "region"?',
        'destinations[1].batch.maxOperations: must be an integer from 1 to 1000 (got 5000)',
        'destinations[1].sources[0]: no source is named "wbe"; did you mean "web"? (the sources are web, ios)',
        '',
      ].join('\n'),
    );
    expectNoSecret(run.stderr);
  });

  it('names every unset environment variable', async () => {
    const file = tempFile('relay.yaml', VALID);
    const run = await cli(['check-config', file], '', { WRITE_KEY: SECRETS.WRITE_KEY });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cio-relay check-config: ');
    expect(run.stderr).toContain(
      'admin.token: environment variable ADMIN_TOKEN is not set; export it, or write ${ADMIN_TOKEN:-default}\n',
    );
    expect(run.stderr).toContain('destinations[1].apiKey: environment variable CIO_API_KEY is not set');
    expect(run.stderr.split('\n').filter((l) => l.includes('is not set'))).toHaveLength(5);
  });

  it('a missing file or a syntax error exits 1 with one line', async () => {
    const missing = await cli(['check-config', '/nonexistent/relay.yaml']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'cio-relay check-config: cannot read configuration /nonexistent/relay.yaml: no such file\n',
    );
    const broken = tempFile('relay.json', '{"sources": [}');
    const syntax = await cli(['check-config', broken]);
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(/^cio-relay check-config: configuration .+ is not valid JSON: .+\n$/);
  });

  it.each([
    [[], 'expected one configuration file'],
    [['a.yaml', 'b.yaml'], 'expected one configuration file'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const run = await cli(['check-config', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('cio-relay check-config --help');
  });

  it('--help describes the command, and the command is listed', async () => {
    const help = await cli(['check-config', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: cio-relay check-config FILE');
    const usage = await cli(['--help']);
    expect(usage.stdout).toMatch(/check-config\s+validate a relay configuration file/);
  });
});
