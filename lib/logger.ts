import 'server-only';
import pino from 'pino';
import { getEnv } from './env';

/**
 * Structured logs to stderr (stdout stays clean for the CLI's JSON). Secrets are redacted by path
 * as a second line of defence; the first is never logging them.
 */
function levelFromEnv(): string {
  try {
    return getEnv().LOG_LEVEL;
  } catch {
    return 'info'; // the boot check reports the bad variable
  }
}

export const logger = pino(
  {
    level: levelFromEnv(),
    base: { app: 'proclens' },
    redact: {
      paths: ['apiKey', 'key', 'token', '*.apiKey', '*.token', 'headers["x-apikey"]', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  },
  pino.destination(2),
);
