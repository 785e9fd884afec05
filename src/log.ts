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

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, destination?: DestinationStream): Logger {
  const options = {
    level: config.LOG_LEVEL,
    base: { app: 'otklik' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
