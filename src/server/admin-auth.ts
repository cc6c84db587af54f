/**
 * `/admin` takes `Authorization: Bearer <admin.token>`, a credential of its own: a write key sits in
 * every browser that runs an SDK, so it must never open the admin API. Without a configured token
 * the admin API is off (403 saying how to turn it on) rather than open.
 * The comparison is on SHA-256 digests with timingSafeEqual, so timing reveals nothing of the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { reject } from '../errors.js';
import type { HttpFailure } from './responses.js';
import { httpFailure } from './responses.js';

/** undefined when the request may proceed, else the refusal. */
export type AdminGuard = (authorization: string | undefined) => HttpFailure | undefined;

const OFF = httpFailure(
  403,
  reject(
    'admin_disabled',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the configuration's own ${ENV} syntax
    'the admin API is off because no admin token is configured; set admin.token in the configuration (e.g. admin: { token: ${ADMIN_TOKEN} }), then send the relay SIGHUP or restart it',
  ),
);
const REFUSED = httpFailure(
  401,
  reject('invalid_admin_token', 'send the admin token (admin.token) as Authorization: Bearer <token>'),
);

export function createAdminGuard(token: string | undefined): AdminGuard {
  if (token === undefined || token === '') return () => OFF;
  const expected = digest(token);
  return (authorization) => {
    const match = authorization === undefined ? null : /^\s*bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match === null) return REFUSED;
    return timingSafeEqual(digest(match[1]!), expected) ? undefined : REFUSED;
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
