import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache, SimplePenaltyBox } from 'aws-jwt-verify/jwk';
import {
  JwtExpiredError,
  JwtNotBeforeError,
  JwksNotAvailableInCacheError,
  KidNotFoundInJwksError,
  JwtBaseError,
  FetchError,
  WaitPeriodNotYetEndedJwkError,
  JwksValidationError,
} from 'aws-jwt-verify/error';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { GateError, JwksUnavailableError, TokenExpiredError, TokenInvalidError } from '../errors/gate-error.js';
import type { IssuerSettings } from '../config/issuer-settings.js';
import { BoundedJwksFetcher } from './jwks-fetcher.js';

export type TokenUse = 'access' | 'id';
export type AcceptedTokenUse = TokenUse | 'any';
export type Claims = JwtPayload & { token_use?: unknown; client_id?: unknown };

export interface VerifiedToken {
  readonly claims: Readonly<Claims>;
  readonly tokenUse: TokenUse;
  readonly clientId: string;
  readonly exp: number;
}

export interface TokenVerifierOptions {
  readonly issuers: readonly IssuerSettings[];
  readonly clientIds: readonly string[];
  readonly clockSkewSeconds: number;
  readonly jwksTimeoutMs: number;
  readonly jwksCooldownSeconds: number;
}

export interface TokenVerifier {
  /** Verifies signature, iss, exp (required), nbf, token_use, and client_id (access) or aud (id). */
  verify(token: string, accept: AcceptedTokenUse): Promise<VerifiedToken>;
  /** Fetches every issuer's JWKS ahead of the first request. Failures are left for verify() to report. */
  hydrate(): Promise<void>;
}

/**
 * Built on aws-jwt-verify: the algorithm comes from the JWK, never from the token; one JWKS cache per
 * container; a kid miss refetches at most once per cool-down (the penalty box).
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const allowHttp = options.issuers.some((issuer) => issuer.allowHttp);
  const jwksCache = new SimpleJwksCache({
    fetcher: new BoundedJwksFetcher({ timeoutMs: options.jwksTimeoutMs, allowHttp }),
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
  const jwtVerifier = JwtVerifier.create([first, ...rest], { jwksCache });
  const allowedClients = new Set(options.clientIds);

  function checkCognitoFields(claims: Claims, accept: AcceptedTokenUse): VerifiedToken {
    if (typeof claims.exp !== 'number') throw new TokenInvalidError('token has no exp');
    const tokenUse = claims.token_use;
    if (tokenUse !== 'access' && tokenUse !== 'id') throw new TokenInvalidError('token_use is neither access nor id');
    if (accept !== 'any' && tokenUse !== accept) throw new TokenInvalidError(`token_use ${tokenUse} is not accepted here`);
    let clientId: unknown;
    if (tokenUse === 'access') clientId = claims.client_id;
    else clientId = Array.isArray(claims.aud) ? (claims.aud.length === 1 ? claims.aud[0] : undefined) : claims.aud;
    if (typeof clientId !== 'string' || !allowedClients.has(clientId)) {
      throw new TokenInvalidError(tokenUse === 'access' ? 'client_id is not an allowed client' : 'aud is not an allowed client');
    }
    return { claims, tokenUse, clientId, exp: claims.exp };
  }

  function translate(error: unknown): GateError {
    if (error instanceof GateError) return error;
    if (error instanceof JwtExpiredError) return new TokenExpiredError('token expired');
    if (error instanceof JwtNotBeforeError) return new TokenInvalidError('token not yet valid');
    if (error instanceof FetchError || error instanceof JwksValidationError || error instanceof WaitPeriodNotYetEndedJwkError) {
      return new JwksUnavailableError('JWKS unavailable', { cause: error });
    }
    if (error instanceof JwtBaseError) return new TokenInvalidError(error.message);
    if (error instanceof SyntaxError || error instanceof TypeError) return new JwksUnavailableError('JWKS unreadable', { cause: error });
    return new TokenInvalidError('token could not be verified');
  }

  return {
    async verify(token, accept) {
      let claims: Claims;
      try {
        // The sync path costs no promise when the JWKS is cached; a kid miss or cold cache goes async.
        claims = jwtVerifier.verifySync(token) as Claims;
      } catch (error) {
        if (!(error instanceof JwksNotAvailableInCacheError || error instanceof KidNotFoundInJwksError)) throw translate(error);
        try {
          claims = (await jwtVerifier.verify(token)) as Claims;
        } catch (asyncError) {
          throw translate(asyncError);
        }
      }
      return checkCognitoFields(claims, accept);
    },
    async hydrate() {
      await jwtVerifier.hydrate().catch(() => undefined);
    },
  };
}
