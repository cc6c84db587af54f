/**
 * A destination's `settings`, read against its profile's declared settings: every problem is
 * reported with its key path and the fix; unset keys take the profile's defaults.
 */
import type { Profile, ProfileSettings } from './types.js';

export interface SettingProblem {
  /** e.g. `destinations[0].settings.convertToUnixTime` */
  path: string;
  /** What is wrong and the fix, without the path. */
  text: string;
}

export function settingProblems(profile: Profile, raw: unknown, path: string): SettingProblem[] {
  if (raw === undefined) return [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return [{ path, text: `must be an object of the ${profile.name} profile's settings` }];
  }
  const problems: SettingProblem[] = [];
  const known = profile.settings.map((s) => s.key);
  for (const [key, value] of Object.entries(raw)) {
    const at = `${path}.${key}`;
    const setting = profile.settings.find((s) => s.key === key);
    if (setting === undefined) {
      const has = known.length > 0 ? `its settings are ${known.join(', ')}` : 'it has no settings';
      problems.push({ path: at, text: `the ${profile.name} profile has no setting "${key}"; ${has}` });
    } else if (typeof value !== setting.type || value === '') {
      const want = setting.type === 'boolean' ? 'true or false' : 'a non-empty string';
      problems.push({ path: at, text: `must be ${want} (got ${JSON.stringify(value)})` });
    }
  }
  return problems;
}

/** Checked settings completed with the profile's defaults. */
export function withDefaults(
  profile: Profile,
  raw: Readonly<Record<string, unknown>> | undefined,
): ProfileSettings {
  const settings: Record<string, boolean | string | undefined> = {};
  for (const setting of profile.settings) {
    const value = raw?.[setting.key];
    settings[setting.key] = typeof value === setting.type ? (value as boolean | string) : setting.default;
  }
  return settings;
}
