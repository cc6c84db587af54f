/**
 * The configuration of the demo (`npm start` with no configuration file): one source, one
 * destination, the local emulator. Built through validateConfig so it is valid by construction.
 */
import type { RelayConfig } from './types.js';
import { validateConfig } from './validate.js';

export interface DemoOptions {
  port: number;
  /** The in-process emulator's base URL, e.g. `http://127.0.0.1:9090`. */
  emulatorUrl: string;
  siteId: string;
  apiKey: string;
  writeKey: string;
  adminToken: string;
  sqlite: string;
}

export function demoConfig(options: DemoOptions): RelayConfig {
  return validateConfig({
    // Only this machine: the demo prints its write key, and its admin token is throwaway.
    server: { host: '127.0.0.1', port: options.port },
    store: { sqlite: options.sqlite },
    admin: { token: options.adminToken },
    sources: [{ name: 'demo', writeKey: options.writeKey }],
    destinations: [
      {
        name: 'emulator',
        siteId: options.siteId,
        apiKey: options.apiKey,
        endpoint: options.emulatorUrl,
        allowInsecureEndpoint: true,
        profile: 'actions',
      },
    ],
  });
}
