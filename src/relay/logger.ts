/**
 * The relay's log: JSON lines (pino) on stderr, level from LOG_LEVEL (default info). Credentials
 * are never passed to the logger, and the paths where one could still slip in are redacted.
 */
import pino, { type Logger } from 'pino';

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env['LOG_LEVEL'] ?? 'info',
      base: { service: 'cio-relay' },
      redact: {
        paths: ['req.headers.authorization', '*.apiKey', '*.writeKey', '*.token', 'apiKey', 'writeKey'],
        censor: '[redacted]',
      },
    },
    (options.destination as pino.DestinationStream | undefined) ?? pino.destination(2),
  );
}

export type { Logger };
