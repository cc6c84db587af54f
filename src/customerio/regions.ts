/** Where the Track API lives: by region, or at a custom endpoint (a proxy, or the emulator). */
import { ConfigError } from '../errors.js';

export const REGIONS = {
  us: 'https://track.customer.io',
  eu: 'https://track-eu.customer.io',
} as const;

export type Region = keyof typeof REGIONS;

export function isRegion(value: string): value is Region {
  return Object.hasOwn(REGIONS, value);
}

/**
 * The Track API base URL. A custom endpoint wins over the region; it must be an absolute http(s)
 * URL, and a trailing slash is dropped so paths join cleanly.
 */
export function trackApiBase(options: { region?: string; endpoint?: string; path?: string }): string {
  const where = options.path ? `${options.path}: ` : '';
  if (options.endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(options.endpoint);
    } catch {
      throw new ConfigError(
        'invalid_endpoint',
        `${where}endpoint must be an absolute URL such as http://127.0.0.1:9090 (got ${JSON.stringify(options.endpoint)})`,
      );
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ConfigError(
        'invalid_endpoint',
        `${where}endpoint must use http or https (got ${url.protocol})`,
      );
    }
    if (url.username || url.password) {
      throw new ConfigError(
        'invalid_endpoint',
        `${where}endpoint must not contain credentials; set siteId and apiKey instead`,
      );
    }
    return url.href.replace(/\/+$/, '');
  }
  const region = (options.region ?? 'us').toLowerCase();
  if (!isRegion(region)) {
    throw new ConfigError(
      'invalid_region',
      `${where}region must be "us" or "eu" (got ${JSON.stringify(options.region)})`,
    );
  }
  return REGIONS[region];
}
