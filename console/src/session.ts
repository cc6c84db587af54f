/**
 * The admin token, kept for this browser tab only (sessionStorage): closing the tab logs out, and
 * the token never goes into a URL, a cookie or the page.
 */
const KEY = 'cio-relay.admin-token';

export function savedToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
