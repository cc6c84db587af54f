/**
 * A destination's `settings`, read against its profile's declared settings: every problem is
 * reported with its key path and the fix; unset keys take the profile's defaults. Values are read
 * as the configuration file's other keys are: `""` is unset (an empty `${VAR:-}`), and "true" /
 * "false" are booleans (`${VAR}` always substitutes text).
 */
import type { Profile, ProfileSetting, ProfileSettings } from './types.js';

export interface SettingProblem {
  /** e.g. `destinations[0].settings.convertToUnixTime` */
  path: string;
  /** What is wrong and the fix, without the path. */
  text: string;
}

type Read = { value: boolean | string | undefined } | { wrong: string };

function read(setting: ProfileSetting, raw: unknown): Read {
  if (raw === undefined || raw === null || raw === '') return { value: undefined };
  if (setting.type === 'string') return typeof raw === 'string' ? { value: raw } : { wrong: 'a string' };
  const flag = raw === 'true' ? true : raw === 'false' ? false : raw;
  return typeof flag === 'boolean' ? { value: flag } : { wrong: 'true or false' };
}

function settingOf(profile: Profile, key: string): ProfileSetting | undefined {
  return profile.settings.find((s) => s.key === key);
}

export function settingProblems(profile: Profile, raw: unknown, path: string): SettingProblem[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return [{ path, text: `must be an object of the ${profile.name} profile's settings` }];
  }
  const problems: SettingProblem[] = [];
  const known = profile.settings.map((s) => s.key);
  for (const [key, value] of Object.entries(raw)) {
    const at = `${path}.${key}`;
    const setting = settingOf(profile, key);
    if (setting === undefined) {
      if (value === undefined) continue; // a key of another profile that a checked file left unset
      const has = known.length > 0 ? `its settings are ${known.join(', ')}` : 'it has no settings';
      problems.push({ path: at, text: `the ${profile.name} profile has no setting "${key}"; ${has}` });
      continue;
    }
    const result = read(setting, value);
    if ('wrong' in result) {
      problems.push({ path: at, text: `must be ${result.wrong} (got ${JSON.stringify(value)})` });
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
    const result = read(setting, raw?.[setting.key]);
    settings[setting.key] = ('value' in result ? result.value : undefined) ?? setting.default;
  }
  return settings;
}
