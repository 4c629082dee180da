import { ConfigError } from '../errors/gate-error.js';
import type { EnvReader } from './env-reader.js';

export interface IssuerSettings {
  readonly issuer: string;
  readonly jwksUri: string;
  /** True only for a loopback http issuer (the local stack): lets the JWKS fetcher use plain http. */
  readonly allowHttp: boolean;
}

const POOL_ID = /^(?<region>[a-z]{2}(?:-[a-z]+)+-\d)_[A-Za-z0-9]+$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The region in an AWS pool id (`eu-west-1_AbC`), or undefined for another id (cognito-local's `local_...`). */
export function poolRegion(poolId: string): string | undefined {
  return POOL_ID.exec(poolId)?.groups?.region;
}

/** Hosts for which plain http is tolerated: the local stand-ins only. */
export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

export function cognitoIssuer(poolId: string): string {
  const region = POOL_ID.exec(poolId)?.groups?.region;
  if (!region) throw new ConfigError(`COGNITO_USER_POOL_ID has an id that is not a Cognito pool id: "${poolId}"`);
  return `https://cognito-idp.${region}.amazonaws.com/${poolId}`;
}

function parseUrl(name: string, value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got "${value}"`);
  }
}

/**
 * Issuers in Cognito's AWS form by default. COGNITO_ISSUER may name a non-AWS issuer only on loopback, so a
 * deployed function never trusts the local stand-ins' keys.
 */
export function issuersFromEnv(read: EnvReader): IssuerSettings[] {
  const poolIds = read.list('COGNITO_USER_POOL_ID', { required: true });
  const issuerOverride = read.optional('COGNITO_ISSUER');
  const jwksOverride = read.optional('COGNITO_JWKS_URI');
  if (issuerOverride === undefined) {
    if (jwksOverride !== undefined) throw new ConfigError('COGNITO_JWKS_URI needs COGNITO_ISSUER');
    return poolIds.map((poolId) => {
      const issuer = cognitoIssuer(poolId);
      return { issuer, jwksUri: `${issuer}/.well-known/jwks.json`, allowHttp: false };
    });
  }
  if (poolIds.length !== 1) throw new ConfigError('COGNITO_ISSUER can be set only with a single COGNITO_USER_POOL_ID');
  const issuerUrl = parseUrl('COGNITO_ISSUER', issuerOverride);
  const isLoopback = LOOPBACK_HOSTS.has(issuerUrl.hostname);
  const isAwsForm =
    issuerUrl.protocol === 'https:' && /^cognito-idp\.[a-z0-9-]+\.amazonaws\.com$/.test(issuerUrl.hostname);
  if (!isLoopback && !isAwsForm) {
    throw new ConfigError(
      "COGNITO_ISSUER must be in Cognito's form https://cognito-idp.<region>.amazonaws.com/<poolId>, or a loopback URL for local use",
    );
  }
  if (issuerUrl.protocol !== 'https:' && issuerUrl.protocol !== 'http:')
    throw new ConfigError('COGNITO_ISSUER must be http(s)');
  const issuer = issuerOverride.replace(/\/$/, '');
  const jwksUri = jwksOverride ?? `${issuer}/.well-known/jwks.json`;
  const jwksUrl = parseUrl('COGNITO_JWKS_URI', jwksUri);
  const allowHttp = issuerUrl.protocol === 'http:' && isLoopback;
  if (jwksUrl.protocol === 'http:' && !(allowHttp && LOOPBACK_HOSTS.has(jwksUrl.hostname))) {
    throw new ConfigError('COGNITO_JWKS_URI may use http only when COGNITO_ISSUER is itself http on loopback');
  }
  if (jwksUrl.protocol !== 'https:' && jwksUrl.protocol !== 'http:')
    throw new ConfigError('COGNITO_JWKS_URI must be http(s)');
  return [{ issuer, jwksUri, allowHttp }];
}
