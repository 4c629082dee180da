import middy from '@middy/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeadlineExceededError } from '../../../shared/errors/gate-error.js';
import { DEADLINE_MARGIN_MS, middyDeadline, withinDeadline } from '../../../shared/lambda/deadline.js';
import { createLogger } from '../../../shared/logging/logger.js';

function capture() {
  const lines: string[] = [];
  return { logger: createLogger('test', { write: (line) => lines.push(line) }), lines };
}
/** Lambda's context as far as the deadline reads it: the time left, counted down by the (fake) clock. */
function contextWith(remainingMs: number) {
  const end = Date.now() + remainingMs;
  return { getRemainingTimeInMillis: () => end - Date.now() };
}
const never = () => new Promise<never>(() => undefined);

afterEach(() => vi.useRealTimers());

describe('the deadline', () => {
  it('fails a wait that outlives the budget with a 503 DeadlineExceededError, logged with its reason', async () => {
    // Prepare
    vi.useFakeTimers();
    const { logger, lines } = capture();
    const onExpired = vi.fn();
    // Act
    const answer = withinDeadline(never(), contextWith(6000), { logger, onExpired });
    const assertion = expect(answer).rejects.toBeInstanceOf(DeadlineExceededError);
    await vi.advanceTimersByTimeAsync(6000 - DEADLINE_MARGIN_MS);
    // Assess
    await assertion;
    await expect(answer).rejects.toMatchObject({ status: 503, reason: 'deadline_exceeded' });
    expect(onExpired).toHaveBeenCalledOnce();
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'error',
      message: 'deadline exceeded',
      reason: 'deadline_exceeded',
    });
  });

  it('answers with the work when it is in time, and leaves no timer behind', async () => {
    vi.useFakeTimers();
    const { logger, lines } = capture();
    const answer = withinDeadline(Promise.resolve('allowed'), contextWith(6000), { logger });
    await expect(answer).resolves.toBe('allowed');
    expect(vi.getTimerCount()).toBe(0);
    expect(lines).toEqual([]);
  });

  it('gives up at once when less than the margin is left', async () => {
    vi.useFakeTimers();
    const answer = withinDeadline(never(), contextWith(DEADLINE_MARGIN_MS - 100), capture());
    const assertion = expect(answer).rejects.toBeInstanceOf(DeadlineExceededError);
    await vi.advanceTimersByTimeAsync(0);
    await assertion;
  });

  it('races nothing without a Lambda context (tests, scripts)', () => {
    const work = Promise.resolve(1);
    expect(withinDeadline(work, undefined, capture())).toBe(work);
  });

  it('makes a middy handler that never answers fail with DeadlineExceededError before the Lambda timeout', async () => {
    // Prepare (real timers: middy takes setTimeout from node:timers, which fake timers leave alone)
    const { logger, lines } = capture();
    const handler = middy(middyDeadline(logger)).handler(never);
    const started = Date.now();
    // Act
    const answer = handler({}, contextWith(DEADLINE_MARGIN_MS + 100) as never);
    // Assess
    await expect(answer).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - started).toBeLessThan(DEADLINE_MARGIN_MS + 100);
    expect(lines).toHaveLength(1);
  });
});
