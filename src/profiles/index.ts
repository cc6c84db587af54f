import { ConfigError } from '../errors.js';
import { actionsProfile } from './actions.js';
import { classicProfile } from './classic.js';
import { rudderstackProfile } from './rudderstack.js';
import { withDefaults } from './settings.js';
import type { Profile, RouteConfig, SubscriptionConfig } from './types.js';

export { type Adjustment, adjustmentNames, compileAdjustments } from './adjustments.js';
export { type SettingProblem, settingProblems, withDefaults } from './settings.js';
export {
  type FilterRule,
  isFilterRule,
  type Profile,
  type ProfileSetting,
  type ProfileSettings,
  type RouteConfig,
  type SubscriptionConfig,
} from './types.js';
export { actionsProfile, classicProfile, rudderstackProfile };

const PROFILES: Readonly<Record<string, Profile>> = {
  actions: actionsProfile,
  classic: classicProfile,
  rudderstack: rudderstackProfile,
};

export function profileNames(): string[] {
  return Object.keys(PROFILES);
}

/** Every profile's settings, for the configuration file's description. */
export function allProfiles(): Profile[] {
  return Object.values(PROFILES);
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

/**
 * What a destination routes by: its own subscriptions or else the profile's presets, each with the
 * profile's destination-wide adjustments, then the profile's filter rules (listed last so that a
 * subscription's index is its index in the file; the router tests them first). `settings` must
 * have been checked (settingProblems).
 */
export function destinationRoutes(
  profile: Profile,
  settings: Readonly<Record<string, unknown>> | undefined,
  own?: readonly SubscriptionConfig[],
): RouteConfig[] {
  const values = withDefaults(profile, settings);
  const adjust = profile.adjust(values);
  const subscriptions = own?.length ? own : profile.presets(values);
  return [
    ...(adjust.length === 0
      ? subscriptions
      : subscriptions.map((s) => ({ ...s, adjust: [...adjust, ...(s.adjust ?? [])] }))),
    ...profile.filters(values),
  ];
}
