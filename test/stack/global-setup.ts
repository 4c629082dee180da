import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type LocalStackInfo, stackInfo, startLocalStack } from './local-stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: LocalStackInfo;
  }
}

/** One local stack per test run, on free ports, with its state in a temp dir; torn down after. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The tests that wait for a revocation wait one refresh period and a second; the product's 5 s made that most of
  // their time. The local stage reads it from the shell, and so do those tests (revocation-refresh.ts).
  process.env.REVOCATION_REFRESH_SECONDS ??= '1';
  const stateDir = await mkdtemp(join(tmpdir(), 'cognito-gate-stack-'));
  const stack = await startLocalStack({
    stateDir,
    ports: { cognito: 0, hostedUi: 0, http: 0, lambda: 0 },
    esbuildDir: '.esbuild-test',
  });
  project.provide('stack', stackInfo(stack));
  return async () => {
    await stack.stop();
    await rm(stateDir, { recursive: true, force: true });
  };
}
