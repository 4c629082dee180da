import type { ColdSample } from '../lib/cold.js';
import { quantile, type Sample } from '../lib/measure.js';
import { COLD_SAMPLES, REVOKED_ENTRIES } from '../settings.js';
import { type Figures, sampleOf } from './figures.js';
import { fmtLatency, fmtNs, fmtX, kb, ms, signedMs, signedNs, sized, thousands } from './format.js';
import type { Results } from './results.js';

const spread = (s: Sample) => `${fmtNs(s.p25)} – ${fmtNs(s.p75)}`;
const coldSpread = (s: ColdSample) => `${ms(s.decidedP25)} – ${ms(s.decidedP75)}`;

/** The report's tables other than the targets, each a header row and its rows. */
export function tablesOf(r: Results, f: Figures) {
  const fresh = (id: string) => spread(sampleOf(r.warm.fresh, id));
  const repeated = (id: string) => spread(sampleOf(r.warm.repeated, id));
  const coldRow = (label: string, size: string, s: ColdSample) => [
    label,
    size,
    ms(s.bootMs),
    ms(s.loadedMs),
    ms(s.decidedMs),
    coldSpread(s),
  ];
  const pairRow = (label: string, samples: Sample[], delta: number) => [
    label,
    fmtNs(sampleOf(samples, 'off').median),
    fmtNs(sampleOf(samples, 'on').median),
    signedNs(delta),
  ];
  const off = f.coldRevocationOff;
  const coldPairRow = (label: string, on: ColdSample) => [
    label,
    ms(off.decidedMs),
    ms(off.decidedP95),
    ms(on.decidedMs),
    ms(on.decidedP95),
    signedMs(on.decidedMs! - off.decidedMs!),
  ];
  const m2m = r.tokenEndpoint;
  const perToken = (calls: number[]) => Math.max(...calls) / m2m.reuseWindows;
  const requestsPerClient = m2m.shared.requests / m2m.clients;
  const latencyCells = (id: string) => {
    const s = sampleOf(m2m.latency, id);
    return [fmtLatency(s.median), `${fmtLatency(s.p25)} – ${fmtLatency(s.p75)}`];
  };
  const paint = r.consoleBench.firstPaintMs;
  const ready = r.consoleBench.readyMs;
  const msOf = (values: readonly number[], q: number) => `${quantile(values, q).toFixed(0)} ms`;

  return {
    warm: [
      ['Warm, fresh token (decision cache misses)', 'median / op', 'p25 – p75', '× floor'],
      ['(a) floor: crypto.verify + decode + JSON.parse', fmtNs(f.floor), fresh('floor'), fmtX(1)],
      ['cognito-gate authorizer (production bundle)', fmtNs(f.auth), fresh('authorizer'), fmtX(f.auth / f.floor)],
      ['the core without the handler', fmtNs(f.bareNs), fresh('bare'), fmtX(f.bareNs / f.floor)],
      ['(b) jsonwebtoken + jwks-rsa', fmtNs(f.jwtNs), fresh('jsonwebtoken'), fmtX(f.jwtNs / f.floor)],
      ['(c) jose (createRemoteJWKSet + jwtVerify)', fmtNs(f.joseNs), fresh('jose'), fmtX(f.joseNs / f.floor)],
    ],
    repeat: [
      ['Warm, repeated token (decision cache hits)', 'median / op', 'p25 – p75', '× floor'],
      ['(a) floor (fresh tokens, measured alongside)', fmtNs(f.floor2), repeated('floor'), fmtX(1)],
      ['cognito-gate authorizer, same token again', fmtNs(f.hit), repeated('authorizer'), fmtX(f.hit / f.floor2)],
      [
        'the core without the handler, same token again',
        fmtNs(f.bareHit),
        repeated('bare'),
        fmtX(f.bareHit / f.floor2),
      ],
    ],
    revocation: [
      [
        `Warm, revocation off vs on (${thousands(REVOKED_ENTRIES)} entries)`,
        'off',
        'on',
        'on − off (median of per-round differences)',
      ],
      pairRow('fresh token (signature verified)', r.revocation.fresh, f.freshDelta),
      pairRow('repeated token (decision cache hit)', r.revocation.hit, f.hitDelta),
      ['the check alone (RevocationList.revokedBy)', '–', fmtNs(r.revocation.check.median), '–'],
    ],
    revocationCold: [
      [
        `Cold start to first decision, revocation off vs on (${COLD_SAMPLES} samples each)`,
        'off: median',
        'off: p95',
        'on: median',
        'on: p95',
        'on − off (medians)',
      ],
      coldPairRow('empty table: one signed Query', f.coldRevocationEmpty),
      coldPairRow(`${thousands(REVOKED_ENTRIES)} entries (~1.5 MB, paged from dynalite)`, f.coldRevocationOn),
    ],
    revocationChecks: [
      ['Revocation check (before timing)', 'off', 'on'],
      ...r.checks.revocationChecks.map((c) => [c.token, c.off, c.on]),
    ],
    metrics: [
      ['Decision metrics (EMF), warm', 'median / op', 'p25 – p75'],
      ['authorizer core, cached decision, no metrics', fmtNs(f.metricsCore), spread(sampleOf(r.metricsCost, 'core'))],
      [
        'the same with the EMF counters (flush every 1000)',
        fmtNs(f.metricsCounted),
        spread(sampleOf(r.metricsCost, 'core+metrics')),
      ],
      ['the counter alone: metrics.allowed()', fmtNs(f.metricsCounter), spread(sampleOf(r.metricsCost, 'counter'))],
    ],
    cold: [
      [
        `Cold start (fresh node process, median of ${COLD_SAMPLES})`,
        'bundle',
        'node up',
        'module loaded',
        'first decision',
        'p25 – p75',
      ],
      coldRow('floor bundle (node:http JWKS GET + crypto.verify)', sized(r.bundles.floor), f.coldFloor),
      coldRow(
        'floor bundle, also able to fetch over https (loads node:https)',
        sized(r.bundles.floorHttps),
        f.coldFloorHttps,
      ),
      coldRow('cognito-gate authorizer bundle, 50-route file (AUTH_RULES)', sized(r.bundles.authorizer), f.coldAuth),
      coldRow('the core without the handler, 50-route file', sized(r.bundles.bare), f.coldBare),
      coldRow('cognito-gate authorizer bundle, rules.json as shipped', sized(r.bundles.authorizer), f.coldShipped),
      [
        'admin, @aws-sdk/* external',
        `${sized(r.bundles.adminExternal)} + the SDK`,
        ms(f.adminExt.bootMs),
        ms(f.adminExt.loadedMs),
        '–',
        '–',
      ],
      [
        'admin, @aws-sdk/* bundled',
        sized(r.bundles.adminBundled),
        ms(f.adminBun.bootMs),
        ms(f.adminBun.loadedMs),
        '–',
        '–',
      ],
    ],
    console: [
      ['Console (npm run console:build)', 'raw', 'gzip'],
      // The content hash in a file's name changes with every edit: left out, so runs compare row by row.
      ...r.consoleBench.files.map((file) => [
        file.path.replace(/-[A-Z0-9]+\./, '.'),
        kb(file.bytes),
        kb(file.gzipBytes),
      ]),
      ['all files', kb(r.consoleBench.totalBytes), kb(r.consoleBench.totalGzipBytes)],
    ],
    consolePaint: [
      [`Console in Chromium, signed-out page, cold cache (${paint.samples.length} contexts)`, 'median', 'p95'],
      ['first contentful paint', msOf(paint.samples, 0.5), msOf(paint.samples, 0.95)],
      ['first page drawn (script run, /auth/me answered)', msOf(ready.samples, 0.5), msOf(ready.samples, 0.95)],
    ],
    calls: [
      ['M2M token endpoint, simulated traffic', 'Cognito calls per client', 'per token', 'requests per client'],
      [
        'memory + shared table (as deployed)',
        m2m.shared.perClient.join(' / '),
        perToken(m2m.shared.perClient).toFixed(2),
        String(requestsPerClient),
      ],
      [
        'memory only (each container on its own)',
        m2m.memoryOnly.perClient.join(' / '),
        perToken(m2m.memoryOnly.perClient).toFixed(2),
        String(requestsPerClient),
      ],
      [
        'no cache (one call per request)',
        String(requestsPerClient),
        (requestsPerClient / m2m.reuseWindows).toFixed(0),
        String(requestsPerClient),
      ],
    ],
    tokenLatency: [
      ['M2M token endpoint, warm, one container', 'median / op', 'p25 – p75'],
      ['memory hit (parse, key derivation, lookup, response, log line)', ...latencyCells('memory')],
      ['shared-table hit (memory tier off; dynalite on loopback, not DynamoDB)', ...latencyCells('table')],
      ['miss (table read, loopback stand-in for Cognito, table write)', ...latencyCells('miss')],
    ],
    checks: [
      ['Correctness check (before timing)', 'valid token', 'tampered token'],
      ...r.checks.checks.map((c) => [c.variant, c.valid, c.tampered]),
    ],
  };
}

export type Tables = ReturnType<typeof tablesOf>;
