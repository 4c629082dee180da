import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { type ColdSample, measureCold } from '../lib/cold.js';
import { isAllow, SHIPPED_ROUTE } from '../lib/fixtures.js';
import { COLD_SAMPLES } from '../settings.js';
import type { Bundles } from './bundles.js';
import type { Workload } from './workload.js';

export interface SdkFootprint {
  readonly files: number;
  readonly bytes: number;
}

export interface ColdResults {
  /** The floors and the authorizer: 'floor', 'floor-https', 'authorizer', 'authorizer-shipped', 'bare'. */
  readonly authorizer: ColdSample[];
  /** The admin function to module loaded: 'external', 'bundled'. */
  readonly admin: ColdSample[];
  /** What the external admin build loads from node_modules. */
  readonly sdk: SdkFootprint;
}

const ADMIN_ENV = { COGNITO_USER_POOL_ID: 'eu-west-1_BenchPool', AWS_REGION: 'eu-west-1', LOG_LEVEL: 'info' };

/** A fresh `node` process per sample (bench/cold/driver.mjs): the authorizer beside the floors, and the admin function. */
export async function measureColdStarts(
  workload: Workload,
  bundles: Bundles,
  log: (m: string) => void,
): Promise<ColdResults> {
  const { authorizerEnv, shippedEnv, shippedEvent, events } = workload;
  const allowed = (r: unknown) => isAllow(r);
  const decide = (id: string, bundle: string) =>
    ({ id, bundle, mode: 'decide', env: authorizerEnv, event: events[2], expect: allowed }) as const;
  const authorizer = await measureCold(
    [
      decide('floor', bundles.floor.file),
      decide('floor-https', bundles.floorHttps.file),
      decide('authorizer', bundles.authorizer.file),
      {
        id: 'authorizer-shipped',
        bundle: bundles.authorizer.file,
        mode: 'decide',
        env: shippedEnv,
        event: shippedEvent,
        expect: (r) => isAllow(r, SHIPPED_ROUTE),
      },
      decide('bare', bundles.bare.file),
    ],
    { samples: COLD_SAMPLES, warmup: 2 },
  );
  log('cold authorizer: done');
  const loaded = (r: unknown) => r === 'loaded';
  const admin = await measureCold(
    [
      { id: 'external', bundle: bundles.adminExternal.file, mode: 'load', env: ADMIN_ENV, expect: loaded },
      { id: 'bundled', bundle: bundles.adminBundled.file, mode: 'load', env: ADMIN_ENV, expect: loaded },
    ],
    { samples: COLD_SAMPLES, warmup: 2 },
  );
  log('cold admin: done');
  return { authorizer, admin, sdk: sdkFootprint(bundles.adminExternal.file, ADMIN_ENV) };
}

/** What the external admin build pulls from node_modules at import: files and bytes. */
function sdkFootprint(bundle: string, env: Record<string, string>): SdkFootprint {
  const script = `import(${JSON.stringify(pathToFileURL(bundle).href)}).then(() => {
    const { statSync } = require('node:fs');
    const files = Object.keys(require.cache).filter((file) => file.includes('/node_modules/'));
    console.log(JSON.stringify({ files: files.length, bytes: files.reduce((sum, file) => sum + statSync(file).size, 0) }));
  });`;
  const out = execFileSync(process.execPath, ['--no-warnings', '-e', script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!) as SdkFootprint;
}
