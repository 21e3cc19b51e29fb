/** Log levels accepted by `--log-level` / `RDD_LOG_LEVEL` (winston's npm levels that we use). */
export const logLevels = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof logLevels)[number];

export class InvalidLogLevelError extends Error {
  override readonly name = 'InvalidLogLevelError';
  constructor(readonly level: string) {
    super(`invalid log level ${JSON.stringify(level)}; valid levels: ${logLevels.join(', ')}`);
  }
}

/** The flag's level, else `RDD_LOG_LEVEL`, else `info`; throws naming the valid levels. */
export function resolveLogLevel(flag: string | undefined, env: NodeJS.ProcessEnv): LogLevel {
  const level = flag ?? (env.RDD_LOG_LEVEL || 'info');
  if (!(logLevels as readonly string[]).includes(level)) throw new InvalidLogLevelError(level);
  return level as LogLevel;
}
