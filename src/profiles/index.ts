import { ConfigError } from '../errors.js';
import { actionsProfile } from './actions.js';
import type { Profile } from './types.js';

export type { Profile, SubscriptionConfig } from './types.js';
export { actionsProfile };

const PROFILES: Readonly<Record<string, Profile>> = { actions: actionsProfile };

export function profileNames(): string[] {
  return Object.keys(PROFILES);
}

export function getProfile(name: string, options: { path?: string } = {}): Profile {
  const profile = Object.hasOwn(PROFILES, name) ? PROFILES[name] : undefined;
  if (profile === undefined) {
    const where = options.path ?? 'profile';
    throw new ConfigError(
      'unknown_profile',
      `${where}: unknown profile ${JSON.stringify(name)}; use one of ${profileNames().join(', ')}`,
      { path: where },
    );
  }
  return profile;
}
