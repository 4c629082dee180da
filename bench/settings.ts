/** The bench's sizes and limits, in one place: the sections measure with them and the report prints them. */
export const QUICK = process.env.BENCH_QUICK === '1';

/** Tokens signed up front, each with its own jti: more than DECISION_CACHE_SIZE, so the LRU always misses. */
export const TOKEN_COUNT = 2000;
export const DECISION_CACHE_SIZE = 1000;
export const ROUTE_COUNT = 50;
export const COLD_SAMPLES = QUICK ? 8 : 50;
export const WARM_ROUNDS = QUICK ? 15 : 150;
export const TOKEN_ENDPOINT_ROUNDS = QUICK ? 5 : 40;
export const DEV_STARTUP_SAMPLES = QUICK ? 1 : 3;
export const CONSOLE_SAMPLES = QUICK ? 3 : 15;
/** Entries in the revocation list of the "revocation on" variants, none of them for the timed tokens. */
export const REVOKED_ENTRIES = 10_000;

/** The targets the report checks: each is a row of its targets table, with "Met" yes or NO. */
export const TARGETS = {
  warmFreshVsFloor: 1.45,
  warmRepeatedVsFloor: 0.1,
  warmFasterThanJsonwebtoken: 4,
  /** "kB" is 1000 bytes: the stricter reading of 40 kB. */
  authorizerBundleBytes: 40_000,
  coldOverFloorMs: 6,
  revocationExtraNs: 2000,
  metricsExtraNs: 50,
  devStartupMs: 15_000,
} as const;
