/**
 * Reading a configuration file: YAML or JSON, with `${NAME}` (and `${NAME:-default}`) replaced by
 * environment variables in string values, so that secrets stay out of the file.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError } from '../errors.js';
import { Problems } from './problems.js';

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

// YAML reads `{` and `}` as flow-mapping brackets, so `- { name: web, writeKey: ${WRITE_KEY} }`
// would not parse. Before parsing, the brackets of each `${...}` are swapped for private-use
// characters (one for one, so syntax errors keep their columns); they are put back after.
const VARIABLE_IN_TEXT = /\$\{([A-Za-z_][A-Za-z0-9_]*(?::-[^}\n]*)?)\}/g;
const OPEN = '\uE001';
const CLOSE = '\uE002';

export function shieldVariables(text: string): string {
  return text.replace(VARIABLE_IN_TEXT, (_, inner: string) => `$${OPEN}${inner}${CLOSE}`);
}

export function unshield(text: string): string {
  return text.replaceAll(OPEN, '{').replaceAll(CLOSE, '}');
}

/**
 * The parsed content. Throws ConfigError `config_unreadable`, `config_syntax`, or
 * `missing_variable` (an InvalidConfigError naming every unset variable with its key path).
 */
export function readConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new ConfigError('config_unreadable', `cannot read configuration ${file}: ${reason}`);
  }
  const json = file.endsWith('.json');
  let parsed: unknown;
  try {
    parsed = json ? JSON.parse(text) : parseYaml(shieldVariables(text));
  } catch (error) {
    throw new ConfigError(
      'config_syntax',
      `configuration ${file} is not valid ${json ? 'JSON' : 'YAML'}: ${syntaxReason(error, text)}`,
    );
  }
  const problems = new Problems();
  const out = substitute(parsed, env, '', problems);
  if (problems.size > 0) problems.throwIfAny([], 'missing_variable');
  return out;
}

/**
 * Where and what, without the parser's excerpt of the file: the line could hold a secret written
 * in clear (V8's JSON errors quote the text, YAML's pretty errors print the line).
 */
export function syntaxReason(error: unknown, text: string): string {
  if (error instanceof YAMLParseError) {
    const at = error.linePos?.[0];
    const what = error.message.split(' at line ')[0];
    return at ? `${what} at line ${at.line}, column ${at.col}` : what!;
  }
  const message = (error as Error).message;
  const position = /at position (\d+)/.exec(message);
  // "Unexpected token 'x', "...the text..." is not valid JSON": keep the token, drop the text.
  const what = message.replace(/,\s*(\.\.\.)?".*$/s, '').replace(/ in JSON at position \d+.*$/s, '');
  if (!position) return what;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  return `${what} at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}

function substitute(value: unknown, env: NodeJS.ProcessEnv, path: string, problems: Problems): unknown {
  if (typeof value === 'string') {
    return unshield(value).replace(VARIABLE, (whole, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      problems.add(path, `environment variable ${name} is not set; export it, or write \${${name}:-default}`);
      return whole;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => substitute(item, env, `${path}[${i}]`, problems));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty: a `__proto__` key stays an ordinary (and then unknown) key.
      Object.defineProperty(out, unshield(key), {
        value: substitute(item, env, path ? `${path}.${key}` : key, problems),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}
