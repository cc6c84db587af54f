/**
 * Pages are addressed by the URL hash (`#/deliveries?messageId=m1`): the relay only serves files,
 * reloading keeps the page, and a link can point at one search.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  page: string;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  return { page: path === '' ? 'overview' : path, params: new URLSearchParams(search) };
}

export function href(page: string, params: Record<string, string> = {}): string {
  const search = new URLSearchParams(params).toString();
  return `#/${page}${search === '' ? '' : `?${search}`}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}
