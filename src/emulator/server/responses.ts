/**
 * Response bodies, in the shapes Customer.io uses: v2 `{errors:[{reason, field, message}]}`, v1 and
 * auth `{meta:{error}}`; the emulator's own `/_emulator/` API uses `{error:{code, message}}`.
 */

export interface V2Error {
  reason: string;
  field: string;
  message: string;
}

export function v2Errors(...errors: V2Error[]): { errors: V2Error[] } {
  return { errors };
}

export function metaError(message: string): { meta: { error: string } } {
  return { meta: { error: message } };
}

export function inspectError(code: string, message: string, details?: string[]) {
  return { error: details ? { code, message, details } : { code, message } };
}

export const UNAUTHORIZED = metaError('Unauthorized request');

/** Which family of paths a URL belongs to, to pick the error shape for it. */
export type PathFamily = 'v2' | 'api' | 'inspect';

export function pathFamily(url: string): PathFamily {
  if (url.startsWith('/api/v2/')) return 'v2';
  if (url.startsWith('/_emulator')) return 'inspect';
  return 'api';
}

/** An error body in the right shape for the path it answers. */
export function errorFor(url: string, reason: string, message: string, field = 'body'): unknown {
  switch (pathFamily(url)) {
    case 'v2':
      return v2Errors({ reason, field, message });
    case 'inspect':
      return inspectError(reason, message);
    default:
      return metaError(message);
  }
}
