import type { EnvReader } from '../config/env-reader.js';

/** How every function that verifies tokens treats time and the JWKS endpoint; one reading of the same variables. */
export interface JwksSettings {
  readonly clockSkewSeconds: number;
  readonly jwksTimeoutMs: number;
  readonly jwksCooldownSeconds: number;
}

export function jwksSettingsFromEnv(read: EnvReader): JwksSettings {
  return {
    clockSkewSeconds: read.integer('TOKEN_CLOCK_SKEW_SECONDS', 5, { min: 0, max: 300 }),
    jwksTimeoutMs: read.integer('JWKS_TIMEOUT_MS', 1500, { min: 50, max: 10_000 }),
    jwksCooldownSeconds: read.integer('JWKS_COOLDOWN_SECONDS', 10, { min: 1, max: 3600 }),
  };
}
