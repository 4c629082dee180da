import { spawn } from 'node:child_process';
import { median, quantile } from './measure.js';

export interface ColdTarget {
  readonly id: string;
  readonly bundle: string;
  readonly mode: 'decide' | 'load';
  readonly env: Record<string, string>;
  /** For mode 'decide': the event to invoke the handler with. */
  readonly event?: unknown;
  /** Checks the answer: the decision (mode 'decide'; `{ refused }` when the handler threw) or 'loaded'. */
  readonly expect: (response: unknown) => boolean;
}

export interface ColdRun {
  readonly bootMs: number;
  readonly loadedMs: number;
  readonly decidedMs: number | null;
}

export interface ColdSample {
  readonly id: string;
  readonly runs: ColdRun[];
  /** Median ms from spawn() to the bundle's module being evaluated. */
  readonly loadedMs: number;
  /** Median ms from spawn() to the first decision returned (mode 'decide'). */
  readonly decidedMs: number | null;
  readonly decidedP25: number | null;
  readonly decidedP75: number | null;
  readonly decidedP95: number | null;
  /** Median ms from spawn() to the driver's first line: node's own start-up, the same for every target. */
  readonly bootMs: number;
}

const DRIVER = new URL('../cold/driver.mjs', import.meta.url).pathname;

export function runOnce(target: ColdTarget): Promise<ColdRun> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...target.env,
      BENCH_BUNDLE: target.bundle,
      BENCH_MODE: target.mode,
      ...(target.event ? { BENCH_EVENT: JSON.stringify(target.event) } : {}),
    };
    env.BENCH_SPAWN_NS = process.hrtime.bigint().toString();
    const child = spawn(process.execPath, [DRIVER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (code !== 0 || !line) {
        reject(new Error(`bench: cold run of ${target.id} failed (exit ${code}): ${err || out}`));
        return;
      }
      const result = JSON.parse(line.slice('BENCH_RESULT '.length)) as ColdRun & { response: unknown };
      if (!target.expect(result.response)) {
        reject(new Error(`bench: cold run of ${target.id} answered unexpectedly: ${JSON.stringify(result.response)}`));
        return;
      }
      resolve({ bootMs: result.bootMs, loadedMs: result.loadedMs, decidedMs: result.decidedMs });
    });
  });
}

/** `samples` fresh processes per target, targets interleaved (order alternating), after `warmup` unrecorded runs each. */
export async function measureCold(
  targets: readonly ColdTarget[],
  { samples, warmup }: { samples: number; warmup: number },
): Promise<ColdSample[]> {
  const runs = new Map<string, ColdRun[]>(targets.map((t) => [t.id, []]));
  for (let w = 0; w < warmup; w++) for (const target of targets) await runOnce(target);
  for (let s = 0; s < samples; s++) {
    const order = s % 2 === 0 ? targets : [...targets].reverse();
    for (const target of order) runs.get(target.id)!.push(await runOnce(target));
  }
  return targets.map((target) => {
    const list = runs.get(target.id)!;
    const decided = list.map((r) => r.decidedMs).filter((v): v is number => v !== null);
    return {
      id: target.id,
      runs: list,
      loadedMs: median(list.map((r) => r.loadedMs)),
      bootMs: median(list.map((r) => r.bootMs)),
      decidedMs: decided.length ? median(decided) : null,
      decidedP25: decided.length ? quantile(decided, 0.25) : null,
      decidedP75: decided.length ? quantile(decided, 0.75) : null,
      decidedP95: decided.length ? quantile(decided, 0.95) : null,
    };
  });
}
