/**
 * The console's only way to data: the relay's admin API, with the admin token as Bearer. Every
 * call resolves to a value or to the API's error `{code, message}` (network failures included), so
 * pages show what went wrong in the API's own words instead of throwing.
 */
import { savedToken } from './session';

export interface ApiError {
  code: string;
  message: string;
  status?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Told when the token is refused, so the app can ask for it again. */
let onUnauthorized: () => void = () => {};

export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/** The token was refused (by any request): back to the login. */
export function unauthorized(): void {
  onUnauthorized();
}

export async function call<T>(
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<Result<T>> {
  const token = init.token ?? savedToken() ?? '';
  let response: Response;
  try {
    response = await fetch(`/admin${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    });
  } catch (error) {
    return {
      ok: false,
      error: { code: 'network_error', message: `the relay did not answer (${String(error)})` },
    };
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (response.ok && body !== undefined) return { ok: true, value: body as T };
  if (response.status === 401 && init.token === undefined) unauthorized();
  return {
    ok: false,
    error: {
      code: typeof body?.code === 'string' ? body.code : 'http_error',
      message:
        typeof body?.message === 'string' ? body.message : `the relay answered HTTP ${response.status}`,
      status: response.status,
    },
  };
}

/** A query string from the given parameters, leaving out empty ones. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
