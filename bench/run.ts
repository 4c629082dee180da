/**
 * `npm run bench`: the authorizer's cost beside the floor and two common hand-written authorizers, warm and
 * cold, in one process run; revocation, decision metrics, the admin and token functions, `npm run dev` and the
 * console besides. Each section (bench/sections/*) measures; bench/report/* turns the results into a table on
 * stdout, bench/results/latest.json, bench/RESULTS.md (from bench/report/template.md) and README's bench block.
 * Not a test: nothing here asserts timings, but the run fails when a variant decides wrongly.
 */
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { measureConsole } from './lib/console.js';
import { measureDevStartup } from './lib/dev-startup.js';
import { describeHost } from './lib/host.js';
import { fail, log } from './lib/progress.js';
import { startRevocationTable } from './lib/revocation.js';
import { quietly } from './lib/stdout.js';
import { benchTokenEndpoint } from './lib/token-endpoint.js';
import { writeReport } from './report/write-report.js';
import { buildBundles } from './sections/bundles.js';
import { runChecks } from './sections/checks.js';
import { measureColdStarts } from './sections/cold-starts.js';
import { measureDecisionMetrics } from './sections/decision-metrics.js';
import { measureRevocation } from './sections/revocation.js';
import { measureWarm } from './sections/warm.js';
import { loadWarmVariants } from './sections/warm-variants.js';
import { prepareWorkload } from './sections/workload.js';
import {
  CONSOLE_SAMPLES,
  DEV_STARTUP_SAMPLES,
  REVOKED_ENTRIES,
  TOKEN_COUNT,
  TOKEN_ENDPOINT_ROUNDS,
} from './settings.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILD = `${ROOT}bench/results/build`;

async function main(): Promise<void> {
  mkdirSync(BUILD, { recursive: true });
  const date = new Date();
  const host = describeHost();
  const loadAtStart = loadavg()[0]!;
  log(`${host.cpu}, ${host.cores} cores, Node ${host.node}`);

  const workload = await prepareWorkload();
  log(`signed ${TOKEN_COUNT} tokens (${workload.tokens[0]!.length} characters each); JWKS at ${workload.server.url}`);
  const bundles = await buildBundles(ROOT, BUILD);
  log(
    `built: authorizer ${bundles.authorizer.bytes} B, floor ${bundles.floor.bytes} B, admin ${bundles.adminExternal.bytes} B / ${bundles.adminBundled.bytes} B`,
  );
  const revocationTable = await startRevocationTable(REVOKED_ENTRIES);
  log(`revocation table: ${REVOKED_ENTRIES} entries in dynalite`);
  const variants = await loadWarmVariants(workload, bundles, revocationTable);

  const checks = await runChecks(workload, bundles, variants, revocationTable);
  log(
    'checks passed: every variant allows the valid token and refuses the tampered one; revoked tokens are refused warm and cold; the decision cache misses on rotation',
  );

  const warm = await measureWarm(workload, variants);
  log('warm, fresh and repeated token: done');
  const revocation = await measureRevocation(workload, bundles, variants, revocationTable);
  log('revocation off vs on, warm and cold: done');
  const metricsCost = await measureDecisionMetrics(workload);
  log('decision metrics: done');
  const cold = await measureColdStarts(workload, bundles, log);
  await workload.server.stop();
  const tokenEndpoint = await quietly(() => benchTokenEndpoint({ rounds: TOKEN_ENDPOINT_ROUNDS }));
  log('M2M token endpoint: done');
  // Only now: a refresh that the last warm batch started must find the table, or it logs a failed read.
  await revocationTable.stop();
  const devStartup = await measureDevStartup(ROOT, DEV_STARTUP_SAMPLES);
  log('npm run dev start-up: done');
  const consoleBench = await measureConsole(CONSOLE_SAMPLES);
  log('console bundle and first paint: done');

  writeReport(
    {
      date,
      host,
      load: { start: loadAtStart, end: loadavg()[0]! },
      tokenLength: workload.tokens[0]!.length,
      bundles,
      checks,
      warm,
      revocation,
      metricsCost,
      cold,
      tokenEndpoint,
      devStartup,
      consoleBench,
    },
    ROOT,
  );
  log('wrote bench/results/latest.json and bench/RESULTS.md');
}

main().catch((error) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
