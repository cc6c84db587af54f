/**
 * Which source sent a request. The write key comes as the HTTP Basic auth user name (what Segment's,
 * RudderStack's and Customer.io's SDKs send; the password is ignored), else as `writeKey` in the
 * body. The route checks the header before reading the body, so a wrong key costs no parsing.
 *
 * Keys are compared as SHA-256 digests with timingSafeEqual, against every source without stopping
 * early, so response time does not reveal how much of a guess was right. The key itself is never
 * logged, echoed or stored (normalise.ts removes `writeKey` from stored events).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SourceConfig } from '../config/types.js';
import { reject } from '../errors.js';
import type { HttpFailure } from './responses.js';
import { httpFailure } from './responses.js';

/** The source name for a write key, or the 401 to answer. */
export type SourceLookup = (writeKey: unknown) => string | HttpFailure;

const HOW =
  'send the source\'s write key as the HTTP Basic auth user name (Authorization: Basic base64("WRITE_KEY:")) or as "writeKey" in the JSON body';

export function createSourceLookup(sources: readonly SourceConfig[]): SourceLookup {
  const known = sources.map((source) => ({ name: source.name, digest: digest(source.writeKey) }));
  return (writeKey) => {
    if (typeof writeKey !== 'string' || writeKey === '') {
      return httpFailure(401, reject('missing_write_key', `no write key: ${HOW}`));
    }
    const given = digest(writeKey);
    let found: string | undefined;
    for (const source of known) {
      if (timingSafeEqual(given, source.digest) && found === undefined) found = source.name;
    }
    return (
      found ??
      httpFailure(
        401,
        reject('invalid_write_key', `the write key is not one of this relay's sources: ${HOW}`),
      )
    );
  };
}

/** The user name of a Basic Authorization header; undefined when absent, not Basic, or empty. */
export function basicUser(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*basic\s+(\S+)\s*$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  return user === '' ? undefined : user;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
