import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const SERVICE_DIR = fileURLToPath(new URL('../../', import.meta.url));
const SERVERLESS_BIN = fileURLToPath(new URL('../../node_modules/serverless/bin/serverless.js', import.meta.url));

/** `sls package` of the local stage with CONSOLE=off in the shell (a deployed stage: --param="console=off"). */
describe('CONSOLE=off at package time', () => {
  const esbuildDir = `.esbuild-console-off-${process.pid}`;
  let packageDir: string | undefined;

  afterAll(async () => {
    if (packageDir) await rm(packageDir, { recursive: true, force: true });
    await rm(join(SERVICE_DIR, esbuildDir), { recursive: true, force: true });
  });

  it('packages no console function, no /console route and no console role', async () => {
    // Prepare
    packageDir = await mkdtemp(join(tmpdir(), 'cg-console-off-'));
    // Act
    await promisify(execFile)(
      process.execPath,
      [SERVERLESS_BIN, 'package', '--stage', 'dev', '--package', packageDir],
      {
        cwd: SERVICE_DIR,
        env: { ...process.env, CONSOLE: 'off', GATE_ESBUILD_DIR: esbuildDir, SLS_TELEMETRY_DISABLED: '1' },
      },
    );
    const template = JSON.parse(
      await readFile(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8'),
    ) as { Resources: Record<string, { Type: string; Properties?: { RouteKey?: string } }> };
    // Assess
    const resources = Object.entries(template.Resources);
    const routes = resources.flatMap(([, resource]) => resource.Properties?.RouteKey ?? []);
    expect(routes).toContain('GET /echo');
    expect(routes.filter((route) => route.includes('/console'))).toEqual([]);
    expect(resources.filter(([name]) => name.startsWith('Console'))).toEqual([]);
  }, 120_000);
});
