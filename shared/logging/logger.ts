/**
 * One structured JSON line per event. Callers pass only fields that are safe to log: never a token, a
 * secret or a password. `redactSecrets` is a last line of defence for values that look like JWTs.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const JWT_SHAPE = /eyJ[\w-]+\.[\w-]+\.[\w-]*/g;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export function redactSecrets(line: string): string {
  return line.replace(JWT_SHAPE, '[redacted-jwt]');
}

export function createLogger(
  service: string,
  {
    level = 'info',
    write = (line: string) => process.stdout.write(`${line}\n`),
  }: { level?: LogLevel; write?: (line: string) => void } = {},
): Logger {
  const threshold = LEVEL_ORDER[level];
  const emit = (lvl: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVEL_ORDER[lvl] < threshold) return;
    write(redactSecrets(JSON.stringify({ level: lvl, service, message, ...fields, time: new Date().toISOString() })));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

export function logLevelFrom(value: string | undefined): LogLevel {
  return value === 'debug' || value === 'warn' || value === 'error' ? value : 'info';
}
