import { DeadlineExceededError } from '../errors/gate-error.js';
import type { Logger } from '../logging/logger.js';

/**
 * Each function answers before its Lambda timeout: at `remaining time - DEADLINE_MARGIN_MS` it gives up on
 * whatever it waits for (discovery, the token endpoint, JWKS, SSM, Cognito) and answers 503 with a logged
 * reason, instead of ending as a Lambda timeout. The margin is what answering, logging and returning need.
 */
export const DEADLINE_MARGIN_MS = 500;

/** The part of Lambda's context that tells the time left. Absent in tests that pass no context. */
export interface DeadlineContext {
  getRemainingTimeInMillis?: () => number;
}

function expired(logger: Logger, marginMs: number): DeadlineExceededError {
  logger.error('deadline exceeded', { reason: 'deadline_exceeded', marginMs });
  return new DeadlineExceededError('The service could not answer in time; please try again');
}

/**
 * middy's own early-timeout race (it reads context.getRemainingTimeInMillis), set to fail the request with a
 * DeadlineExceededError that the function's error handler turns into 503.
 */
export function middyDeadline(logger: Logger, marginMs = DEADLINE_MARGIN_MS) {
  return {
    timeoutEarlyInMillis: marginMs,
    timeoutEarlyResponse: (): never => {
      throw expired(logger, marginMs);
    },
  };
}

/**
 * `work`, or a DeadlineExceededError at the deadline: for a handler that races only its slow path (the
 * authorizer, whose warm path answers without a promise and must not pay for a timer).
 */
export function withinDeadline<T>(
  work: Promise<T>,
  context: DeadlineContext | undefined,
  { logger, onExpired, marginMs = DEADLINE_MARGIN_MS }: { logger: Logger; onExpired?: () => void; marginMs?: number },
): Promise<T> {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (remaining === undefined) return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        onExpired?.();
        reject(expired(logger, marginMs));
      },
      Math.max(0, remaining - marginMs),
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
