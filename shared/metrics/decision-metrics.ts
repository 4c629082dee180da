/**
 * The authorizer's decisions as CloudWatch metrics in Embedded Metric Format (EMF): CloudWatch Logs turns
 * these log lines into metrics, so the function needs no PutMetricData call and no permission for one.
 * A decision costs a counter increment and a comparison; the counts are written as EMF lines once per
 * `flushEvery` counted events, and by a timer every `flushIntervalMs` (started once, at cold start), never a
 * line per request. Counts not yet written are lost when Lambda shuts the container down.
 */
export interface DecisionMetrics {
  allowed(): void;
  /** `reason` is one of the authorizer's stable denial reasons (token_expired, no_rule, ...). */
  denied(reason: string): void;
  /** One JWKS fetch that went to the network, and whether it succeeded. */
  jwksFetched(ok: boolean): void;
}

export const NO_METRICS: DecisionMetrics = Object.freeze({
  allowed: () => undefined,
  denied: () => undefined,
  jwksFetched: () => undefined,
});

export const METRICS_NAMESPACE = 'CognitoGate';

export interface EmfMetricsOptions {
  /** The FunctionName dimension: the Lambda function's name. */
  readonly functionName: string;
  readonly flushEvery: number;
  readonly flushIntervalMs: number;
  readonly write?: (line: string) => void;
  readonly now?: () => number;
}

const count = (name: string) => ({ Name: name, Unit: 'Count' });

/** Counters in memory, written as EMF lines by `flush()`. */
export class EmfDecisionMetrics implements DecisionMetrics {
  private allowedCount = 0;
  private jwksFetches = 0;
  private jwksFailures = 0;
  private deniedByReason = new Map<string, number>();
  private pending = 0;
  private readonly write: (line: string) => void;
  private readonly now: () => number;

  constructor(private readonly options: EmfMetricsOptions) {
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.now = options.now ?? Date.now;
    // One timer for the container's life: arming one per batch cost more than all the counting (bench/).
    // Unref'd, so that a test or a bench can exit; a frozen container's timer fires when Lambda thaws it.
    setInterval(() => this.flush(), options.flushIntervalMs).unref();
  }

  allowed(): void {
    this.allowedCount++;
    this.counted();
  }

  denied(reason: string): void {
    this.deniedByReason.set(reason, (this.deniedByReason.get(reason) ?? 0) + 1);
    this.counted();
  }

  jwksFetched(ok: boolean): void {
    this.jwksFetches++;
    if (!ok) this.jwksFailures++;
    this.counted();
  }

  /**
   * Writes what was counted since the last flush: one line for Allowed and the JWKS counts, one per denial
   * reason (the Reason dimension takes one value per line), then starts counting from zero.
   */
  flush(): void {
    if (this.pending === 0) return;
    const Timestamp = this.now();
    const FunctionName = this.options.functionName;
    // One EMF line: its metric values and dimension values are members beside the _aws metadata.
    const line = (dimensions: string[][], values: Record<string, number | string>) =>
      JSON.stringify({
        _aws: {
          Timestamp,
          CloudWatchMetrics: [
            {
              Namespace: METRICS_NAMESPACE,
              Dimensions: dimensions,
              Metrics: Object.keys(values)
                .filter((name) => typeof values[name] === 'number')
                .map(count),
            },
          ],
        },
        FunctionName,
        ...values,
      });
    this.write(
      line([['FunctionName']], {
        Allowed: this.allowedCount,
        JwksFetches: this.jwksFetches,
        JwksFetchFailures: this.jwksFailures,
      }),
    );
    for (const [Reason, Denied] of this.deniedByReason) {
      this.write(line([['FunctionName'], ['FunctionName', 'Reason']], { Reason, Denied }));
    }
    this.allowedCount = 0;
    this.jwksFetches = 0;
    this.jwksFailures = 0;
    this.deniedByReason.clear();
    this.pending = 0;
  }

  private counted(): void {
    if (++this.pending >= this.options.flushEvery) this.flush();
  }
}
