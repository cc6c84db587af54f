/**
 * Validating a parsed configuration: its shape (types, bounds, unknown keys), then the rules
 * across keys, all problems reported together in one InvalidConfigError.
 */
import { checkField } from './check-fields.js';
import { crossCheck } from './cross-checks.js';
import { secretValues } from './fields.js';
import { Problems } from './problems.js';
import { type LooseRelayFile, type RelayFile, relayFile } from './relay-file.js';
import { toRelayConfig } from './to-relay-config.js';
import type { RelayConfig } from './types.js';

/**
 * `raw` is the file's content after `${VAR}` substitution; `file` is where it came from, which
 * relative store paths are resolved against. Throws InvalidConfigError listing every problem.
 */
export function validateConfig(raw: unknown, options: { file?: string } = {}): RelayConfig {
  const problems = new Problems();
  const checked = checkField(relayFile, raw, '', problems) as LooseRelayFile | undefined;
  if (checked) crossCheck(checked, problems);
  problems.throwIfAny(secretValues(relayFile, raw));
  return toRelayConfig(checked as RelayFile, options.file);
}
