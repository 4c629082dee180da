import { UpstreamError } from '../errors/gate-error.js';
import { TokenEndpointRejection } from '../errors/login-errors.js';
import type { Logger } from '../logging/logger.js';
import type { TokenEndpointClient, TokenSet } from '../oidc/token-endpoint.js';
import { type CacheKeys, deriveCacheKeys } from './cache-key.js';
import type { CachedToken } from './sealed-token.js';
import { isFresh, isServableStale, type TokenCache } from './token-cache.js';
import { TokenEndpointThrottledError } from './token-errors.js';
import { recordCognitoCall } from './token-metrics.js';
import type { ClientCredentialsRequest } from './token-request.js';
import type { TokenForResponse } from './token-response.js';

/**
 * Where an answer came from: `memory` and `table` are hits; `upstream` is this request's own call to Cognito;
 * `coalesced` waited for another request's call in this container; `stale` is a token past its reuse window,
 * served because Cognito throttled or could not be reached.
 */
export type TokenSource = 'memory' | 'table' | 'upstream' | 'coalesced' | 'stale';

export interface IssuedToken {
  readonly token: TokenForResponse;
  readonly source: TokenSource;
}

export interface TokenIssuerDeps {
  readonly cache: TokenCache;
  readonly upstream: Pick<TokenEndpointClient, 'clientCredentials'>;
  readonly tokenEndpoint: string;
  /** Share of a token's lifetime during which it is handed out again (AWS's guidance: 0.75). */
  readonly reuseFraction: number;
  /** Retry-After for a throttled caller when Cognito sent none. */
  readonly defaultRetryAfterSeconds: number;
  readonly logger: Logger;
  /** Epoch ms; tests move it. */
  readonly now?: () => number;
}

export interface TokenIssuer {
  issue(request: ClientCredentialsRequest): Promise<IssuedToken>;
}

const THROTTLING_CODE = /too_?many_?requests|throttl|limit_?exceeded|slow_down/i;

export function createTokenIssuer(deps: TokenIssuerDeps): TokenIssuer {
  const { cache, logger } = deps;
  const now = deps.now ?? Date.now;
  // One upstream call per entry at a time in this container; the key includes the secret, so only callers
  // with the very same credentials ever wait for each other.
  const flights = new Map<string, Promise<IssuedToken>>();

  const callCognito = async (request: ClientCredentialsRequest): Promise<{ set: TokenSet; startedAt: number }> => {
    const startedAt = now();
    const report = (result: 'ok' | 'refused' | 'throttled' | 'unreachable', status?: number) =>
      recordCognitoCall(logger, {
        clientId: request.clientId,
        result,
        ...(status !== undefined ? { status } : {}),
        durationMs: now() - startedAt,
        at: startedAt,
      });
    try {
      const set = await deps.upstream.clientCredentials({
        tokenEndpoint: deps.tokenEndpoint,
        client: { clientId: request.clientId, clientSecret: request.clientSecret, method: request.authMethod },
        ...(request.scopes.length > 0 ? { scope: request.scopes.join(' ') } : {}),
      });
      report('ok', 200);
      return { set, startedAt };
    } catch (error) {
      if (error instanceof TokenEndpointRejection) {
        const throttled = error.httpStatus === 429 || THROTTLING_CODE.test(error.oauthError);
        report(throttled ? 'throttled' : 'refused', error.httpStatus);
        if (throttled)
          throw new TokenEndpointThrottledError(
            retryAfterSeconds(error.retryAfter, now(), deps.defaultRetryAfterSeconds),
          );
      } else report('unreachable');
      throw error;
    }
  };

  const fetchThroughTable = async (
    request: ClientCredentialsRequest,
    keys: CacheKeys,
    remembered: CachedToken | undefined,
  ): Promise<IssuedToken> => {
    const { fresh, stale } = await cache.inTable(keys, now());
    if (fresh) return { token: fresh, source: 'table' };
    let answer: { set: TokenSet; startedAt: number };
    try {
      answer = await callCognito(request);
    } catch (error) {
      if (error instanceof TokenEndpointThrottledError || error instanceof UpstreamError) {
        const fallback = [remembered, stale]
          .filter((token): token is CachedToken => token !== undefined && isServableStale(token, now()))
          .sort((a, b) => b.expiresAt - a.expiresAt)[0];
        if (fallback) return { token: fallback, source: 'stale' };
      } else if (error instanceof TokenEndpointRejection) {
        await cache.forget(keys);
      }
      throw error;
    }
    const token = cachedToken(answer.set, answer.startedAt, deps.reuseFraction);
    if ('freshUntil' in token) await cache.store(keys, token);
    return { token, source: 'upstream' };
  };

  return {
    async issue(request) {
      const keys = deriveCacheKeys(request.clientId, request.clientSecret, request.scopes);
      const remembered = cache.inMemory(keys, now());
      if (remembered && isFresh(remembered, now())) return { token: remembered, source: 'memory' };
      const running = flights.get(keys.id);
      if (running) {
        const shared = await running;
        return shared.source === 'upstream' ? { ...shared, source: 'coalesced' } : shared;
      }
      const flight = fetchThroughTable(request, keys, remembered).finally(() => flights.delete(keys.id));
      flights.set(keys.id, flight);
      return flight;
    },
  };
}

/** Lifetime from expires_in, counted from before the call: the token cannot outlive what is computed here. */
function cachedToken(set: TokenSet, startedAt: number, reuseFraction: number): CachedToken | TokenForResponse {
  const base = { accessToken: set.accessToken, tokenType: 'Bearer', ...(set.scope ? { scope: set.scope } : {}) };
  if (set.expiresIn === undefined || !Number.isFinite(set.expiresIn) || set.expiresIn <= 0) return base;
  const lifetimeMs = set.expiresIn * 1000;
  return { ...base, freshUntil: startedAt + lifetimeMs * reuseFraction, expiresAt: startedAt + lifetimeMs };
}

/** Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3); anything else, or nothing, gets the default. */
export function retryAfterSeconds(header: string | undefined, now: number, fallback: number): number {
  const value = header?.trim() ?? '';
  let seconds = Number.NaN;
  if (/^\d{1,6}$/.test(value)) seconds = Number(value);
  else if (value !== '') seconds = Math.ceil((Date.parse(value) - now) / 1000);
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 1), 3600) : fallback;
}
