/**
 * Everything wrong with a configuration, reported at once: fixing one problem per start is slow.
 */
import { ConfigError } from '../errors.js';

/** One problem. `message` is the whole line for people and starts with `path`. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * A configuration with one or more problems. `message` lists them one per line; a problem that
 * needs more (a trigger's excerpt with a caret under the mistake) continues on indented lines.
 */
export class InvalidConfigError extends ConfigError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], code = 'invalid_config') {
    super(code, problems.map((p) => p.message.replaceAll('\n', '\n    ')).join('\n'), {
      path: problems.length === 1 ? problems[0]?.path : undefined,
    });
    this.name = 'InvalidConfigError';
    this.problems = problems;
  }
}

/** Collects problems while a configuration is checked. */
export class Problems {
  readonly list: ConfigProblem[] = [];

  /** `text` says what is wrong, e.g. `must be an integer from 1 to 1000 (got 5000)`. */
  add(path: string, text: string): void {
    this.list.push({ path, message: `${path || 'configuration'}: ${text}` });
  }

  /** A ConfigError thrown by a compiler (trigger, mapping, endpoint...) found at `path`. */
  addError(error: ConfigError, path: string): void {
    const where = error.path ?? path;
    const message = error.message.startsWith(where) ? error.message : `${where}: ${error.message}`;
    this.list.push({ path: where, message });
  }

  /** Runs `compile`; a ConfigError it throws becomes a problem at `path`. */
  attempt<T>(path: string, compile: () => T): T | undefined {
    try {
      return compile();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.addError(error, path);
      return undefined;
    }
  }

  /** Whether a problem was found at `path` or under it. */
  hasAt(path: string): boolean {
    return this.list.some(
      (p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`),
    );
  }

  get size(): number {
    return this.list.length;
  }

  /**
   * Throws them all as one InvalidConfigError, with every secret value scrubbed: a secret pasted
   * into the wrong key (say `region: ${CIO_API_KEY}`) would otherwise be echoed as `(got "...")`.
   */
  throwIfAny(secrets: readonly string[], code = 'invalid_config'): void {
    if (this.list.length === 0) return;
    const scrub = secrets.filter((s) => s.length >= MIN_SCRUBBED_LENGTH);
    throw new InvalidConfigError(
      this.list.map((p) => ({ path: p.path, message: redact(p.message, scrub) })),
      code,
    );
  }
}

// Shorter values would also match ordinary text (indexes, key names); secret fields are never
// echoed anyway, this only guards against a secret sitting in another key.
const MIN_SCRUBBED_LENGTH = 4;

function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}
