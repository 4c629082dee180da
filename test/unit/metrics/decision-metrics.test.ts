import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmfDecisionMetrics, METRICS_NAMESPACE } from '../../../shared/metrics/decision-metrics.js';
import { metricsSettingsFromEnv } from '../../../shared/metrics/metrics-settings.js';

const FUNCTION_NAME = 'cognito-gate-prod-authorizer';

function capture(options: { flushEvery?: number; flushIntervalMs?: number } = {}) {
  const lines: string[] = [];
  const metrics = new EmfDecisionMetrics({
    functionName: FUNCTION_NAME,
    flushEvery: options.flushEvery ?? 1000,
    flushIntervalMs: options.flushIntervalMs ?? 60_000,
    write: (line) => lines.push(line),
    now: () => 1_796_160_000_000,
  });
  return { metrics, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, any>) };
}

/** What CloudWatch requires of an EMF document: every declared metric and dimension is a root key of the right type. */
function expectValidEmf(document: Record<string, any>): void {
  expect(document._aws.Timestamp).toBeTypeOf('number');
  for (const directive of document._aws.CloudWatchMetrics) {
    expect(directive.Namespace).toBe(METRICS_NAMESPACE);
    for (const metric of directive.Metrics) expect(document[metric.Name], metric.Name).toBeTypeOf('number');
    for (const set of directive.Dimensions) for (const key of set) expect(document[key], key).toBeTypeOf('string');
  }
}

afterEach(() => vi.useRealTimers());

describe('the decision metrics', () => {
  it('writes nothing per decision, and one set of lines after flushEvery decisions', () => {
    // Prepare
    const { metrics, lines, parsed } = capture({ flushEvery: 5 });
    // Act
    metrics.allowed();
    metrics.allowed();
    metrics.denied('token_expired');
    metrics.jwksFetched(true);
    const before = lines.length;
    metrics.denied('token_expired');
    // Assess
    expect(before).toBe(0);
    const [totals, expired] = parsed();
    expect(totals).toMatchObject({ FunctionName: FUNCTION_NAME, Allowed: 2, JwksFetches: 1, JwksFetchFailures: 0 });
    expect(expired).toMatchObject({ FunctionName: FUNCTION_NAME, Reason: 'token_expired', Denied: 2 });
    for (const document of parsed()) expectValidEmf(document);
  });

  it('writes one Denied line per reason, each counted on its own and in the FunctionName total', () => {
    // Prepare
    const { metrics, parsed } = capture();
    // Act
    metrics.denied('no_rule');
    metrics.denied('insufficient_scope');
    metrics.denied('no_rule');
    metrics.jwksFetched(false);
    metrics.flush();
    // Assess
    const [totals, ...denials] = parsed();
    expect(totals).toMatchObject({ Allowed: 0, JwksFetches: 1, JwksFetchFailures: 1 });
    expect(denials.map(({ Reason, Denied }) => [Reason, Denied])).toEqual([
      ['no_rule', 2],
      ['insufficient_scope', 1],
    ]);
    expect(denials[0]!._aws.CloudWatchMetrics[0].Dimensions).toEqual([['FunctionName'], ['FunctionName', 'Reason']]);
  });

  it('starts from zero after a flush, and writes nothing when nothing was counted', () => {
    const { metrics, lines, parsed } = capture();
    metrics.allowed();
    metrics.flush();
    metrics.flush();
    metrics.allowed();
    metrics.flush();
    expect(lines).toHaveLength(2);
    expect(parsed().map((document) => document.Allowed)).toEqual([1, 1]);
  });

  it('writes what a quiet container counted when its interval timer fires, and arms no timer per decision', () => {
    // Prepare
    vi.useFakeTimers();
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const { metrics, lines, parsed } = capture({ flushIntervalMs: 60_000 });
    // Act
    for (let i = 0; i < 10; i++) metrics.allowed();
    vi.advanceTimersByTime(59_999);
    const beforeInterval = lines.length;
    vi.advanceTimersByTime(1);
    vi.advanceTimersByTime(60_000); // nothing counted since: nothing written
    // Assess
    expect(beforeInterval).toBe(0);
    expect(parsed()).toHaveLength(1);
    expect(parsed()[0]).toMatchObject({ Allowed: 10 });
    expect(setTimeoutSpy).not.toHaveBeenCalled();
  });

  it('reads its settings from the environment, naming a bad variable', () => {
    expect(metricsSettingsFromEnv({ AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME })).toEqual({
      functionName: FUNCTION_NAME,
      flushEvery: 1000,
      flushIntervalMs: 60_000,
    });
    expect(() => metricsSettingsFromEnv({ METRICS_FLUSH_SECONDS: '0' })).toThrow(/METRICS_FLUSH_SECONDS/);
  });
});
