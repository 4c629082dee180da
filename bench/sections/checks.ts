import { createAuthorizer } from '../../shared/authorizer/authorize.js';
import { loadAuthorizerConfig } from '../../shared/authorizer/authorizer-config.js';
import { createLogger } from '../../shared/logging/logger.js';
import { createTokenVerifier, type TokenVerifier } from '../../shared/tokens/verifier.js';
import { runOnce } from '../lib/cold.js';
import { type BenchRoute, benchToken, isAllow, restEvent, SHIPPED_ROUTE, tamper } from '../lib/fixtures.js';
import { fail } from '../lib/progress.js';
import type { BenchRevocationTable } from '../lib/revocation.js';
import { quietly } from '../lib/stdout.js';
import { TOKEN_COUNT } from '../settings.js';
import type { Bundles } from './bundles.js';
import type { WarmVariants } from './warm-variants.js';
import type { Workload } from './workload.js';

export interface CorrectnessCheck {
  readonly variant: string;
  readonly valid: string;
  readonly tampered: string;
}

export interface RevocationCheck {
  readonly token: string;
  readonly off: string;
  readonly on: string;
}

export interface Checks {
  readonly checks: CorrectnessCheck[];
  readonly revocationChecks: RevocationCheck[];
}

async function outcome(fn: () => Promise<unknown>): Promise<'allow' | 'refuse'> {
  try {
    return isAllow(await quietly(fn)) ? 'allow' : 'refuse';
  } catch {
    return 'refuse';
  }
}

/**
 * Before timing anything: every variant allows the valid token and refuses a tampered one, warm and as a cold
 * process; revocation really is on (revoked tokens refused, with it off allowed), warm and on a cold start's first
 * request; the decision cache misses for rotating tokens and hits for a repeated one. Any failure stops the run.
 */
export async function runChecks(
  workload: Workload,
  bundles: Bundles,
  variants: WarmVariants,
  revocationTable: BenchRevocationTable,
): Promise<Checks> {
  const { events, key, issuer } = workload;
  const checks: CorrectnessCheck[] = [];
  const cached = new Set([variants.authorizer, variants.bare, variants.authorizerRevocation]);
  for (const [name, decide] of variants.named) {
    const valid = await outcome(() => decide(events[0]!));
    const bad = await outcome(() => decide(restEvent(workload.tampered)));
    checks.push({ variant: name, valid, tampered: bad });
    if (valid !== 'allow') fail(`${name} refused the valid token`);
    if (bad !== 'refuse') fail(`${name} allowed a tampered token`);
    // The tampered token came right after its valid original, which the decision cache now holds: refused all
    // the same. The original, asked again, is answered from the cache.
    if (cached.has(decide) && (await outcome(() => decide(events[0]!))) !== 'allow')
      fail(`${name} refused a valid token on repeat`);
  }

  // Revocation really is on, all entries loaded: a sign-in and a user from the middle of the table are refused
  // with it on and allowed with it off.
  const revokedTokens = [
    ['a token of a logged-out sign-in (origin_jti)', { origin_jti: revocationTable.revokedOriginJti }],
    [
      'a token of a disabled user, issued before the disable',
      { sub: revocationTable.revokedSub, iat: Math.floor(revocationTable.revokedAt / 1000) - 60 },
    ],
  ] as const;
  const revocationChecks: RevocationCheck[] = [];
  for (const [label, claims] of revokedTokens) {
    const event = restEvent(benchToken(key, issuer, `bench-jti-${label}`, undefined, claims));
    const off = await outcome(() => variants.authorizer(event));
    const on = await outcome(() => variants.authorizerRevocation(event));
    revocationChecks.push({ token: label, off, on });
    if (off !== 'allow' || on !== 'refuse') fail(`revocation: ${label}: off ${off}, on ${on}`);
  }

  const refused = (r: unknown) => typeof r === 'object' && r !== null && 'refused' in r;
  const revocationEnv = { ...workload.authorizerEnv, ...revocationTable.env };
  const coldChecks: [string, string, Record<string, string>, Record<string, any>, BenchRoute | undefined][] = [
    ['floor bundle', bundles.floor.file, workload.authorizerEnv, events[0]!, undefined],
    ['floor bundle, https-capable', bundles.floorHttps.file, workload.authorizerEnv, events[0]!, undefined],
    ['authorizer bundle, 50-route file', bundles.authorizer.file, workload.authorizerEnv, events[0]!, undefined],
    [
      'authorizer core without the handler, 50-route file',
      bundles.bare.file,
      workload.authorizerEnv,
      events[0]!,
      undefined,
    ],
    [
      'authorizer bundle, rules.json as shipped',
      bundles.authorizer.file,
      workload.shippedEnv,
      workload.shippedEvent,
      SHIPPED_ROUTE,
    ],
    ['authorizer bundle, revocation on', bundles.authorizer.file, revocationEnv, events[0]!, undefined],
  ];
  for (const [name, bundle, env, event, route] of coldChecks) {
    const allowed = (r: unknown) => isAllow(r, route);
    const bad = restEvent(tamper(String(event.headers.Authorization).slice(7)), route);
    await runOnce({ id: `${name} (valid)`, bundle, mode: 'decide', env, event, expect: allowed }).catch((e) =>
      fail(String(e)),
    );
    await runOnce({ id: `${name} (tampered)`, bundle, mode: 'decide', env, event: bad, expect: refused }).catch((e) =>
      fail(String(e)),
    );
    checks.push({ variant: `${name} (cold process)`, valid: 'allow', tampered: 'refuse' });
  }
  // A new container refuses a revoked token on its very first request: the list is loaded during init.
  for (const [label, claims] of revokedTokens) {
    const event = restEvent(benchToken(key, issuer, `bench-jti-cold-${label}`, undefined, claims));
    const id = `cold start, revocation on: ${label}`;
    await runOnce({
      id,
      bundle: bundles.authorizer.file,
      mode: 'decide',
      env: revocationEnv,
      event,
      expect: refused,
    }).catch((e) => fail(String(e)));
    revocationChecks.push({ token: `${label}, first request of a cold process`, off: '–', on: 'refuse' });
  }

  await checkDecisionCache(workload);
  return { checks, revocationChecks };
}

/**
 * The decision cache must miss for rotating tokens and hit for a repeated one. Proven on createAuthorizer with the
 * same config and a counting verifier (the bundle is the same code, minified).
 */
async function checkDecisionCache({ authorizerEnv, events }: Workload): Promise<void> {
  const config = loadAuthorizerConfig(authorizerEnv, undefined);
  const real = createTokenVerifier(config);
  let verifications = 0;
  const counting: TokenVerifier = {
    hydrate: real.hydrate,
    verify: (t, a) => {
      verifications++;
      return real.verify(t, a);
    },
    verifyNow: (t, a) => {
      verifications++;
      return real.verifyNow!(t, a);
    },
  };
  const probe = createAuthorizer(config, counting, createLogger('bench', { write: () => undefined }));
  for (let i = 0; i < 2 * TOKEN_COUNT; i++) await probe(events[i % TOKEN_COUNT]!);
  if (verifications !== 2 * TOKEN_COUNT)
    fail(`the decision cache hit ${2 * TOKEN_COUNT - verifications} times for rotating tokens`);
  await probe(events[0]!); // evicted by the rotation: this one verifies
  verifications = 0;
  for (let i = 0; i < 1000; i++) await probe(events[0]!);
  if (verifications !== 0) fail('the decision cache missed for a repeated token');
}
