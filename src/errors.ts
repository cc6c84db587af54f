/**
 * Errors are values: a stable machine code and one human sentence that says what is wrong and
 * how to fix it. They travel unchanged to HTTP responses, the delivery log and the console.
 */
export interface Rejection {
  readonly code: string;
  readonly message: string;
}

export function reject(code: string, message: string): Rejection {
  return { code, message };
}

/**
 * A configuration that cannot work (bad trigger, bad mapping, unknown action...). Thrown while a
 * configuration is compiled, never while an event is processed.
 */
export class ConfigError extends Error implements Rejection {
  readonly code: string;
  /** Where in the configuration, e.g. `destinations[0].subscriptions[2].trigger`. */
  readonly path: string | undefined;
  /** 0-based character offset in the source text, for trigger syntax errors. */
  readonly position: number | undefined;

  constructor(code: string, message: string, options: { path?: string; position?: number } = {}) {
    super(message);
    this.name = 'ConfigError';
    this.code = code;
    this.path = options.path;
    this.position = options.position;
  }
}

/** A configuration error as one line for a person: where it is, then what is wrong. */
export function configErrorText(error: ConfigError): string {
  return error.path && !error.message.startsWith(error.path)
    ? `${error.path}: ${error.message}`
    : error.message;
}
