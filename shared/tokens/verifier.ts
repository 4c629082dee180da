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
import type { DecomposedJwt } from 'aws-jwt-verify/jwt';
import type { JwtHeader, JwtPayload } from 'aws-jwt-verify/jwt-model';
import { JwtVerifier } from 'aws-jwt-verify/jwt-verifier';
import type { IssuerSettings } from '../config/issuer-settings.js';
import type { JwksSettings } from '../config/jwks-settings.js';
import { GateError, JwksUnavailableError, TokenExpiredError, TokenInvalidError } from '../errors/gate-error.js';
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

export interface TokenVerifierOptions extends JwksSettings {
  readonly issuers: readonly IssuerSettings[];
  readonly clientIds: readonly string[];
}

export interface TokenVerifier {
  /** Verifies signature, iss, exp (required), nbf, token_use, and client_id (access) or aud (id). */
  verify(token: string, accept: AcceptedTokenUse): Promise<VerifiedToken>;
  /**
   * verify() without a promise when the key is cached: the same answer, or the same error thrown; a promise
   * only when the JWKS must be fetched first. Optional: callers fall back to verify().
   */
  verifyNow?(token: string, accept: AcceptedTokenUse): VerifiedToken | Promise<VerifiedToken>;
  /** Fetches every issuer's JWKS ahead of the first request. Failures are left for verify() to report. */
  hydrate(): Promise<void>;
}

// aws-jwt-verify's own test of the JWT's shape (jwt.js), before it splits and parses.
const JWT_REGEX = /^[A-Za-z0-9_-]+={0,2}\.[A-Za-z0-9_-]+={0,2}\.[A-Za-z0-9_-]+={0,2}$/;

type Types = Readonly<Record<string, 'string' | 'number'>>;
// The fields whose type aws-jwt-verify asserts while decomposing (jwt.js: assertJwtHeader, assertJwtPayload).
const HEADER_TYPES: Types = { alg: 'string', kid: 'string' };
const PAYLOAD_TYPES: Types = {
  exp: 'number',
  iss: 'string',
  sub: 'string',
  nbf: 'number',
  iat: 'number',
  scope: 'string',
  jti: 'string',
};

/**
 * One part of a JWT as aws-jwt-verify decodes it, parsed without its safeJsonParse when that has nothing to do:
 * the reviver deletes keys named `__proto__` and `constructor`, and text without those words and without escapes
 * cannot hold them. The reviver costs more than the parse. Undefined for anything else, and for a JSON object
 * that the library's assertions would refuse: the caller then leaves the token to the library.
 */
function parsePart(part: string, types: Types): Record<string, unknown> | undefined {
  const text = Buffer.from(part, 'base64').toString('utf8');
  if (text.includes('\\') || text.includes('__proto__') || text.includes('constructor')) return undefined;
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  for (const name in types) {
    const field = value[name];
    if (field !== undefined && (types[name] === 'number' ? !Number.isFinite(field) : typeof field !== types[name]))
      return undefined;
  }
  return value;
}

/**
 * aws-jwt-verify's decomposeUnverifiedJwt for a JWT that passes all of its checks, the same result without the
 * reviver; undefined for any JWT that fails one of them (or might), which the library then decomposes itself,
 * throwing its own error.
 */
function decomposeWellFormed(jwt: unknown): DecomposedJwt | undefined {
  if (typeof jwt !== 'string' || !JWT_REGEX.test(jwt)) return undefined;
  const [headerB64, payloadB64, signatureB64] = jwt.split('.') as [string, string, string];
  const header = parsePart(headerB64, HEADER_TYPES);
  const payload = header && parsePart(payloadB64, PAYLOAD_TYPES);
  const aud = payload?.aud;
  if (
    !payload ||
    !(
      aud === undefined ||
      typeof aud === 'string' ||
      (Array.isArray(aud) && aud.every((one) => typeof one === 'string'))
    )
  )
    return undefined;
  return { header: header as JwtHeader, headerB64, payload: payload as JwtPayload, payloadB64, signatureB64 };
}

/**
 * JwtVerifier with one change, for speed: the token is decomposed by decomposeWellFormed when it can be, else by
 * the library. The rest of getVerifyParameters is the library's, line for line; key lookup, signature and claim
 * checks are untouched.
 */
// biome-ignore lint/suspicious/noExplicitAny: the library's own generic defaults; claims are typed where they are read
class GateJwtVerifier extends JwtVerifier<any, any, true> {
  protected override getVerifyParameters(jwt: string, verifyProperties?: Record<string, unknown>) {
    const decomposedJwt = decomposeWellFormed(jwt);
    if (!decomposedJwt) return super.getVerifyParameters(jwt, verifyProperties);
    const issuerConfig = this.getIssuerConfig(decomposedJwt.payload.iss);
    return { decomposedJwt, jwksUri: issuerConfig.jwksUri, verifyProperties: { ...issuerConfig, ...verifyProperties } };
  }
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
    if (typeof claims.exp !== 'number') throw new TokenInvalidError('token has no exp');
    const tokenUse = claims.token_use;
    if (tokenUse !== 'access' && tokenUse !== 'id') throw new TokenInvalidError('token_use is neither access nor id');
    if (accept !== 'any' && tokenUse !== accept)
      throw new TokenInvalidError(`token_use ${tokenUse} is not accepted here`);
    let clientId: unknown;
    if (tokenUse === 'access') clientId = claims.client_id;
    else clientId = Array.isArray(claims.aud) ? (claims.aud.length === 1 ? claims.aud[0] : undefined) : claims.aud;
    if (typeof clientId !== 'string' || !allowedClients.has(clientId)) {
      throw new TokenInvalidError(
        tokenUse === 'access' ? 'client_id is not an allowed client' : 'aud is not an allowed client',
      );
    }
    return { claims, tokenUse, clientId, exp: claims.exp };
  }

  function translate(error: unknown): GateError {
    if (error instanceof GateError) return error;
    if (error instanceof JwtExpiredError) return new TokenExpiredError('token expired');
    if (error instanceof JwtNotBeforeError) return new TokenInvalidError('token not yet valid');
    if (
      error instanceof FetchError ||
      error instanceof JwksValidationError ||
      error instanceof WaitPeriodNotYetEndedJwkError
    ) {
      return new JwksUnavailableError('JWKS unavailable', { cause: error });
    }
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
