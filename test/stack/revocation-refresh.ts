import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * The revocation refresh period the local stack's functions run with: REVOCATION_REFRESH_SECONDS when the shell
 * sets it (the local stage reads the shell), else serverless.yml's default.
 */
export function revocationRefreshSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const fromShell = env.REVOCATION_REFRESH_SECONDS;
  if (fromShell) return Number(fromShell);
  const serverless = parse(readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8'), {
    logLevel: 'silent',
  }) as { params: { default: { revocationRefreshSeconds: string } } };
  return Number(serverless.params.default.revocationRefreshSeconds);
}
