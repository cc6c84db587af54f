/**
 * HTTP Basic auth with the workspace's `site_id:api_key`, as the Track API expects. The comparison is
 * constant-time so the emulator does not teach clients a timing side channel that the real API lacks.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type AuthCheck = (authorization: string | undefined) => boolean;

export function createAuthCheck(siteId: string, apiKey: string): AuthCheck {
  // Hash both sides so they have equal length for timingSafeEqual whatever the client sent.
  const expected = digest(`Basic ${Buffer.from(`${siteId}:${apiKey}`).toString('base64')}`);
  return (authorization) => {
    if (authorization === undefined) return false;
    const given = normalise(authorization);
    return given !== undefined && timingSafeEqual(digest(given), expected);
  };
}

/** `basic   abc=` and `Basic abc=` are the same credentials; anything but Basic is refused. */
function normalise(header: string): string | undefined {
  const match = /^\s*basic\s+(\S+)\s*$/i.exec(header);
  return match ? `Basic ${match[1]}` : undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** True for loopback peers (127.0.0.0/8, ::1, IPv4-mapped loopback). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}
