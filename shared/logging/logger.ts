/**
 * One structured JSON line per event. Callers pass only fields that are safe to log: never a token, a
 * secret or a password. `redactSecrets` is a last line of defence for values that look like JWTs.
 */
/** LOG_LEVEL's values; each function's config reads it and refuses anything else. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const JWT_SHAPE = /eyJ[\w-]+\.[\w-]+\.[\w-]*/g;
const TRACE_ROOT = /(?:^|;)\s*Root=([^;]+)/;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** What a Lambda context holds that a log line needs. */
export interface InvocationContext {
  readonly awsRequestId?: string;
}

/** A function's logger: told once per invocation which request it serves, it puts the ids on every line. */
export interface InvocationLogger extends Logger {
  /**
   * Every line from now until the next call carries Lambda's request id (`requestId`), API Gateway's
   * (`apiRequestId`) and the X-Ray trace id (`traceId`) when there is one. Costs two assignments: the ids
   * are read only when a line is written. A container serves one invocation at a time.
   */
  startInvocation(event: unknown, context: InvocationContext | undefined): void;
}

export function redactSecrets(line: string): string {
  return line.replace(JWT_SHAPE, '[redacted-jwt]');
}

/** The X-Ray trace id (the Root of Lambda's trace header), or undefined without one. */
export function traceIdOf(traceHeader: string | undefined): string | undefined {
  return traceHeader ? TRACE_ROOT.exec(traceHeader)?.[1] : undefined;
}

function apiRequestIdOf(event: unknown): string | undefined {
  const requestId = (event as { requestContext?: { requestId?: unknown } } | null | undefined)?.requestContext
    ?.requestId;
  return typeof requestId === 'string' ? requestId : undefined;
}

export function createLogger(
  service: string,
  {
    level = 'info',
    write = (line: string) => process.stdout.write(`${line}\n`),
    traceHeader = () => process.env._X_AMZN_TRACE_ID,
  }: {
    level?: LogLevel;
    write?: (line: string) => void;
    /** Lambda sets _X_AMZN_TRACE_ID per invocation. */
    traceHeader?: () => string | undefined;
  } = {},
): InvocationLogger {
  const threshold = LEVEL_ORDER[level];
  let event: unknown;
  let context: InvocationContext | undefined;
  const emit = (lvl: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVEL_ORDER[lvl] < threshold) return;
    // The ids come last, so that no caller's field can pass for them; undefined ones are left out.
    const line = {
      level: lvl,
      service,
      message,
      ...fields,
      requestId: context?.awsRequestId,
      apiRequestId: apiRequestIdOf(event),
      traceId: traceIdOf(traceHeader()),
      time: new Date().toISOString(),
    };
    write(redactSecrets(JSON.stringify(line)));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    startInvocation(nextEvent, nextContext) {
      event = nextEvent;
      context = nextContext;
    },
  };
}
