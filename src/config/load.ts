/** Loading the relay's configuration file: read, substitute `${VAR}`, validate. */
import { readConfigFile } from './read.js';
import type { RelayConfig } from './types.js';
import { validateConfig } from './validate.js';

/** Throws a ConfigError: unreadable file, bad syntax, unset variable, or InvalidConfigError. */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): RelayConfig {
  return validateConfig(readConfigFile(file, env), { file });
}
