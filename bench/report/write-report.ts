import { readFileSync, writeFileSync } from 'node:fs';
import { SHIPPED_SCOPE } from '../lib/fixtures.js';
import {
  COLD_SAMPLES,
  DECISION_CACHE_SIZE,
  QUICK,
  REVOKED_ENTRIES,
  ROUTE_COUNT,
  TOKEN_COUNT,
  WARM_ROUNDS,
} from '../settings.js';
import { type Figures, figuresOf } from './figures.js';
import { fillTemplate } from './fill-template.js';
import { fmtNs, kb, sized, table, thousands } from './format.js';
import type { Results } from './results.js';
import { type Tables, tablesOf } from './tables.js';
import { targetRows } from './targets.js';

const TEMPLATE = new URL('./template.md', import.meta.url);

/** Prints the tables, and writes bench/results/latest.json, bench/RESULTS.md and README's bench block. */
export function writeReport(r: Results, root: string): void {
  const f = figuresOf(r);
  const targets = targetRows(r, f);
  const t = tablesOf(r, f);
  const hostLine = `${r.host.cpu}${r.host.cpuMHz ? ` (${Math.round(r.host.cpuMHz)} MHz)` : ''}, ${r.host.cores} cores, ${r.host.memoryGiB} GiB, Node ${r.host.node}, ${r.host.platform}`;
  const busy = r.load.end > r.host.cores / 2 ? ': other processes were busy, numbers are noisier than usual' : '';
  const loadLine = `load average (1 min) ${r.load.start.toFixed(2)} at the start, ${r.load.end.toFixed(2)} at the end${busy}`;

  const printed = [
    targets,
    t.warm,
    t.repeat,
    t.revocation,
    t.revocationCold,
    t.metrics,
    t.cold,
    t.console,
    t.consolePaint,
    t.calls,
    t.tokenLatency,
  ];
  process.stdout.write(
    `\nMachine: ${hostLine}; ${loadLine}\n\n${[...printed, t.revocationChecks, t.checks].map(table).join('\n\n')}\n\n`,
  );
  writeFileSync(`${root}bench/results/latest.json`, `${JSON.stringify(latestJson(r, f, targets), null, 2)}\n`);
  writeFileSync(`${root}bench/RESULTS.md`, resultsMarkdown(r, f, targets, t, hostLine, loadLine));
  updateReadme(
    root,
    `Latest run: **${hostLine}**, a REST REQUEST event with a Cognito-shaped RS256 access token and a rule file
of ${ROUTE_COUNT} routes.

${printed.map(table).join('\n\n')}`,
  );
}

function resultsMarkdown(
  r: Results,
  f: Figures,
  targets: string[][],
  t: Tables,
  hostLine: string,
  loadLine: string,
): string {
  const m2m = r.tokenEndpoint;
  const { bundles, cold } = r;
  const diff = Math.abs(f.adminExt.loadedMs - f.adminBun.loadedMs).toFixed(1);
  const values: Record<string, string> = {
    date: r.date.toISOString().slice(0, 10),
    hostLine,
    loadLine,
    targets: table(targets),
    handlerBytes: String(bundles.authorizer.bytes - bundles.bare.bytes),
    handlerColdMs: (f.coldAuth.decidedMs! - f.coldBare.decidedMs!).toFixed(1),
    handlerHitNs: fmtNs(f.hit - f.bareHit),
    tokenLength: String(r.tokenLength),
    tokenCount: String(TOKEN_COUNT),
    decisionCacheSize: String(DECISION_CACHE_SIZE),
    warmTable: table(t.warm),
    repeatTable: table(t.repeat),
    revokedEntries: thousands(REVOKED_ENTRIES),
    revocationTable: table(t.revocation),
    revocationChecksTable: table(t.revocationChecks),
    revocationColdTable: table(t.revocationCold),
    metricsTable: table(t.metrics),
    shippedScope: SHIPPED_SCOPE,
    coldTable: table(t.cold),
    httpsOverFloorMs: (f.coldFloorHttps.decidedMs! - f.coldFloor.decidedMs!).toFixed(1),
    authorizerKb: kb(bundles.authorizer.bytes),
    fiftyRoutesOverShippedMs: (f.coldAuth.decidedMs! - f.coldShipped.decidedMs!).toFixed(1),
    adminNote: bundles.adminNote,
    adminExternalSize: sized(bundles.adminExternal),
    adminBundledSize: sized(bundles.adminBundled),
    adminExternalMs: f.adminExt.loadedMs.toFixed(1),
    adminBundledMs: f.adminBun.loadedMs.toFixed(1),
    adminBootMs: f.adminBun.bootMs.toFixed(1),
    adminFaster:
      f.adminBun.loadedMs < f.adminExt.loadedMs
        ? `the bundled build reaches its module-loaded point ${diff} ms sooner`
        : `the external build reaches its module-loaded point ${diff} ms sooner`,
    sdkFiles: String(cold.sdk.files),
    sdkKb: kb(cold.sdk.bytes),
    adminBundledKb: kb(bundles.adminBundled.bytes),
    adminExternalGzipKb: kb(bundles.adminExternal.gzipBytes),
    adminBundledGzipKb: kb(bundles.adminBundled.gzipBytes),
    consoleTable: table(t.console),
    consolePaintTable: table(t.consolePaint),
    m2mClients: String(m2m.clients),
    m2mContainers: String(m2m.containers),
    m2mEverySeconds: String(m2m.requestEverySeconds),
    m2mHours: String(m2m.simulatedHours),
    m2mLifetimeMinutes: String(m2m.lifetimeSeconds / 60),
    m2mReuseWindows: String(m2m.reuseWindows),
    callsTable: table(t.calls),
    tokenBundleSize: sized(bundles.token),
    tokenLatencyTable: table(t.tokenLatency),
    checksTable: table(t.checks),
    warmRounds: String(WARM_ROUNDS),
    coldSamples: String(COLD_SAMPLES),
  };
  return fillTemplate(readFileSync(TEMPLATE, 'utf8'), values);
}

/** The raw numbers, keyed as before the report had a template, plus revocation's cold start. */
function latestJson(r: Results, f: Figures, targets: string[][]) {
  const withoutBatches = <T extends { perBatch: number[] }>({ perBatch, ...s }: T) => ({
    ...s,
    batches: perBatch.length,
  });
  const { bundles } = r;
  return {
    date: r.date.toISOString(),
    host: r.host,
    loadAverage: r.load,
    setup: {
      tokens: TOKEN_COUNT,
      tokenLength: r.tokenLength,
      decisionCacheSize: DECISION_CACHE_SIZE,
      routes: ROUTE_COUNT,
      coldSamples: COLD_SAMPLES,
      quick: QUICK,
      adminEntry: bundles.adminEntry,
      warmRounds: WARM_ROUNDS,
    },
    sdkExternalFootprint: r.cold.sdk,
    targets: targets.slice(1).map(([name, limit, measured, met]) => ({ name, limit, measured, met: met === 'yes' })),
    warmFresh: r.warm.fresh.map((s) => ({ ...withoutBatches(s), ratioToFloor: s.median / f.floor })),
    warmRepeated: r.warm.repeated.map((s) => ({ ...withoutBatches(s), ratioToFloor: s.median / f.floor2 })),
    decisionMetrics: r.metricsCost.map(withoutBatches),
    cold: r.cold.authorizer,
    adminCold: r.cold.admin,
    tokenEndpoint: { ...r.tokenEndpoint, latency: r.tokenEndpoint.latency.map(withoutBatches) },
    devStartup: r.devStartup,
    console: r.consoleBench,
    bundles: {
      authorizer: bundles.authorizer.bytes,
      authorizerWithoutMiddy: bundles.bare.bytes,
      floor: bundles.floor.bytes,
      floorHttps: bundles.floorHttps.bytes,
      adminExternal: bundles.adminExternal.bytes,
      adminBundled: bundles.adminBundled.bytes,
      token: bundles.token.bytes,
    },
    checks: r.checks.checks,
    revocation: {
      entries: REVOKED_ENTRIES,
      checks: r.checks.revocationChecks,
      extraNsFresh: f.freshDelta,
      extraNsCacheHit: f.hitDelta,
      checkAloneNs: r.revocation.check.median,
      fresh: r.revocation.fresh.map(withoutBatches),
      cacheHit: r.revocation.hit.map(withoutBatches),
      cold: r.revocation.cold,
    },
  };
}

/** README shows the latest tables between two markers; everything else in it is left as it is. */
function updateReadme(root: string, block: string): void {
  const file = `${root}README.md`;
  const readme = readFileSync(file, 'utf8');
  const start = readme.indexOf('<!-- bench:start');
  const end = readme.indexOf('<!-- bench:end -->');
  if (start < 0 || end < start) return;
  const startLineEnd = readme.indexOf('\n', start) + 1;
  writeFileSync(file, `${readme.slice(0, startLineEnd) + block}\n${readme.slice(end)}`);
}
