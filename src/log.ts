import { pino, type Logger, type DestinationStream } from 'pino';
import type { Config } from './config/config.js';
import { SECRET_KEYS } from './config/config.js';

/** Paths pino blanks wherever they appear in a log object. */
export const REDACT_PATHS = [
  ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `config.${k}`]),
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

/**
 * The engine's logger. `pretty` formats lines for a person at a terminal (pino-pretty, in a
 * worker thread); otherwise one JSON object a line for log collectors.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, destination?: DestinationStream, pretty = false): Logger {
  const options = {
    level: config.LOG_LEVEL,
    base: { app: 'otklik' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (destination) return pino(options, destination);
  if (pretty) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app', singleLine: true } },
    });
  }
  return pino(options);
}
