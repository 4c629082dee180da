/**
 * `npm run bench`: the authorizer's cost beside the floor and two common hand-written authorizers, warm and
 * cold, in one process run. Prints a table, writes bench/results/latest.json and bench/RESULTS.md.
 * Not a test: nothing here asserts timings, but the run fails when a variant decides wrongly.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createAuthorizer } from '../shared/authorizer/authorize.js';
import { loadAuthorizerConfig } from '../shared/authorizer/authorizer-config.js';
import { createLogger } from '../shared/logging/logger.js';
import { EmfDecisionMetrics } from '../shared/metrics/decision-metrics.js';
import { RevocationList, type RevocationSubject } from '../shared/revocation/revocation-list.js';
import { createTokenVerifier, type TokenVerifier } from '../shared/tokens/verifier.js';
import { JwksServer } from '../test/support/jwks-server.js';
import { generateTestKey, jwksOf } from '../test/support/signing.js';
import { type BuiltBundle, buildBundle } from './lib/build.js';
import { type ColdSample, measureCold, runOnce } from './lib/cold.js';
import { type ConsoleBench, consoleTargetRows, measureConsole } from './lib/console.js';
import { type DevStartup, measureDevStartup } from './lib/dev-startup.js';
import {
  benchToken,
  CLIENT_ID,
  fiftyRouteRules,
  isAllow,
  lambdaContext,
  POOL_PATH,
  restEvent,
  SHIPPED_ROUTE,
  SHIPPED_SCOPE,
  tamper,
} from './lib/fixtures.js';
import { measureInterleaved, median, type Sample } from './lib/measure.js';
import { benchEntries, startRevocationTable } from './lib/revocation.js';
import { benchTokenEndpoint, type TokenEndpointResults } from './lib/token-endpoint.js';
import { createFloor, createJoseAuthorizer, createJsonwebtokenAuthorizer, type Decide } from './lib/variants.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = `${ROOT}bench/results`;
const BUILD = `${OUT}/build`;
const QUICK = process.env.BENCH_QUICK === '1';

/** Tokens signed up front, each with its own jti: more than DECISION_CACHE_SIZE, so the LRU always misses. */
const TOKEN_COUNT = 2000;
const DECISION_CACHE_SIZE = 1000;
const COLD_SAMPLES = QUICK ? 8 : 50;
const WARM_ROUNDS = QUICK ? 15 : 150;
const BUNDLE_LIMIT_BYTES = 40_000;
/** Entries in the revocation list of the "revocation on" variant, none of them for the timed tokens. */
const REVOKED_ENTRIES = 10_000;
const REVOCATION_LIMIT_NS = 2000;

const startedAt = Date.now();
const log = (message: string) =>
  process.stderr.write(`[bench ${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${message}\n`);

function fail(message: string): never {
  process.stderr.write(`\nbench: FAILED: ${message}\n`);
  process.exit(1);
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const mhz = /^cpu MHz\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim();
  return {
    cpu: model,
    cpuMHz: mhz ? Number(mhz) : undefined,
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/**
 * Runs `fn` with stdout sent to /dev/null: the handler's decision metrics are EMF lines on stdout, and their
 * writes are part of what is measured, but not of what the bench prints.
 */
async function stdoutToDevNull<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  const devNull = openSync('/dev/null', 'w');
  process.stdout.write = ((chunk: string | Uint8Array) => {
    if (typeof chunk === 'string') writeSync(devNull, chunk);
    else writeSync(devNull, chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
    closeSync(devNull);
  }
}

/** Runs `fn` with stdout lines swallowed (the real handler logs denials as JSON lines on stdout). */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}

async function outcome(fn: () => Promise<unknown>): Promise<'allow' | 'refuse'> {
  try {
    return isAllow(await quietly(fn)) ? 'allow' : 'refuse';
  } catch {
    return 'refuse';
  }
}

const fmtNs = (ns: number) => (ns >= 10_000 ? `${(ns / 1000).toFixed(1)} µs` : `${(ns / 1000).toFixed(2)} µs`);
/** Token endpoint rows span µs (memory) to ms (table, miss). */
const fmtLatency = (ns: number) => (ns >= 1_000_000 ? `${(ns / 1_000_000).toFixed(2)} ms` : fmtNs(ns));
const fmtX = (x: number) => `${x.toFixed(x < 1 ? 3 : 2)}×`;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const exact = (bytes: number) => `${kb(bytes)} (${bytes} B)`;
const sized = (bundle: BuiltBundle) => `${kb(bundle.bytes)}, gzip ${kb(bundle.gzipBytes)}`;

async function main(): Promise<void> {
  mkdirSync(BUILD, { recursive: true });
  const host = machine();
  const loadAtStart = loadavg()[0]!;
  log(`${host.cpu}, ${host.cores} cores, Node ${host.node}`);

  // --- JWKS endpoint, keys, tokens --------------------------------------------------------------------------
  const server = await new JwksServer().start(POOL_PATH);
  const key = generateTestKey('bench-key-1');
  server.serve(jwksOf(generateTestKey('bench-key-0'), key)); // two keys, as Cognito publishes
  const issuer = server.issuer;
  const tokens = Array.from({ length: TOKEN_COUNT }, (_, i) => benchToken(key, issuer, `bench-jti-${i}`));
  const events = tokens.map((token) => restEvent(token));
  const shippedEvent = restEvent(benchToken(key, issuer, 'bench-jti-shipped', SHIPPED_SCOPE), SHIPPED_ROUTE);
  const tampered = tamper(tokens[0]!);
  log(`signed ${TOKEN_COUNT} tokens (${tokens[0]!.length} characters each); JWKS at ${server.url}`);

  const rules = fiftyRouteRules();
  const authorizerEnv: Record<string, string> = {
    COGNITO_USER_POOL_ID: POOL_PATH.slice(1),
    COGNITO_CLIENT_IDS: CLIENT_ID,
    COGNITO_ISSUER: issuer,
    SESSION_COOKIE_NAME: 'cg_session',
    HTTP_API_RESPONSE: 'simple',
    LOG_LEVEL: 'info',
    DECISION_CACHE_SIZE: String(DECISION_CACHE_SIZE),
    // The metrics' timer would print its counts in the middle of the report; every 1000 decisions still flush.
    METRICS_FLUSH_SECONDS: '3600',
    AUTH_RULES: JSON.stringify(rules),
  };

  // --- bundles, built as serverless.yml builds them ---------------------------------------------------------
  const authorizerBundle = await buildBundle(ROOT, 'functions/authorizer/handler.ts', `${BUILD}/authorizer.mjs`);
  const bareBundle = await buildBundle(
    ROOT,
    'bench/cold/authorizer-without-middy.ts',
    `${BUILD}/authorizer-without-middy.mjs`,
  );
  const floorBundle = await buildBundle(ROOT, 'bench/cold/floor-handler.ts', `${BUILD}/floor.mjs`);
  const floorHttpsBundle = await buildBundle(ROOT, 'bench/cold/floor-https-handler.ts', `${BUILD}/floor-https.mjs`);
  const tokenBundle = await buildBundle(ROOT, 'functions/token/handler.ts', `${BUILD}/token.mjs`);
  let adminEntry = 'functions/admin/handler.ts';
  let adminNote = 'functions/admin/handler.ts (the real admin handler)';
  let adminExternal: BuiltBundle;
  let adminBundled: BuiltBundle;
  try {
    adminExternal = await buildBundle(ROOT, adminEntry, `${BUILD}/admin-external.mjs`);
    adminBundled = await buildBundle(ROOT, adminEntry, `${BUILD}/admin-bundled.mjs`, { external: [] });
  } catch (error) {
    adminEntry = 'bench/cold/minimal-admin.ts';
    adminNote = `bench/cold/minimal-admin.ts, because functions/admin/handler.ts did not build: ${(error as Error).message.split('\n')[0]}`;
    adminExternal = await buildBundle(ROOT, adminEntry, `${BUILD}/admin-external.mjs`);
    adminBundled = await buildBundle(ROOT, adminEntry, `${BUILD}/admin-bundled.mjs`, { external: [] });
  }
  log(
    `built: authorizer ${authorizerBundle.bytes} B, floor ${floorBundle.bytes} B, admin ${adminExternal.bytes} B / ${adminBundled.bytes} B`,
  );

  // --- the variants -----------------------------------------------------------------------------------------
  Object.assign(process.env, authorizerEnv);
  const { handler } = (await import(pathToFileURL(authorizerBundle.file).href)) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
  const context = lambdaContext();
  const authorizer: Decide = (event) => handler(event, context);
  const { handler: bareHandler } = (await import(pathToFileURL(bareBundle.file).href)) as {
    handler: (event: unknown) => Promise<unknown>;
  };
  const bare: Decide = (event) => bareHandler(event);
  // The same bundle again, as a second module (a second container) with revocation on: its list is read from
  // dynalite, 10,000 entries, during its first decision.
  const revocationTable = await startRevocationTable(REVOKED_ENTRIES);
  Object.assign(process.env, revocationTable.env);
  const { handler: revocationHandler } = (await import(
    `${pathToFileURL(authorizerBundle.file).href}?revocation=on`
  )) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
  delete process.env.REVOCATION_TABLE;
  delete process.env.DYNAMODB_ENDPOINT;
  const authorizerRevocation: Decide = (event) => revocationHandler(event, context);
  log(`revocation table: ${REVOKED_ENTRIES} entries in dynalite`);
  const floorVerify = createFloor(key.publicJwk);
  const floor: Decide = async (event) => {
    floorVerify(String(event.headers.Authorization).slice(7));
    return { isAuthorized: true };
  };
  const jsonwebtoken = createJsonwebtokenAuthorizer(server.url, issuer);
  const jose = createJoseAuthorizer(server.url, issuer);
  const warmVariants: [string, Decide][] = [
    ['floor', floor],
    ['cognito-gate authorizer (production bundle)', authorizer],
    [`the same bundle, revocation on (${REVOKED_ENTRIES.toLocaleString('en')} entries)`, authorizerRevocation],
    ['the same core without middy', bare],
    ['jsonwebtoken + jwks-rsa', jsonwebtoken],
    ['jose', jose],
  ];

  // --- before timing anything: every variant allows the valid token and refuses a tampered one ---------------
  const checks: { variant: string; valid: string; tampered: string }[] = [];
  for (const [name, decide] of warmVariants) {
    const valid = await outcome(() => decide(events[0]!));
    const bad = await outcome(() => decide(restEvent(tampered)));
    checks.push({ variant: name, valid, tampered: bad });
    if (valid !== 'allow') fail(`${name} refused the valid token`);
    if (bad !== 'refuse') fail(`${name} allowed a tampered token`);
    // The tampered token came right after its valid original, which the decision cache now holds: refused all
    // the same. The original, asked again, is answered from the cache.
    if (
      (decide === authorizer || decide === bare || decide === authorizerRevocation) &&
      (await outcome(() => decide(events[0]!))) !== 'allow'
    )
      fail(`${name} refused a valid token on repeat`);
  }
  // Revocation really is on, all 10,000 entries loaded: a sign-in and a user from the middle of the table are
  // refused with it on and allowed with it off.
  const revocationChecks: { token: string; off: string; on: string }[] = [];
  for (const [label, claims] of [
    ['a token of a logged-out sign-in (origin_jti)', { origin_jti: revocationTable.revokedOriginJti }],
    [
      'a token of a disabled user, issued before the disable',
      { sub: revocationTable.revokedSub, iat: Math.floor(revocationTable.revokedAt / 1000) - 60 },
    ],
  ] as const) {
    const event = restEvent(benchToken(key, issuer, `bench-jti-${label}`, undefined, claims));
    const off = await outcome(() => authorizer(event));
    const on = await outcome(() => authorizerRevocation(event));
    revocationChecks.push({ token: label, off, on });
    if (off !== 'allow' || on !== 'refuse') fail(`revocation: ${label}: off ${off}, on ${on}`);
  }
  const coldEnv = { ...authorizerEnv };
  // The bundle as `sls package` ships it: the rule file is the repository's rules.json, bundled in.
  const { AUTH_RULES: _fiftyRoutes, ...shippedEnv } = authorizerEnv;
  const coldChecks: [string, string, Record<string, string>, Record<string, any>, typeof SHIPPED_ROUTE | undefined][] =
    [
      ['floor bundle', floorBundle.file, coldEnv, events[0]!, undefined],
      ['floor bundle, https-capable', floorHttpsBundle.file, coldEnv, events[0]!, undefined],
      ['authorizer bundle, 50-route file', authorizerBundle.file, coldEnv, events[0]!, undefined],
      ['authorizer without middy, 50-route file', bareBundle.file, coldEnv, events[0]!, undefined],
      ['authorizer bundle, rules.json as shipped', authorizerBundle.file, shippedEnv, shippedEvent, SHIPPED_ROUTE],
    ];
  for (const [name, bundle, env, event, route] of coldChecks) {
    const allowed = (r: unknown) => isAllow(r, route);
    const refused = (r: unknown) => typeof r === 'object' && r !== null && 'refused' in r;
    const bad = restEvent(tamper(String(event.headers.Authorization).slice(7)), route);
    await runOnce({ id: `${name} (valid)`, bundle, mode: 'decide', env, event, expect: allowed }).catch((e) =>
      fail(String(e)),
    );
    await runOnce({ id: `${name} (tampered)`, bundle, mode: 'decide', env, event: bad, expect: refused }).catch((e) =>
      fail(String(e)),
    );
    checks.push({ variant: `${name} (cold process)`, valid: 'allow', tampered: 'refuse' });
  }

  // The decision cache must miss for rotating tokens and hit for a repeated one. Proven on createAuthorizer with
  // the same config and a counting verifier (the bundle is the same code, minified).
  {
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
  log(
    'checks passed: every variant allows the valid token and refuses the tampered one; the decision cache misses on rotation',
  );

  // The check alone, as the authorizer makes it per decision: a list of 10,000 entries, a token in none of them.
  const checkList = new RevocationList(
    {
      readSince: async () => ({ entries: benchEntries(REVOKED_ENTRIES, Date.now()).map((e) => e.entry), malformed: 0 }),
    },
    { refreshMs: 3_600_000, staleMs: 3_600_000, stalePolicy: 'deny', tokenLifetimeSeconds: 86_400 },
    createLogger('bench', { write: () => undefined }),
  );
  const checkedToken: RevocationSubject = {
    sub: 'a-live-user',
    originJti: 'a-live-sign-in',
    issuedAt: Date.now() / 1000,
  };
  if ((await checkList.revokedBy(checkedToken)) !== undefined || checkList.size !== REVOKED_ENTRIES)
    fail('revocation: the check-alone list did not load its entries, or refused a live token');

  // --- warm, fresh token ------------------------------------------------------------------------------------
  const n = TOKEN_COUNT;
  const fresh = await stdoutToDevNull(() =>
    measureInterleaved(
      [
        { id: 'floor', batch: 100, sync: (i) => floorVerify(tokens[i % n]!) },
        { id: 'authorizer', batch: 100, async: (i) => authorizer(events[i % n]!) },
        { id: 'bare', batch: 100, async: (i) => bare(events[i % n]!) },
        { id: 'jsonwebtoken', batch: 50, async: (i) => jsonwebtoken(events[i % n]!) },
        { id: 'jose', batch: 100, async: (i) => jose(events[i % n]!) },
      ],
      { rounds: WARM_ROUNDS, warmupBatches: 10 },
    ),
  );
  log('warm, fresh token: done');

  // --- warm, repeated token ---------------------------------------------------------------------------------
  const repeatedEvent = events[1]!;
  const repeated = await stdoutToDevNull(() =>
    measureInterleaved(
      [
        { id: 'floor', batch: 100, sync: (i) => floorVerify(tokens[i % n]!) },
        { id: 'authorizer', batch: 2000, async: () => authorizer(repeatedEvent) },
        { id: 'bare', batch: 2000, async: () => bare(repeatedEvent) },
      ],
      { rounds: WARM_ROUNDS, warmupBatches: 10 },
    ),
  );
  log('warm, repeated token: done');

  // --- revocation off vs on -----------------------------------------------------------------------------------
  // Each pair alone, so the two alternate which goes first (with more targets one would always follow the other and
  // pay for its garbage): fresh tokens, then a repeated token, then the check by itself.
  const revocationFresh = await stdoutToDevNull(() =>
    measureInterleaved(
      [
        { id: 'off', batch: 100, async: (i) => authorizer(events[i % n]!) },
        { id: 'on', batch: 100, async: (i) => authorizerRevocation(events[i % n]!) },
      ],
      { rounds: WARM_ROUNDS, warmupBatches: 10 },
    ),
  );
  const revocationHit = await stdoutToDevNull(() =>
    measureInterleaved(
      [
        { id: 'off', batch: 2000, async: () => authorizer(repeatedEvent) },
        { id: 'on', batch: 2000, async: () => authorizerRevocation(repeatedEvent) },
      ],
      { rounds: WARM_ROUNDS, warmupBatches: 10 },
    ),
  );
  const [revocationCheck] = await measureInterleaved(
    [{ id: 'check', batch: 20_000, sync: () => checkList.revokedBy(checkedToken) }],
    { rounds: WARM_ROUNDS, warmupBatches: 10 },
  );
  log('warm, revocation off vs on: done');

  // --- decision metrics: what counting costs a cached decision -----------------------------------------------
  // The authorizer's core twice, with the same config and token, once without metrics and once with the EMF
  // counters of production (flushed every 1000 decisions to stdout, which goes to /dev/null here).
  const metricsCost = await stdoutToDevNull(async () => {
    const config = loadAuthorizerConfig(authorizerEnv, undefined);
    const quiet = createLogger('bench', { write: () => undefined });
    const emf = new EmfDecisionMetrics({
      functionName: 'bench',
      flushEvery: 1000,
      flushIntervalMs: 3_600_000,
    });
    const plain = createAuthorizer(config, createTokenVerifier(config), quiet);
    const counted = createAuthorizer(config, createTokenVerifier(config), quiet, emf);
    if (!isAllow(await plain(repeatedEvent)) || !isAllow(await counted(repeatedEvent)))
      fail('the metrics probe refused the repeated token');
    return measureInterleaved(
      [
        { id: 'core', batch: 2000, sync: () => plain.decide(repeatedEvent) },
        { id: 'core+metrics', batch: 2000, sync: () => counted.decide(repeatedEvent) },
        { id: 'counter', batch: 100_000, sync: () => emf.allowed() },
      ],
      { rounds: WARM_ROUNDS, warmupBatches: 10 },
    );
  });
  log('decision metrics: done');

  // --- cold -------------------------------------------------------------------------------------------------
  const allowed = (r: unknown) => isAllow(r);
  const loaded = (r: unknown) => r === 'loaded';
  const cold = await measureCold(
    [
      { id: 'floor', bundle: floorBundle.file, mode: 'decide', env: coldEnv, event: events[2], expect: allowed },
      {
        id: 'floor-https',
        bundle: floorHttpsBundle.file,
        mode: 'decide',
        env: coldEnv,
        event: events[2],
        expect: allowed,
      },
      {
        id: 'authorizer',
        bundle: authorizerBundle.file,
        mode: 'decide',
        env: coldEnv,
        event: events[2],
        expect: allowed,
      },
      {
        id: 'authorizer-shipped',
        bundle: authorizerBundle.file,
        mode: 'decide',
        env: shippedEnv,
        event: shippedEvent,
        expect: (r) => isAllow(r, SHIPPED_ROUTE),
      },
      { id: 'bare', bundle: bareBundle.file, mode: 'decide', env: coldEnv, event: events[2], expect: allowed },
    ],
    { samples: COLD_SAMPLES, warmup: 2 },
  );
  log('cold authorizer: done');
  const adminEnv = { COGNITO_USER_POOL_ID: 'eu-west-1_BenchPool', AWS_REGION: 'eu-west-1', LOG_LEVEL: 'info' };
  const adminCold = await measureCold(
    [
      { id: 'external', bundle: adminExternal.file, mode: 'load', env: adminEnv, expect: loaded },
      { id: 'bundled', bundle: adminBundled.file, mode: 'load', env: adminEnv, expect: loaded },
    ],
    { samples: COLD_SAMPLES, warmup: 2 },
  );
  log('cold admin: done');
  const sdk = sdkFootprint(adminExternal.file, adminEnv);
  await server.stop();
  const tokenEndpoint = await quietly(() => benchTokenEndpoint({ rounds: QUICK ? 5 : 40 }));
  log('M2M token endpoint: done');
  // Only now: a refresh that the last warm batch started must find the table, or it logs a failed read.
  await revocationTable.stop();
  const devStartup = await measureDevStartup(ROOT, QUICK ? 1 : 3);
  log('npm run dev start-up: done');
  const consoleBench = await measureConsole(QUICK ? 3 : 15);
  log('console bundle and first paint: done');

  report({
    host,
    checks,
    revocationChecks,
    revocation: { fresh: revocationFresh, hit: revocationHit, check: revocationCheck! },
    fresh,
    repeated,
    metricsCost,
    cold,
    adminCold,
    devStartup,
    consoleBench,
    authorizerBundle,
    bareBundle,
    floorBundle,
    floorHttpsBundle,
    adminExternal,
    adminBundled,
    adminNote,
    adminEntry,
    tokenBundle,
    tokenEndpoint,
    tokenLength: tokens[0]!.length,
    sdk,
    load: { start: loadAtStart, end: loadavg()[0]! },
  });
}

interface Results {
  host: ReturnType<typeof machine>;
  checks: { variant: string; valid: string; tampered: string }[];
  revocationChecks: { token: string; off: string; on: string }[];
  revocation: { fresh: Sample[]; hit: Sample[]; check: Sample };
  fresh: Sample[];
  repeated: Sample[];
  metricsCost: Sample[];
  cold: ColdSample[];
  adminCold: ColdSample[];
  devStartup: DevStartup;
  consoleBench: ConsoleBench;
  authorizerBundle: BuiltBundle;
  bareBundle: BuiltBundle;
  floorBundle: BuiltBundle;
  floorHttpsBundle: BuiltBundle;
  adminExternal: BuiltBundle;
  adminBundled: BuiltBundle;
  adminNote: string;
  adminEntry: string;
  tokenBundle: BuiltBundle;
  tokenEndpoint: TokenEndpointResults;
  tokenLength: number;
  sdk: SdkFootprint;
  load: { start: number; end: number };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  // The separator row as Biome formats Markdown tables, so README passes `npm run lint` after a run.
  return [line(rows[0]!), `|${widths.map((w) => ` ${'-'.repeat(w)} `).join('|')}|`, ...rows.slice(1).map(line)].join(
    '\n',
  );
}

function report(r: Results): void {
  const by = (samples: Sample[], id: string) => samples.find((s) => s.id === id)!;
  const coldBy = (samples: ColdSample[], id: string) => samples.find((s) => s.id === id)!;
  const floor = by(r.fresh, 'floor').median;
  const auth = by(r.fresh, 'authorizer').median;
  const jwtNs = by(r.fresh, 'jsonwebtoken').median;
  const joseNs = by(r.fresh, 'jose').median;
  const floor2 = by(r.repeated, 'floor').median;
  const hit = by(r.repeated, 'authorizer').median;
  const coldFloor = coldBy(r.cold, 'floor');
  const coldAuth = coldBy(r.cold, 'authorizer');
  const coldFloorHttps = coldBy(r.cold, 'floor-https');
  const coldShipped = coldBy(r.cold, 'authorizer-shipped');
  const coldBare = coldBy(r.cold, 'bare');
  const bareNs = by(r.fresh, 'bare').median;
  const bareHit = by(r.repeated, 'bare').median;
  const adminExt = coldBy(r.adminCold, 'external');
  const adminBun = coldBy(r.adminCold, 'bundled');
  const spread = (s: Sample) => `${fmtNs(s.p25)} – ${fmtNs(s.p75)}`;
  // Off and on ran back to back in every round: the median of the per-round differences is robust to drift.
  const pairedDelta = (samples: Sample[]) => {
    const off = by(samples, 'off').perBatch;
    return median(by(samples, 'on').perBatch.map((on, round) => on - off[round]!));
  };
  const freshDelta = pairedDelta(r.revocation.fresh);
  const hitDelta = pairedDelta(r.revocation.hit);
  const pairRow = (label: string, samples: Sample[], delta: number) => [
    label,
    fmtNs(by(samples, 'off').median),
    fmtNs(by(samples, 'on').median),
    signedNs(delta),
  ];
  const signedNs = (ns: number) => `${ns < 0 ? '−' : '+'}${fmtNs(Math.abs(ns))}`;
  const revocationRows = [
    [
      `Warm, revocation off vs on (${REVOKED_ENTRIES.toLocaleString('en')} entries)`,
      'off',
      'on',
      'on − off (median of per-round differences)',
    ],
    pairRow('fresh token (signature verified)', r.revocation.fresh, freshDelta),
    pairRow('repeated token (decision cache hit)', r.revocation.hit, hitDelta),
    ['the check alone (RevocationList.revokedBy)', '–', fmtNs(r.revocation.check.median), '–'],
  ];
  const revocationExtra = Math.max(freshDelta, hitDelta);

  const warmRows = [
    ['Warm, fresh token (decision cache misses)', 'median / op', 'p25 – p75', '× floor'],
    ['(a) floor: crypto.verify + decode + JSON.parse', fmtNs(floor), spread(by(r.fresh, 'floor')), fmtX(1)],
    ['cognito-gate authorizer (production bundle)', fmtNs(auth), spread(by(r.fresh, 'authorizer')), fmtX(auth / floor)],
    ['the same core without middy', fmtNs(bareNs), spread(by(r.fresh, 'bare')), fmtX(bareNs / floor)],
    ['(b) jsonwebtoken + jwks-rsa', fmtNs(jwtNs), spread(by(r.fresh, 'jsonwebtoken')), fmtX(jwtNs / floor)],
    ['(c) jose (createRemoteJWKSet + jwtVerify)', fmtNs(joseNs), spread(by(r.fresh, 'jose')), fmtX(joseNs / floor)],
  ];
  const repeatRows = [
    ['Warm, repeated token (decision cache hits)', 'median / op', 'p25 – p75', '× floor'],
    ['(a) floor (fresh tokens, measured alongside)', fmtNs(floor2), spread(by(r.repeated, 'floor')), fmtX(1)],
    ['cognito-gate authorizer, same token again', fmtNs(hit), spread(by(r.repeated, 'authorizer')), fmtX(hit / floor2)],
    [
      'the same core without middy, same token again',
      fmtNs(bareHit),
      spread(by(r.repeated, 'bare')),
      fmtX(bareHit / floor2),
    ],
  ];
  const core = by(r.metricsCost, 'core').median;
  const counted = by(r.metricsCost, 'core+metrics').median;
  const counter = by(r.metricsCost, 'counter').median;
  const metricsRows = [
    ['Decision metrics (EMF), warm', 'median / op', 'p25 – p75'],
    ['authorizer core, cached decision, no metrics', fmtNs(core), spread(by(r.metricsCost, 'core'))],
    ['the same with the EMF counters (flush every 1000)', fmtNs(counted), spread(by(r.metricsCost, 'core+metrics'))],
    ['the counter alone: metrics.allowed()', fmtNs(counter), spread(by(r.metricsCost, 'counter'))],
  ];
  const ms = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)} ms`);
  const coldRows = [
    [
      `Cold start (fresh node process, median of ${COLD_SAMPLES})`,
      'bundle',
      'node up',
      'module loaded',
      'first decision',
      'p25 – p75',
    ],
    [
      'floor bundle (node:http JWKS GET + crypto.verify)',
      sized(r.floorBundle),
      ms(coldFloor.bootMs),
      ms(coldFloor.loadedMs),
      ms(coldFloor.decidedMs),
      `${ms(coldFloor.decidedP25)} – ${ms(coldFloor.decidedP75)}`,
    ],
    [
      'floor bundle, also able to fetch over https (loads node:https)',
      sized(r.floorHttpsBundle),
      ms(coldFloorHttps.bootMs),
      ms(coldFloorHttps.loadedMs),
      ms(coldFloorHttps.decidedMs),
      `${ms(coldFloorHttps.decidedP25)} – ${ms(coldFloorHttps.decidedP75)}`,
    ],
    [
      'cognito-gate authorizer bundle, 50-route file (AUTH_RULES)',
      sized(r.authorizerBundle),
      ms(coldAuth.bootMs),
      ms(coldAuth.loadedMs),
      ms(coldAuth.decidedMs),
      `${ms(coldAuth.decidedP25)} – ${ms(coldAuth.decidedP75)}`,
    ],
    [
      'the same core without middy, 50-route file',
      sized(r.bareBundle),
      ms(coldBare.bootMs),
      ms(coldBare.loadedMs),
      ms(coldBare.decidedMs),
      `${ms(coldBare.decidedP25)} – ${ms(coldBare.decidedP75)}`,
    ],
    [
      'cognito-gate authorizer bundle, rules.json as shipped',
      sized(r.authorizerBundle),
      ms(coldShipped.bootMs),
      ms(coldShipped.loadedMs),
      ms(coldShipped.decidedMs),
      `${ms(coldShipped.decidedP25)} – ${ms(coldShipped.decidedP75)}`,
    ],
    [
      'admin, @aws-sdk/* external',
      `${sized(r.adminExternal)} + the SDK`,
      ms(adminExt.bootMs),
      ms(adminExt.loadedMs),
      '–',
      '–',
    ],
    ['admin, @aws-sdk/* bundled', sized(r.adminBundled), ms(adminBun.bootMs), ms(adminBun.loadedMs), '–', '–'],
  ];
  const coldDelta = coldAuth.decidedMs! - coldFloor.decidedMs!;
  const shippedDelta = coldShipped.decidedMs! - coldFloor.decidedMs!;
  const overHttps = (sample: ColdSample) => (sample.decidedMs! - coldFloorHttps.decidedMs!).toFixed(1);
  const targets = [
    ['Target', 'Limit', 'Measured', 'Met'],
    ['Warm fresh token: authorizer vs floor', '≤ 1.45×', fmtX(auth / floor), auth / floor <= 1.45 ? 'yes' : 'NO'],
    ['Warm repeated token: authorizer vs floor', '≤ 0.1×', fmtX(hit / floor2), hit / floor2 <= 0.1 ? 'yes' : 'NO'],
    [
      'Warm fresh token: faster than jsonwebtoken + jwks-rsa',
      '≥ 4×',
      fmtX(jwtNs / auth),
      jwtNs / auth >= 4 ? 'yes' : 'NO',
    ],
    [
      'Authorizer bundle, minified',
      `≤ 40 kB (${BUNDLE_LIMIT_BYTES} B)`,
      exact(r.authorizerBundle.bytes),
      r.authorizerBundle.bytes <= BUNDLE_LIMIT_BYTES ? 'yes' : 'NO',
    ],
    [
      'Cold start to first decision vs floor, 50-route file',
      '≤ floor + 6 ms',
      `floor + ${coldDelta.toFixed(1)} ms (https-capable floor + ${overHttps(coldAuth)} ms)`,
      coldDelta <= 6 ? 'yes' : 'NO',
    ],
    [
      'Cold start to first decision vs floor, rules.json as shipped',
      '≤ floor + 6 ms',
      `floor + ${shippedDelta.toFixed(1)} ms (https-capable floor + ${overHttps(coldShipped)} ms)`,
      shippedDelta <= 6 ? 'yes' : 'NO',
    ],
  ];
  targets.push([
    `Revocation on, ${REVOKED_ENTRIES.toLocaleString('en')} entries: extra per warm decision`,
    `≤ ${fmtNs(REVOCATION_LIMIT_NS)}`,
    `${signedNs(freshDelta)} fresh, ${signedNs(hitDelta)} cached`,
    revocationExtra <= REVOCATION_LIMIT_NS ? 'yes' : 'NO',
  ]);
  targets.push([
    'Decision metrics: cost per cached decision',
    '≤ 0.05 µs',
    `${fmtNs(counted - core)} (counter alone ${fmtNs(counter)})`,
    counted - core <= 50 ? 'yes' : 'NO',
  ]);
  targets.push([
    '`npm run dev` on a fresh state and build, to the banner',
    '< 15 s',
    `${(r.devStartup.medianMs / 1000).toFixed(1)} s (median of ${r.devStartup.samplesMs.length})`,
    r.devStartup.medianMs < 15_000 ? 'yes' : 'NO',
  ]);
  targets.push(...consoleTargetRows(r.consoleBench));
  const m2m = r.tokenEndpoint;
  const perToken = (calls: number[]) => Math.max(...calls) / m2m.reuseWindows;
  const sharedPerToken = perToken(m2m.shared.perClient);
  targets.push([
    `M2M token endpoint: Cognito calls per client per token, ${m2m.containers} containers`,
    '1',
    `${sharedPerToken.toFixed(2)} (memory only: ${perToken(m2m.memoryOnly.perClient).toFixed(2)})`,
    sharedPerToken <= 1 ? 'yes' : 'NO',
  ]);
  const requestsPerClient = m2m.shared.requests / m2m.clients;
  const callRows = [
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
  ];
  const tokenSample = (id: string) => by(m2m.latency, id);
  const latencyCells = (sample: Sample) => [
    fmtLatency(sample.median),
    `${fmtLatency(sample.p25)} – ${fmtLatency(sample.p75)}`,
  ];
  const tokenLatencyRows = [
    ['M2M token endpoint, warm, one container', 'median / op', 'p25 – p75'],
    ['memory hit (parse, key derivation, lookup, response, log line)', ...latencyCells(tokenSample('memory'))],
    ['shared-table hit (memory tier off; dynalite on loopback, not DynamoDB)', ...latencyCells(tokenSample('table'))],
    ['miss (table read, loopback stand-in for Cognito, table write)', ...latencyCells(tokenSample('miss'))],
  ];
  const checkRows = [
    ['Correctness check (before timing)', 'valid token', 'tampered token'],
    ...r.checks.map((c) => [c.variant, c.valid, c.tampered]),
  ];
  const hostLine = `${r.host.cpu}${r.host.cpuMHz ? ` (${Math.round(r.host.cpuMHz)} MHz)` : ''}, ${r.host.cores} cores, ${r.host.memoryGiB} GiB, Node ${r.host.node}, ${r.host.platform}`;

  const loadLine = `load average (1 min) ${r.load.start.toFixed(2)} at the start, ${r.load.end.toFixed(2)} at the end${r.load.end > r.host.cores / 2 ? ': other processes were busy, numbers are noisier than usual' : ''}`;
  const text = [
    `Machine: ${hostLine}; ${loadLine}`,
    '',
    table(targets),
    '',
    table(warmRows),
    '',
    table(repeatRows),
    '',
    table(revocationRows),
    '',
    table(metricsRows),
    '',
    table(coldRows),
    '',
    table(callRows),
    '',
    table(tokenLatencyRows),
    '',
    table(checkRows),
  ].join('\n');
  process.stdout.write(`\n${text}\n\n`);

  const json = {
    date: new Date().toISOString(),
    host: r.host,
    loadAverage: r.load,
    setup: {
      tokens: TOKEN_COUNT,
      tokenLength: r.tokenLength,
      decisionCacheSize: DECISION_CACHE_SIZE,
      routes: 50,
      coldSamples: COLD_SAMPLES,
      quick: QUICK,
      adminEntry: r.adminEntry,
      warmRounds: WARM_ROUNDS,
    },
    sdkExternalFootprint: r.sdk,
    targets: targets.slice(1).map(([name, limit, measured, met]) => ({ name, limit, measured, met: met === 'yes' })),
    warmFresh: r.fresh.map(({ perBatch, ...s }) => ({
      ...s,
      ratioToFloor: s.median / floor,
      batches: perBatch.length,
    })),
    warmRepeated: r.repeated.map(({ perBatch, ...s }) => ({
      ...s,
      ratioToFloor: s.median / floor2,
      batches: perBatch.length,
    })),
    decisionMetrics: r.metricsCost.map(({ perBatch, ...s }) => ({ ...s, batches: perBatch.length })),
    cold: r.cold.map(({ runs, ...s }) => ({ ...s, runs })),
    adminCold: r.adminCold.map(({ runs, ...s }) => ({ ...s, runs })),
    tokenEndpoint: {
      ...r.tokenEndpoint,
      latency: r.tokenEndpoint.latency.map(({ perBatch, ...s }) => ({ ...s, batches: perBatch.length })),
    },
    devStartup: r.devStartup,
    console: r.consoleBench,
    bundles: {
      authorizer: r.authorizerBundle.bytes,
      authorizerWithoutMiddy: r.bareBundle.bytes,
      floor: r.floorBundle.bytes,
      floorHttps: r.floorHttpsBundle.bytes,
      adminExternal: r.adminExternal.bytes,
      adminBundled: r.adminBundled.bytes,
      token: r.tokenBundle.bytes,
    },
    checks: r.checks,
    revocation: {
      entries: REVOKED_ENTRIES,
      checks: r.revocationChecks,
      extraNsFresh: freshDelta,
      extraNsCacheHit: hitDelta,
      checkAloneNs: r.revocation.check.median,
      fresh: r.revocation.fresh.map(({ perBatch, ...s }) => ({ ...s, batches: perBatch.length })),
      cacheHit: r.revocation.hit.map(({ perBatch, ...s }) => ({ ...s, batches: perBatch.length })),
    },
  };
  writeFileSync(`${OUT}/latest.json`, `${JSON.stringify(json, null, 2)}\n`);

  const md = `# Benchmark results

Produced by \`npm run bench\` (bench/run.ts) on ${json.date.slice(0, 10)}; the run rewrites this file. Raw numbers:
bench/results/latest.json (not committed).

**Machine:** ${hostLine}. During the run: ${loadLine}.

"kB" is 1000 bytes here: the bundle target of 40 kB is taken as 40,000 bytes, the stricter reading.

## Targets

${table(targets)}

### What middy costs here
Every handler of the product is wrapped with middy (\`@middy/core\`), the authorizer included, with its early-timeout
race turned off (each wait in the authorizer has its own deadline). middy's core imports node:stream,
node:stream/promises and node:stream/web at load. The rows "the same core without middy" measure the identical
authorizer with no wrapper (bench/cold/authorizer-without-middy.ts): middy accounts for
${r.authorizerBundle.bytes - r.bareBundle.bytes} B of bundle, ${(coldAuth.decidedMs! - coldBare.decidedMs!).toFixed(1)} ms of cold start and ${fmtNs(hit - bareHit)} per cached call.

## Warm: one Lambda container, JWKS cached, a rule file of 50 routes

A REST API v1 REQUEST authorizer event (captured from serverless-offline) with a bearer Cognito access token
(${r.tokenLength} characters, RS256, 2048-bit key), for \`GET /orders/{id}\`. The authorizer is the production
bundle (esbuild with serverless.yml's options) imported and called as Lambda calls it, \`handler(event, context)\`
with a context that has getRemainingTimeInMillis, its config read from the environment at import (AUTH_RULES holds
the 50-route file). ${TOKEN_COUNT} tokens with distinct \`jti\` are signed up front and
used in rotation, more than the decision cache holds (${DECISION_CACHE_SIZE}), so every fresh-token call verifies
a signature (the bench proves the cache misses before timing).

${table(warmRows)}

${table(repeatRows)}

## Revocation: the warm cost of checking a list of ${REVOKED_ENTRIES.toLocaleString('en')} entries

The same production bundle imported a second time, as a second container, with revocation on: its first decision
waited for its list, ${REVOKED_ENTRIES.toLocaleString('en')} entries (half sign-ins, half users, none of them the timed tokens'), read from
the revocation table of serverless.yml in dynalite (a process of its own, as DynamoDB is remote to Lambda). Off
and on are timed as a pair of their own, alternating which goes first from round to round; "on − off" is the
median of the per-round differences. Every decision checks the token's \`origin_jti\` and \`sub\` against the list, on
cache hits too; every 5 s (REVOCATION_REFRESH_SECONDS) one decision also starts a read of what changed, which is
part of the time measured here.

${table(revocationRows)}

${table([['Revocation check (before timing)', 'off', 'on'], ...r.revocationChecks.map((c) => [c.token, c.off, c.on])])}

## Decision metrics: what counting costs

The authorizer counts every decision for its CloudWatch metrics (shared/metrics/decision-metrics.ts, Embedded
Metric Format): an increment per decision, and every 1000 decisions one JSON line per counter group written to
stdout (sent to /dev/null during the timing, the same write call). Measured on the authorizer's core, called as the handler calls
it, with and without the counters, for the same cached token.

${table(metricsRows)}

## Cold: a fresh \`node\` process per sample

The authorizer runs twice: with the 50-route file of the warm runs in AUTH_RULES (its validation and compilation
are part of the cold start), and as \`sls package\` ships it, with the repository's rules.json bundled in
(\`GET /echo/{id}\`, a token with ${SHIPPED_SCOPE}).

A small driver (bench/cold/driver.mjs) imports the bundle and invokes the handler once; times are from the
parent's \`spawn()\` (process.hrtime is one monotonic clock for both processes). "First decision" covers node
start-up, module load, config, the JWKS fetch from a local HTTP server, and the first verification. The floor
bundle (bench/cold/floor-handler.ts, built the same way) fetches the same JWKS with node:http and does one
createPublicKey + crypto.verify; the target is measured against it. The https-capable floor is the same code
choosing node:http or node:https by the JWKS URL, as any authorizer that can reach Cognito must: loading
node:https (and tls) at start is part of the authorizer's difference to the plain floor, because aws-jwt-verify
imports it statically, so the row shows how much of it that is.

${table(coldRows)}

Where the authorizer's difference to the plain floor goes: node:https and tls, which aws-jwt-verify imports
statically (the https-capable floor is ${(coldFloorHttps.decidedMs! - coldFloor.decidedMs!).toFixed(1)} ms behind the plain one); compiling and running ~${kb(r.authorizerBundle.bytes)} of
code once, where a warm container runs it optimised; validating and compiling the rule file at start (the
50-route file costs ${(coldAuth.decidedMs! - coldShipped.decidedMs!).toFixed(1)} ms more than the shipped rules.json); and, on the first REST request, planning the API-wide policy.
These are medians of a noisy quantity: between runs on this machine they move by a few tenths of a millisecond.

## Admin function: AWS SDK external or bundled

Measured on ${r.adminNote}. "External" is serverless.yml's setting (\`exclude: ['@aws-sdk/*']\`): the function's
own code is ${sized(r.adminExternal)}, and the SDK is loaded at run time from the Lambda runtime's own copy (here from
node_modules, ${'`'}@aws-sdk/client-cognito-identity-provider${'`'} and its dependencies as npm installs them).
"Bundled" puts the pinned SDK into one minified file of ${sized(r.adminBundled)}.

Median time to module loaded: external ${adminExt.loadedMs.toFixed(1)} ms, bundled ${adminBun.loadedMs.toFixed(1)} ms
(node itself is up after ~${adminBun.bootMs.toFixed(1)} ms in both).

${adminRecommendation(adminExt.loadedMs, adminBun.loadedMs, r.adminExternal, r.adminBundled, r.sdk)}

## M2M token endpoint (\`POST /oauth2/token\`)

How many calls Cognito gets (bench/lib/token-endpoint.ts). ${m2m.clients} clients, each with its own secret and
scope, and ${m2m.containers} containers (handlers with their own memory tier, started a minute apart, as a
scale-out does) sharing one table; every container serves one request per client every
${m2m.requestEverySeconds} s of simulated time for ${m2m.simulatedHours} hours. Tokens live
${m2m.lifetimeSeconds / 60} minutes and are reused for 75% of that, so the span holds ${m2m.reuseWindows} reuse
windows: "per token" is calls per client per window, and 1 is the least there can be. A loopback HTTP server
answers for Cognito and counts the calls per client; the table is dynalite.

${table(callRows)}

What one request costs in a warm container, in real time: the token function's handler as Lambda calls it,
with its log line (written nowhere). The table row turns the memory tier off so that every request reads the
table; the miss row asks for a new scope each time. dynalite on loopback is not DynamoDB: an in-region
GetItem adds its own network round trip, and Cognito's token endpoint its own latency, to the rows below.
The function's bundle is ${sized(r.tokenBundle)} (the AWS SDK external).

${table(tokenLatencyRows)}

## Correctness, checked before any timing

${table(checkRows)}

## Method

- Warm: ${WARM_ROUNDS} rounds after 10 warm-up batches; in each round every variant runs one batch (100 ops; 50 for
  jsonwebtoken, 2000 for the cache hit) timed with process.hrtime.bigint(), the order rotating from round to
  round so drift spreads evenly. Reported: the median of per-batch ns/op, and the spread between batches.
- Cold: ${COLD_SAMPLES} samples per variant after 2 unrecorded runs each, the order of the variants reversed every
  other sample. Medians. Each sample is a new process with a clean environment (PATH and the function's variables).
- Correctness first: each variant must allow the valid token and refuse one with a changed signature, warm and
  as a cold process, or the run fails.
- (b) is the jsonwebtoken README's pattern: \`jwt.decode\` for the kid, jwks-rsa \`getSigningKey\` (cache and rate
  limit on) per request, \`jwt.verify\` with the PEM. (c) is jose's \`createRemoteJWKSet\` + \`jwtVerify\`. Both
  check \`token_use\` and \`client_id\` and return a one-route policy, as the tutorials do.
`;
  writeFileSync(`${ROOT}bench/RESULTS.md`, md);
  updateReadme(`Latest run: **${hostLine}**, a REST REQUEST event with a Cognito-shaped RS256 access token and a rule file
of 50 routes.

${table(targets)}

${table(warmRows)}

${table(repeatRows)}

${table(revocationRows)}

${table(metricsRows)}

${table(coldRows)}

${table(callRows)}

${table(tokenLatencyRows)}`);
  log('wrote bench/results/latest.json and bench/RESULTS.md');
}

/** README shows the latest tables between two markers; everything else in it is left as it is. */
function updateReadme(block: string): void {
  const file = `${ROOT}README.md`;
  const readme = readFileSync(file, 'utf8');
  const start = readme.indexOf('<!-- bench:start');
  const end = readme.indexOf('<!-- bench:end -->');
  if (start < 0 || end < start) return;
  const startLineEnd = readme.indexOf('\n', start) + 1;
  writeFileSync(file, `${readme.slice(0, startLineEnd) + block}\n${readme.slice(end)}`);
}

function adminRecommendation(
  externalMs: number,
  bundledMs: number,
  external: BuiltBundle,
  bundled: BuiltBundle,
  sdk: SdkFootprint,
): string {
  const diff = Math.abs(externalMs - bundledMs).toFixed(1);
  const facts = `The external build has node resolve and compile ${sdk.files} CommonJS files of the SDK (${kb(sdk.bytes)}, not
minified); the bundled build is one minified ESM file of ${kb(bundled.bytes)}, holding only what the admin handler reaches.`;
  const faster =
    bundledMs < externalMs
      ? `the bundled build reaches its module-loaded point ${diff} ms sooner`
      : `the external build reaches its module-loaded point ${diff} ms sooner`;
  return `**Decision: keep the SDK external** (serverless.yml's \`exclude: ['@aws-sdk/*']\`). Measured here, ${faster}. ${facts}

Why external all the same:

- The admin API is not on the request path of anyone's API: it serves a few administrator calls, each of which
  waits on Cognito's own API (tens of milliseconds), and a cold start's difference of this size is lost in that.
- The zip stays ~${kb(external.gzipBytes)} compressed instead of ~${kb(bundled.gzipBytes)}; Lambda downloads and unpacks the package during a
  cold start (not measured here), and the runtime's SDK receives AWS's fixes without a redeploy.
- serverless-esbuild takes one \`exclude\` for the whole service: bundling the SDK would also pull
  @aws-sdk/client-ssm into the token service, where it is loaded lazily and only in AWS.
- The price: the admin function runs the SDK version of the nodejs22.x runtime, not the one package-lock.json
  pins and the tests ran against. The admin API uses only long-stable Cognito operations.
- On Lambda the external SDK comes from the runtime's /var/runtime/node_modules, the same kind of dist-cjs files
  as here: the comparison carries over, the absolute times do not (this machine is not a Lambda host).`;
}

interface SdkFootprint {
  readonly files: number;
  readonly bytes: number;
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

main().catch((error) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
