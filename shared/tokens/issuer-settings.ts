import { AWS_USER_POOL_ID, COGNITO_ISSUER_HOST } from '../config/cognito-patterns.js';
import type { EnvReader } from '../config/env-reader.js';
import { isLoopbackUrl, isSecureOrLoopback } from '../config/url-policy.js';
import { ConfigError } from '../errors/gate-error.js';

export interface IssuerSettings {
  readonly issuer: string;
  readonly jwksUri: string;
  /** True only for a loopback http issuer (the local stack): lets the JWKS fetcher use plain http. */
  readonly allowHttp: boolean;
}

export function cognitoIssuer(poolId: string): string {
  const region = AWS_USER_POOL_ID.exec(poolId)?.groups?.region;
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
  const isLoopback = isLoopbackUrl(issuerUrl);
  const isAwsForm = issuerUrl.protocol === 'https:' && COGNITO_ISSUER_HOST.test(issuerUrl.hostname);
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
  if (!isSecureOrLoopback(jwksUrl, { allowLoopbackHttp: allowHttp }) && jwksUrl.protocol === 'http:') {
    throw new ConfigError('COGNITO_JWKS_URI may use http only when COGNITO_ISSUER is itself http on loopback');
  }
  if (jwksUrl.protocol !== 'https:' && jwksUrl.protocol !== 'http:')
    throw new ConfigError('COGNITO_JWKS_URI must be http(s)');
  return [{ issuer, jwksUri, allowHttp }];
}
