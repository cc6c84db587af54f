/**
 * Reading a configuration file: YAML or JSON, with `${NAME}` (and `${NAME:-default}`) replaced by
 * environment variables in string values, so that secrets stay out of the file.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.js';

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function readConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new ConfigError('config_unreadable', `cannot read configuration ${file}: ${reason}`);
  }
  let parsed: unknown;
  try {
    parsed = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new ConfigError(
      'config_syntax',
      `configuration ${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  return substitute(parsed, env, '');
}

function substitute(value: unknown, env: NodeJS.ProcessEnv, path: string): unknown {
  if (typeof value === 'string') {
    return value.replace(VARIABLE, (_, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      throw new ConfigError(
        'missing_variable',
        `${path || 'configuration'}: environment variable ${name} is not set; export it, or write \${${name}:-default}`,
        { path },
      );
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => substitute(item, env, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, {
        value: substitute(item, env, path ? `${path}.${key}` : key),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}
