/** For unit tests that assert what was logged: a winston logger that keeps each line with its level. */
import winston from 'winston';
import Transport from 'winston-transport';

export interface RecordingLogger {
  readonly logger: winston.Logger;
  /** `<level> <message>`, in order. */
  readonly lines: string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const transport = new Transport();
  transport.log = (info: { level: string; message: string }, next: () => void) => {
    lines.push(`${info.level} ${info.message}`);
    next();
  };
  return { logger: winston.createLogger({ level: 'debug', transports: [transport] }), lines };
}
