import type { ConsoleBench } from '../lib/console.js';
import type { DevStartup } from '../lib/dev-startup.js';
import type { Host } from '../lib/host.js';
import type { Sample } from '../lib/measure.js';
import type { TokenEndpointResults } from '../lib/token-endpoint.js';
import type { Bundles } from '../sections/bundles.js';
import type { Checks } from '../sections/checks.js';
import type { ColdResults } from '../sections/cold-starts.js';
import type { RevocationResults } from '../sections/revocation.js';
import type { WarmResults } from '../sections/warm.js';

/** Everything one run measured: what the sections hand to the report. */
export interface Results {
  readonly date: Date;
  readonly host: Host;
  /** Load average (1 min) at the start and the end of the run. */
  readonly load: { readonly start: number; readonly end: number };
  readonly tokenLength: number;
  readonly bundles: Bundles;
  readonly checks: Checks;
  readonly warm: WarmResults;
  readonly revocation: RevocationResults;
  readonly metricsCost: Sample[];
  readonly cold: ColdResults;
  readonly tokenEndpoint: TokenEndpointResults;
  readonly devStartup: DevStartup;
  readonly consoleBench: ConsoleBench;
}
