/**
 * The part of a destination's configuration that decides what is sent: profile, subscriptions,
 * region or endpoint, batch size. (Credentials are read elsewhere and never printed.)
 */
import { ConfigError } from '../errors.js';
import type { SubscriptionConfig } from '../profiles/index.js';

export interface DestinationMappingConfig {
  name: string;
  /** Where it sits in the file, e.g. `destinations[1]`, for error messages. */
  path: string;
  profile: string;
  settings: Record<string, unknown> | undefined;
  subscriptions: SubscriptionConfig[] | undefined;
  region: string | undefined;
  endpoint: string | undefined;
  maxOperations: number | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new ConfigError('invalid_config', `${path} must be a string`, { path });
  return value;
}

/** The destination named `name`, or the only/first one, from a parsed configuration file. */
export function selectDestination(config: unknown, name?: string): DestinationMappingConfig {
  if (!isObject(config) || !Array.isArray(config['destinations']) || config['destinations'].length === 0) {
    throw new ConfigError(
      'invalid_config',
      'configuration needs a `destinations` list with at least one destination ({name, siteId, apiKey, ...})',
      { path: 'destinations' },
    );
  }
  const list = config['destinations'] as unknown[];
  const index = name === undefined ? 0 : list.findIndex((d) => isObject(d) && d['name'] === name);
  if (index < 0) {
    const names = list.map((d) => (isObject(d) ? JSON.stringify(d['name']) : '?')).join(', ');
    throw new ConfigError(
      'unknown_destination',
      `no destination named ${JSON.stringify(name)}; the configuration has ${names}`,
    );
  }
  const d = list[index];
  const path = `destinations[${index}]`;
  if (!isObject(d)) throw new ConfigError('invalid_config', `${path} must be an object`, { path });
  const subscriptions = d['subscriptions'];
  if (subscriptions !== undefined && !Array.isArray(subscriptions)) {
    throw new ConfigError(
      'invalid_config',
      `${path}.subscriptions must be a list of {name, trigger, action, mapping}`,
      {
        path: `${path}.subscriptions`,
      },
    );
  }
  (subscriptions ?? []).forEach((s: unknown, i: number) => {
    if (!isObject(s)) {
      throw new ConfigError(
        'invalid_config',
        `${path}.subscriptions[${i}] must be an object {name, trigger, action, mapping}`,
      );
    }
  });
  const settings = d['settings'];
  if (settings !== undefined && !isObject(settings)) {
    throw new ConfigError('invalid_config', `${path}.settings must be an object of the profile's settings`, {
      path: `${path}.settings`,
    });
  }
  const batch = d['batch'];
  const maxOperations = isObject(batch) ? batch['maxOperations'] : undefined;
  if (maxOperations !== undefined && !Number.isInteger(maxOperations)) {
    throw new ConfigError('invalid_config', `${path}.batch.maxOperations must be an integer`, {
      path: `${path}.batch.maxOperations`,
    });
  }
  return {
    name: optionalString(d['name'], `${path}.name`) ?? `destination ${index + 1}`,
    path,
    profile: optionalString(d['profile'], `${path}.profile`) ?? 'actions',
    settings,
    subscriptions:
      subscriptions && subscriptions.length > 0 ? (subscriptions as SubscriptionConfig[]) : undefined,
    region: optionalString(d['region'], `${path}.region`),
    endpoint: optionalString(d['endpoint'], `${path}.endpoint`),
    maxOperations: maxOperations as number | undefined,
  };
}
