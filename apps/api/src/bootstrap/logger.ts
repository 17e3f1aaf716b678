import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Structured logs: one JSON object per line in production (LOG_FORMAT=json), readable otherwise. */
export function createLogger(config: AppConfig): ConsoleLogger {
  const upTo = LEVELS.indexOf(config.log.level);
  return new ConsoleLogger('correio', {
    json: config.log.format === 'json',
    colors: config.log.format === 'pretty' && process.stdout.isTTY,
    logLevels: LEVELS.slice(0, upTo + 1),
  });
}
