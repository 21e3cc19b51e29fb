/**
 * The daemon's one root logger. Every actor logs through `root.child({ actor: id })`. The file log is
 * JSON with size-capped rotation; a foreground daemon also prints readable lines on stderr.
 */
import path from 'node:path';
import winston from 'winston';
import type { LogLevel } from '../protocol/logging.js';

export interface RootLoggerOptions {
  level: LogLevel;
  logDir: string;
  /** Also log to stderr (a foreground `rdd svc run`). */
  console: boolean;
}

export const daemonLogFile = 'rdd.log';

export function createRootLogger({ level, logDir, console }: RootLoggerOptions): winston.Logger {
  const transports: winston.transport[] = [
    new winston.transports.File({
      filename: path.join(logDir, daemonLogFile),
      maxsize: 10 * 1024 * 1024,
      maxFiles: 5,
      tailable: true,
      format: winston.format.combine(
        winston.format.timestamp(),
        winston.format.errors({ stack: true }),
        winston.format.json(),
      ),
    }),
  ];
  if (console) {
    transports.push(
      new winston.transports.Console({
        stderrLevels: ['error', 'warn', 'info', 'debug'],
        format: winston.format.combine(
          winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
          winston.format.printf(({ timestamp, level: lvl, message, actor }) => {
            const who = typeof actor === 'string' ? ` ${actor}` : '';
            return `${String(timestamp)} ${lvl.toUpperCase().padEnd(5)}${who}: ${String(message)}`;
          }),
        ),
      }),
    );
  }
  return winston.createLogger({ level, transports });
}

/** A logger that drops everything, for code paths that have no root logger (and for tests). */
export function silentLogger(): winston.Logger {
  return winston.createLogger({ silent: true });
}
