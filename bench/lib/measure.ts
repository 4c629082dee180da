/** One thing to time: op(i) is called for i = 0, 1, 2, ... across all batches. */
export interface Target {
  readonly id: string;
  /** Ops per timed batch: large enough that a batch takes a few milliseconds. */
  readonly batch: number;
  readonly sync?: (i: number) => unknown;
  readonly async?: (i: number) => Promise<unknown>;
}

export interface Sample {
  readonly id: string;
  /** ns/op, one per batch. */
  readonly perBatch: number[];
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
  readonly ops: number;
}

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export const median = (values: readonly number[]) => quantile(values, 0.5);

/** Every result lands here, so that no call can be optimised away. */
// biome-ignore lint/correctness/noUnusedVariables: written, never read, on purpose
let sink: unknown;

async function runBatch(target: Target, start: number, count: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  if (target.sync) {
    const op = target.sync;
    for (let i = start; i < start + count; i++) sink = op(i);
  } else {
    const op = target.async!;
    for (let i = start; i < start + count; i++) sink = await op(i);
  }
  return Number(process.hrtime.bigint() - t0);
}

/**
 * Warm-up, then `rounds` rounds; in each round every target runs one timed batch, in an order that rotates
 * from round to round, so drift (thermal, GC, JIT) spreads over all targets alike. Reports the median ns/op
 * over batches.
 */
export async function measureInterleaved(
  targets: readonly Target[],
  { rounds, warmupBatches }: { rounds: number; warmupBatches: number },
): Promise<Sample[]> {
  const cursor = new Map<string, number>(targets.map((t) => [t.id, 0]));
  const perBatch = new Map<string, number[]>(targets.map((t) => [t.id, []]));
  const step = async (target: Target, record: boolean) => {
    const start = cursor.get(target.id)!;
    const ns = await runBatch(target, start, target.batch);
    // Untimed: I/O and timers get their turn between batches, as between Lambda invocations (a background read).
    await new Promise((resolve) => setImmediate(resolve));
    cursor.set(target.id, start + target.batch);
    if (record) perBatch.get(target.id)!.push(ns / target.batch);
  };
  for (let w = 0; w < warmupBatches; w++) for (const target of targets) await step(target, false);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < targets.length; k++) await step(targets[(round + k) % targets.length]!, true);
  }
  return targets.map((target) => {
    const values = perBatch.get(target.id)!;
    return {
      id: target.id,
      perBatch: values,
      median: median(values),
      p25: quantile(values, 0.25),
      p75: quantile(values, 0.75),
      ops: values.length * target.batch,
    };
  });
}
