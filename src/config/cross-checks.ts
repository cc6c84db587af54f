/**
 * Rules that involve more than one key: unique names and write keys, destinations naming sources
 * that exist, retry bounds in order, endpoints (https unless allowed) and subscriptions that compile.
 */
import { trackApiBase } from '../customerio/index.js';
import { ConfigError } from '../errors.js';
import { getProfile, profileNames, settingProblems } from '../profiles/index.js';
import { checkSubscriptions } from './check-subscriptions.js';
import type { Problems } from './problems.js';
import type { LooseRelayFile } from './relay-file.js';
import { closest } from './suggest.js';

export function crossCheck(file: LooseRelayFile, problems: Problems): void {
  const sources = file.sources ?? [];
  const destinations = file.destinations ?? [];
  unique(
    sources.map((s) => s?.name),
    'sources',
    'name',
    (first, name) => `"${name}" is already the name of sources[${first}]; names must be unique`,
    problems,
  );
  // Never echo the key: say which source has it already.
  unique(
    sources.map((s) => s?.writeKey),
    'sources',
    'writeKey',
    (first) => `is the same as sources[${first}].writeKey; each source needs its own write key`,
    problems,
  );
  unique(
    destinations.map((d) => d?.name),
    'destinations',
    'name',
    (first, name) => `"${name}" is already the name of destinations[${first}]; names must be unique`,
    problems,
  );

  const sourceNames = [...new Set(sources.flatMap((s) => (s?.name === undefined ? [] : [s.name])))];
  destinations.forEach((d, i) => {
    if (!d) return;
    const path = `destinations[${i}]`;
    d.sources?.forEach((name, j) => {
      if (name === undefined || sourceNames.includes(name)) return;
      const guess = closest(name, sourceNames);
      problems.add(
        `${path}.sources[${j}]`,
        `no source is named "${name}"${guess ? `; did you mean "${guess}"?` : ''} (the sources are ${sourceNames.join(', ') || 'none'})`,
      );
    });
    const retry = d.retry;
    if (
      retry?.minBackoffMs !== undefined &&
      retry.maxBackoffMs !== undefined &&
      retry.maxBackoffMs < retry.minBackoffMs
    ) {
      problems.add(
        `${path}.retry.maxBackoffMs`,
        `must be at least retry.minBackoffMs (${retry.minBackoffMs}) (got ${retry.maxBackoffMs})`,
      );
    }
    if (d.endpoint !== undefined) {
      checkEndpoint(d.endpoint, `${path}.endpoint`, problems);
      if (d.allowInsecureEndpoint !== true) checkEncrypted(d.endpoint, `${path}.endpoint`, problems);
    }
    checkSubscriptions(d.subscriptions, `${path}.subscriptions`, problems);
    checkSettings(d.profile, d.settings, `${path}.settings`, problems);
  });
}

/** Each setting must be one of the destination's profile (the shape check knows them all). */
function checkSettings(
  profile: string | undefined,
  settings: unknown,
  path: string,
  problems: Problems,
): void {
  if (settings === undefined || profile === undefined || problems.hasAt(path)) return;
  const named = profileNames().includes(profile) ? getProfile(profile) : undefined;
  for (const problem of named ? settingProblems(named, settings, path) : []) {
    problems.add(problem.path, problem.text);
  }
}

function checkEndpoint(endpoint: string, path: string, problems: Problems): void {
  try {
    trackApiBase({ endpoint });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Its sentences start with "endpoint must ...", and the path already names the key.
    problems.add(path, error.message.replace(/^endpoint /, ''));
  }
}

/** The API key travels in every request: plain http only where the operator said so. */
function checkEncrypted(endpoint: string, path: string, problems: Problems): void {
  if (problems.hasAt(path) || !/^http:/i.test(endpoint)) return;
  problems.add(
    path,
    'is http, so events and the API key would travel unencrypted; use an https URL, or set allowInsecureEndpoint: true next to it for the local emulator or a proxy on the same machine',
  );
}

function unique(
  values: (string | undefined)[],
  list: string,
  key: string,
  duplicate: (first: number, value: string) => string,
  problems: Problems,
): void {
  const seen = new Map<string, number>();
  values.forEach((value, i) => {
    if (value === undefined) return;
    const first = seen.get(value);
    if (first === undefined) seen.set(value, i);
    else problems.add(`${list}[${i}].${key}`, duplicate(first, value));
  });
}
