import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../test/stack/ports.js';

export interface DevStartup {
  /** From `npm run dev` being spawned to the banner's last line, per sample. */
  readonly samplesMs: readonly number[];
  readonly medianMs: number;
}

const BANNER_END = 'Ctrl-C stops everything';

/**
 * `npm run dev` as on a fresh clone: a new state folder (so the seed creates everything) and a new esbuild folder
 * (so the functions are built), on free ports. Timed to the banner, then stopped with Ctrl-C (SIGINT to its group).
 */
export async function measureDevStartup(root: string, samples: number): Promise<DevStartup> {
  const times: number[] = [];
  for (let sample = 0; sample < samples; sample++) {
    const stateDir = mkdtempSync(join(tmpdir(), 'cg-bench-dev-'));
    const esbuildDir = `.esbuild-bench-dev-${process.pid}-${sample}`;
    const ports = {
      GATE_COGNITO_PORT: await findFreePort(),
      GATE_HOSTED_UI_PORT: await findFreePort(),
      GATE_HTTP_PORT: await findFreePort(),
      GATE_LAMBDA_PORT: await findFreePort(),
    };
    const started = process.hrtime.bigint();
    const child = spawn('npm', ['run', 'dev'], {
      cwd: root,
      env: {
        ...process.env,
        ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
        GATE_STATE_DIR: stateDir,
        GATE_ESBUILD_DIR: esbuildDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let output = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`npm run dev printed no banner within 60 s:\n${output}`)),
          60_000,
        );
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes(BANNER_END)) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.once('exit', (code) => reject(new Error(`npm run dev exited (${code}) before its banner:\n${output}`)));
      });
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    } finally {
      try {
        process.kill(-child.pid!, 'SIGINT');
      } catch {
        // already gone
      }
      await exited;
      rmSync(stateDir, { recursive: true, force: true });
      rmSync(join(root, esbuildDir), { recursive: true, force: true });
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { samplesMs: times, medianMs: sorted[Math.floor(sorted.length / 2)]! };
}
