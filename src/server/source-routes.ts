import type { RelayConfig } from '../config/types.js';

/** Source name → the destinations that take its events. */
export function sourceRoutes(config: RelayConfig): Map<string, readonly string[]> {
  const routes = new Map<string, readonly string[]>();
  for (const source of config.sources) {
    const names = config.destinations.filter((d) => d.sources.includes(source.name)).map((d) => d.name);
    routes.set(source.name, Object.freeze(names));
  }
  return routes;
}
