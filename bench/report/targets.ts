import { consoleTargetRows } from '../lib/console.js';
import { REVOKED_ENTRIES, TARGETS } from '../settings.js';
import type { Figures } from './figures.js';
import { exact, fmtNs, fmtX, met, signedNs, thousands } from './format.js';
import type { Results } from './results.js';

/** Every target the bench holds the product to: one row each, with its limit, the measurement and whether it was met. */
export function targetRows(r: Results, f: Figures): string[][] {
  const coldDelta = f.coldAuth.decidedMs! - f.coldFloor.decidedMs!;
  const shippedDelta = f.coldShipped.decidedMs! - f.coldFloor.decidedMs!;
  const overHttps = (decidedMs: number | null) => (decidedMs! - f.coldFloorHttps.decidedMs!).toFixed(1);
  const revocationExtra = Math.max(f.freshDelta, f.hitDelta);
  const metricsExtra = f.metricsCounted - f.metricsCore;
  const m2m = r.tokenEndpoint;
  const perToken = (calls: number[]) => Math.max(...calls) / m2m.reuseWindows;
  const sharedPerToken = perToken(m2m.shared.perClient);
  const dev = r.devStartup;
  return [
    ['Target', 'Limit', 'Measured', 'Met'],
    [
      'Warm fresh token: authorizer vs floor',
      `≤ ${TARGETS.warmFreshVsFloor}×`,
      fmtX(f.auth / f.floor),
      met(f.auth / f.floor <= TARGETS.warmFreshVsFloor),
    ],
    [
      'Warm repeated token: authorizer vs floor',
      `≤ ${TARGETS.warmRepeatedVsFloor}×`,
      fmtX(f.hit / f.floor2),
      met(f.hit / f.floor2 <= TARGETS.warmRepeatedVsFloor),
    ],
    [
      'Warm fresh token: faster than jsonwebtoken + jwks-rsa',
      `≥ ${TARGETS.warmFasterThanJsonwebtoken}×`,
      fmtX(f.jwtNs / f.auth),
      met(f.jwtNs / f.auth >= TARGETS.warmFasterThanJsonwebtoken),
    ],
    [
      'Authorizer bundle, minified',
      `≤ 40 kB (${TARGETS.authorizerBundleBytes} B)`,
      exact(r.bundles.authorizer.bytes),
      met(r.bundles.authorizer.bytes <= TARGETS.authorizerBundleBytes),
    ],
    [
      'Cold start to first decision vs floor, 50-route file',
      `≤ floor + ${TARGETS.coldOverFloorMs} ms`,
      `floor + ${coldDelta.toFixed(1)} ms (https-capable floor + ${overHttps(f.coldAuth.decidedMs)} ms)`,
      met(coldDelta <= TARGETS.coldOverFloorMs),
    ],
    [
      'Cold start to first decision vs floor, rules.json as shipped',
      `≤ floor + ${TARGETS.coldOverFloorMs} ms`,
      `floor + ${shippedDelta.toFixed(1)} ms (https-capable floor + ${overHttps(f.coldShipped.decidedMs)} ms)`,
      met(shippedDelta <= TARGETS.coldOverFloorMs),
    ],
    [
      `Revocation on, ${thousands(REVOKED_ENTRIES)} entries: extra per warm decision`,
      `≤ ${fmtNs(TARGETS.revocationExtraNs)}`,
      `${signedNs(f.freshDelta)} fresh, ${signedNs(f.hitDelta)} cached`,
      met(revocationExtra <= TARGETS.revocationExtraNs),
    ],
    [
      'Decision metrics: cost per cached decision',
      `≤ ${fmtNs(TARGETS.metricsExtraNs)}`,
      `${fmtNs(metricsExtra)} (counter alone ${fmtNs(f.metricsCounter)})`,
      met(metricsExtra <= TARGETS.metricsExtraNs),
    ],
    [
      '`npm run dev` on a fresh state and build, to the banner',
      `< ${TARGETS.devStartupMs / 1000} s`,
      `${(dev.medianMs / 1000).toFixed(1)} s (median of ${dev.samplesMs.length})`,
      met(dev.medianMs < TARGETS.devStartupMs),
    ],
    ...consoleTargetRows(r.consoleBench),
    [
      `M2M token endpoint: Cognito calls per client per token, ${m2m.containers} containers`,
      '1',
      `${sharedPerToken.toFixed(2)} (memory only: ${perToken(m2m.memoryOnly.perClient).toFixed(2)})`,
      met(sharedPerToken <= 1),
    ],
  ];
}
