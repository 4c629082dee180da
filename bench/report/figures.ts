import type { ColdSample } from '../lib/cold.js';
import { median, type Sample } from '../lib/measure.js';
import type { Results } from './results.js';

export const sampleOf = (samples: readonly Sample[], id: string) => samples.find((s) => s.id === id)!;
export const coldOf = (samples: readonly ColdSample[], id: string) => samples.find((s) => s.id === id)!;

/** Off and on ran back to back in every round: the median of the per-round differences is robust to drift. */
function pairedDelta(samples: readonly Sample[]): number {
  const off = sampleOf(samples, 'off').perBatch;
  return median(sampleOf(samples, 'on').perBatch.map((on, round) => on - off[round]!));
}

/** The medians and differences the targets, the tables and the prose are made of. */
export function figuresOf(r: Results) {
  const fresh = (id: string) => sampleOf(r.warm.fresh, id).median;
  const repeated = (id: string) => sampleOf(r.warm.repeated, id).median;
  const metrics = (id: string) => sampleOf(r.metricsCost, id).median;
  const coldFloor = coldOf(r.cold.authorizer, 'floor');
  return {
    floor: fresh('floor'),
    auth: fresh('authorizer'),
    bareNs: fresh('bare'),
    jwtNs: fresh('jsonwebtoken'),
    joseNs: fresh('jose'),
    floor2: repeated('floor'),
    hit: repeated('authorizer'),
    bareHit: repeated('bare'),
    coldFloor,
    coldFloorHttps: coldOf(r.cold.authorizer, 'floor-https'),
    coldAuth: coldOf(r.cold.authorizer, 'authorizer'),
    coldShipped: coldOf(r.cold.authorizer, 'authorizer-shipped'),
    coldBare: coldOf(r.cold.authorizer, 'bare'),
    adminExt: coldOf(r.cold.admin, 'external'),
    adminBun: coldOf(r.cold.admin, 'bundled'),
    freshDelta: pairedDelta(r.revocation.fresh),
    hitDelta: pairedDelta(r.revocation.hit),
    coldRevocationOff: coldOf(r.revocation.cold, 'off'),
    coldRevocationEmpty: coldOf(r.revocation.cold, 'on-empty'),
    coldRevocationOn: coldOf(r.revocation.cold, 'on'),
    metricsCore: metrics('core'),
    metricsCounted: metrics('core+metrics'),
    metricsCounter: metrics('counter'),
  };
}

export type Figures = ReturnType<typeof figuresOf>;
