// Subpaths, not the index: the index also pulls the Cognito and ALB verifiers into the bundle.

import {
  FetchError,
  JwksNotAvailableInCacheError,
  JwksValidationError,
  JwtBaseError,
  JwtExpiredError,
  JwtNotBeforeError,
  KidNotFoundInJwksError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import { SimpleJwksCache, SimplePenaltyBox } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { GateError, JwksUnavailableError, TokenExpiredError, TokenInvalidError } from '../errors/gate-error.js';
import { GateJwtVerifier } from './gate-jwt-verifier.js';
import type { IssuerSettings } from './issuer-settings.js';
import { BoundedJwksFetcher } from './jwks-fetcher.js';
import type { JwksSettings } from './jwks-settings.js';

export type TokenUse = 'access' | 'id';
export type AcceptedTokenUse = TokenUse | 'any';
export type Claims = JwtPayload & { token_use?: unknown; client_id?: unknown };

export interface VerifiedToken {
  readonly claims: Readonly<Claims>;
  readonly tokenUse: TokenUse;
  readonly clientId: string;
  readonly exp: number;
}

export interface TokenVerifierOptions extends JwksSettings {
  readonly issuers: readonly IssuerSettings[];
  readonly clientIds: readonly string[];
}

export interface TokenVerifier {
  /**
   * Verifies the header (no crit, no key of its own), the JSON (no duplicate or prototype members), signature,
   * iss, exp and iat (both required; iat not ahead of the clock, exp − iat within Cognito's maximum), nbf,
   * token_use, and client_id (access) or aud and azp (id).
   */
  verify(token: string, accept: AcceptedTokenUse): Promise<VerifiedToken>;
  /**
   * verify() without a promise when the key is cached: the same answer, or the same error thrown; a promise
   * only when the JWKS must be fetched first. Optional: callers fall back to verify().
   */
  verifyNow?(token: string, accept: AcceptedTokenUse): VerifiedToken | Promise<VerifiedToken>;
  /** Fetches every issuer's JWKS ahead of the first request. Failures are left for verify() to report. */
  hydrate(): Promise<void>;
}

// Access and ID tokens live five minutes to one day: docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_TokenValidityUnitsType.html
const MAX_LIFETIME_SECONDS: Readonly<Record<TokenUse, number>> = { access: 86_400, id: 86_400 };

/**
 * The client an ID token was issued to. OpenID Connect Core §3.1.3.7: with several audiences `azp` must be
 * present, and when present it names the client, which must also be an audience. Undefined when that fails.
 */
function idTokenClient(claims: Claims): unknown {
  const { aud, azp } = claims as Claims & { azp?: unknown };
  const audiences: unknown[] = Array.isArray(aud) ? aud : [aud];
  if (azp === undefined) return audiences.length === 1 ? audiences[0] : undefined;
  return audiences.includes(azp) ? azp : undefined;
}

/**
 * Built on aws-jwt-verify: the algorithm comes from the JWK, never from the token; one JWKS cache per
 * container; a kid miss refetches at most once per cool-down (the penalty box).
 */
export function createTokenVerifier(
  options: TokenVerifierOptions,
  { onJwksFetch }: { onJwksFetch?: (ok: boolean) => void } = {},
): TokenVerifier {
  const allowHttp = options.issuers.some((issuer) => issuer.allowHttp);
  const fetcher = new BoundedJwksFetcher({
    timeoutMs: options.jwksTimeoutMs,
    allowHttp,
    ...(onJwksFetch ? { onFetch: onJwksFetch } : {}),
  });
  const jwksCache = new SimpleJwksCache({
    fetcher,
    penaltyBox: new SimplePenaltyBox({ waitSeconds: options.jwksCooldownSeconds }),
  });
  const issuerProps = options.issuers.map((issuer) => ({
    issuer: issuer.issuer,
    jwksUri: issuer.jwksUri,
    audience: null,
    graceSeconds: options.clockSkewSeconds,
  }));
  const [first, ...rest] = issuerProps;
  if (!first) throw new Error('at least one issuer is required');
  const jwtVerifier = GateJwtVerifier.create([first, ...rest], { jwksCache });
  const allowedClients = new Set(options.clientIds);

  function checkCognitoFields(claims: Claims, accept: AcceptedTokenUse): VerifiedToken {
    const { exp, iat } = claims;
    if (typeof exp !== 'number') throw new TokenInvalidError('token has no exp');
    const tokenUse = claims.token_use;
    if (tokenUse !== 'access' && tokenUse !== 'id') throw new TokenInvalidError('token_use is neither access nor id');
    if (accept !== 'any' && tokenUse !== accept)
      throw new TokenInvalidError(`token_use ${tokenUse} is not accepted here`);
    // Cognito stamps iat on every access and ID token, and never lets one live longer than its maximum.
    if (typeof iat !== 'number') throw new TokenInvalidError('token has no iat');
    if (iat > Date.now() / 1000 + options.clockSkewSeconds) throw new TokenInvalidError('token issued in the future');
    if (exp - iat > MAX_LIFETIME_SECONDS[tokenUse])
      throw new TokenInvalidError(`token lives longer than Cognito allows a ${tokenUse} token`);
    const clientId = tokenUse === 'access' ? claims.client_id : idTokenClient(claims);
    if (typeof clientId !== 'string' || !allowedClients.has(clientId)) {
      throw new TokenInvalidError(
        tokenUse === 'access' ? 'client_id is not an allowed client' : 'aud or azp is not an allowed client',
      );
    }
    return { claims, tokenUse, clientId, exp };
  }

  function translate(error: unknown): GateError {
    if (error instanceof GateError) return error;
    if (error instanceof JwtExpiredError) return new TokenExpiredError('token expired');
    if (error instanceof JwtNotBeforeError) return new TokenInvalidError('token not yet valid');
    // An unknown kid is the token's fault whether or not the cool-down lets the JWKS be fetched again: 401.
    if (error instanceof WaitPeriodNotYetEndedJwkError)
      return new TokenInvalidError('kid not in the JWKS, which was fetched within the cool-down');
    if (error instanceof FetchError || error instanceof JwksValidationError)
      return new JwksUnavailableError('JWKS unavailable', { cause: error });
    if (error instanceof JwtBaseError) return new TokenInvalidError(error.message);
    if (error instanceof SyntaxError || error instanceof TypeError)
      return new JwksUnavailableError('JWKS unreadable', { cause: error });
    return new TokenInvalidError('token could not be verified');
  }

  async function verifyFetching(token: string, accept: AcceptedTokenUse): Promise<VerifiedToken> {
    let claims: Claims;
    try {
      claims = (await jwtVerifier.verify(token)) as Claims;
    } catch (asyncError) {
      throw translate(asyncError);
    }
    return checkCognitoFields(claims, accept);
  }

  function verifyNow(token: string, accept: AcceptedTokenUse): VerifiedToken | Promise<VerifiedToken> {
    // Before any JWKS is fetched the cache is empty: the sync path could only fail, with the same checks and
    // errors that the async path makes on its way to the fetch (this saves the cold start one of each).
    if (!fetcher.fetched) return verifyFetching(token, accept);
    let claims: Claims;
    try {
      // The sync path costs no promise when the JWKS is cached; a kid miss or cold cache goes async.
      claims = jwtVerifier.verifySync(token) as Claims;
    } catch (error) {
      if (error instanceof JwksNotAvailableInCacheError || error instanceof KidNotFoundInJwksError)
        return verifyFetching(token, accept);
      throw translate(error);
    }
    return checkCognitoFields(claims, accept);
  }

  return {
    verifyNow,
    async verify(token, accept) {
      return verifyNow(token, accept);
    },
    async hydrate() {
      await jwtVerifier.hydrate().catch(() => undefined);
    },
  };
}
