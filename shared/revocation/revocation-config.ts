import { AWS_REGION_NAME } from '../config/cognito-patterns.js';
import { deepFreeze, type Env, EnvReader } from '../config/env-reader.js';
import { isSecureOrLoopback } from '../config/url-policy.js';
import { ConfigError } from '../errors/gate-error.js';

/** What the authorizer does when its copy is older than REVOCATION_STALE_SECONDS and the table cannot be read. */
export type StalePolicy = 'deny' | 'allow';

export interface RevocationSettings {
  readonly enabled: true;
  readonly tableName: string;
  /** The table's region: the function's own (AWS_REGION). */
  readonly region: string;
  /** Only for the local stack (dynalite on loopback); unset in AWS. */
  readonly endpoint?: string;
  /** A copy older than this is refreshed behind the request that notices it. */
  readonly refreshMs: number;
  /** A copy older than this is refreshed before the request is answered; if that fails, `stalePolicy` applies. */
  readonly staleMs: number;
  readonly stalePolicy: StalePolicy;
  /** The longest access or ID token lifetime of the pool's app clients: how long an entry can matter. */
  readonly tokenLifetimeSeconds: number;
  /** One read (all its pages) or one write to the table, retries included. */
  readonly timeoutMs: number;
}

export type RevocationConfig = RevocationSettings | { readonly enabled: false };

const TABLE_NAME = /^[\w.-]{3,255}$/;

/**
 * Parsed once at cold start by every function that reads or writes revocations, and frozen. Revocation is on
 * when a table is named; REVOCATION=off turns it off whatever else is set.
 */
export function loadRevocationConfig(env: Env): RevocationConfig {
  const read = new EnvReader(env);
  if (read.oneOf('REVOCATION', ['on', 'off'] as const, 'on') === 'off') return deepFreeze({ enabled: false });
  const tableName = read.optional('REVOCATION_TABLE');
  if (tableName === undefined) {
    // Asked for by name, a missing table is a broken deploy; left unset, it means revocation is not set up.
    if (read.optional('REVOCATION') !== undefined)
      throw new ConfigError('REVOCATION_TABLE is required when REVOCATION=on');
    return deepFreeze({ enabled: false });
  }
  if (!TABLE_NAME.test(tableName))
    throw new ConfigError(`REVOCATION_TABLE is not a DynamoDB table name: "${tableName}"`);

  const region = read.required('AWS_REGION');
  if (!AWS_REGION_NAME.test(region)) throw new ConfigError(`AWS_REGION must be an AWS region name, got "${region}"`);
  const endpoint = read.optional('DYNAMODB_ENDPOINT');
  if (endpoint !== undefined) checkEndpoint(endpoint);

  const refreshSeconds = read.integer('REVOCATION_REFRESH_SECONDS', 5, { min: 1, max: 300 });
  const staleSeconds = read.integer('REVOCATION_STALE_SECONDS', 60, { min: 1, max: 3600 });
  if (staleSeconds < refreshSeconds) {
    throw new ConfigError(
      `REVOCATION_STALE_SECONDS (${staleSeconds}) must be at least REVOCATION_REFRESH_SECONDS (${refreshSeconds})`,
    );
  }
  return deepFreeze({
    enabled: true,
    tableName,
    region,
    ...(endpoint !== undefined ? { endpoint } : {}),
    refreshMs: refreshSeconds * 1000,
    staleMs: staleSeconds * 1000,
    stalePolicy: read.oneOf('REVOCATION_STALE', ['deny', 'allow'] as const, 'deny'),
    // Cognito's access and ID tokens live 5 minutes to 1 day.
    tokenLifetimeSeconds: read.integer('REVOCATION_TOKEN_LIFETIME_SECONDS', 86_400, { min: 300, max: 86_400 }),
    timeoutMs: read.integer('REVOCATION_TIMEOUT_MS', 2000, { min: 100, max: 10_000 }),
  });
}

/** https anywhere; plain http only on loopback, for dynalite in the local stack. */
function checkEndpoint(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`DYNAMODB_ENDPOINT must be an http(s) URL, got "${value}"`);
  }
  if (!isSecureOrLoopback(url)) {
    throw new ConfigError(`DYNAMODB_ENDPOINT must be an https URL, or http on loopback, got "${value}"`);
  }
}
