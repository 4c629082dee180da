import { CookieDuplicatedError, type GateError, JwksUnavailableError } from '../errors/gate-error.js';
import { readChunkedCookie, readCookie } from '../http/cookies.js';
import type { ClientCredentials, TokenSet } from '../oidc/token-endpoint.js';
import type { SessionEnd } from '../revocation/session-revoker.js';
import type { VerifiedToken } from '../tokens/verifier.js';
import type { AuthRequest } from './auth-request.js';
import type { FailureAnswer } from './failure-answer.js';
import { constantTimeEqual } from './login-flow.js';
import type { CookieSealer } from './seal.js';
import { clearedSessionCookies, sessionCookies } from './session-cookies.js';
import type { AuthRoute, TokenServiceDeps } from './token-service.js';
import { clearEverywhere, tossedCookieNames } from './tossed-cookies.js';

/** The refresh cookie's sealed content: the token, whose it is, the browser it is bound to, and /auth/me's email. */
interface SealedRefresh {
  t: string;
  sub: string;
  b: string;
  e?: string;
}

export interface StoredRefresh extends SealedRefresh {
  readonly expiresAt: number;
  /** The binding matches this browser's binding cookie. */
  readonly bound: boolean;
}

const BINDING = /^[A-Za-z0-9_-]{43}$/;

/**
 * The pieces every route of the token service shares, built once per container: the clock, the cookie
 * settings, cookie clearing, the client's credentials, token-set verification and the sealed
 * refresh cookie. Each route (login-route.ts, callback-route.ts, ...) is a function over this.
 */
export function createTokenServiceContext(deps: TokenServiceDeps) {
  const { config, logger } = deps;
  const { cookies: cookieSettings } = config;
  const nowSeconds = () => Math.floor((deps.now?.() ?? Date.now()) / 1000);
  const authBase = cookieSettings.authBasePath === '/' ? '' : cookieSettings.authBasePath;
  const presentCookies = (request: AuthRequest) => new Set(request.cookies.keys());

  /**
   * Every cookie of the session, and each ambiguous name wherever a sibling could have put it. The ordinary
   * clears come last: serverless-offline keeps only the last Set-Cookie of a name (API Gateway keeps all).
   */
  const clearAll = (request: AuthRequest, tossed: readonly string[] = []) => {
    const ordinary = clearedSessionCookies(cookieSettings, presentCookies(request));
    const elsewhere = tossed.flatMap((name) => clearEverywhere(name, cookieSettings, request.path));
    return [...new Set([...elsewhere.filter((header) => !ordinary.includes(header)), ...ordinary])];
  };

  /** Throws when one of our cookie names came twice: nothing in the request is trusted, and the session ends. */
  const refuseTossed = (request: AuthRequest, ifFailed: FailureAnswer): void => {
    const tossed = tossedCookieNames(request.cookies, cookieSettings);
    if (tossed.length === 0) return;
    logger.warn('cookie tossing refused', { route: ifFailed.route, cookies: tossed });
    ifFailed.setCookies(clearAll(request, tossed));
    throw new CookieDuplicatedError(
      'Your browser sent two different copies of a sign-in cookie, which another site under this domain may have set. ' +
        'They have been cleared; please sign in again.',
    );
  };

  const clientCredentials = async (): Promise<ClientCredentials> => ({
    clientId: config.clientId,
    clientSecret: await deps.secrets.clientSecret(),
    method: config.clientAuth,
  });

  /** This browser's binding value, when its binding cookie holds one. */
  const bindingOf = (request: AuthRequest): string | undefined => {
    const value = readCookie(request.cookies, cookieSettings.bindName);
    return value !== undefined && BINDING.test(value) ? value : undefined;
  };

  /** Both tokens verified by the shared verifier; the callback adds the nonce, refresh the subject. */
  const verifyTokenSet = async (tokens: TokenSet, onInvalid: (message: string, cause: unknown) => GateError) => {
    const check = async (token: string, use: 'id' | 'access'): Promise<VerifiedToken> => {
      try {
        return await deps.verifier.verify(token, use);
      } catch (error) {
        if (error instanceof JwksUnavailableError) throw error;
        throw onInvalid(
          `the ${use === 'id' ? 'ID' : 'access'} token did not verify: ${(error as Error).message}`,
          error,
        );
      }
    };
    const access = await check(tokens.accessToken, 'access');
    const id = tokens.idToken === undefined ? undefined : await check(tokens.idToken, 'id');
    if (id && id.claims.sub !== access.claims.sub)
      throw onInvalid('the ID token and the access token are for different users', undefined);
    return { access, id };
  };

  /**
   * The session's cookies: the access token, and the refresh token sealed with the binding and the ID token's
   * email (the ID token itself is not kept). A renewal without a new refresh token re-seals the old one with its
   * old expiry, so the email follows the newest ID token.
   */
  const issueCookies = async (
    request: AuthRequest,
    tokens: TokenSet,
    verified: { access: VerifiedToken; id?: VerifiedToken },
    { binding, previous, setBinding }: { binding: string; previous?: StoredRefresh; setBinding: boolean },
  ) => {
    const now = nowSeconds();
    const refreshToken = tokens.refreshToken ?? previous?.t;
    let sealedRefresh: { value: string; maxAgeSeconds: number } | undefined;
    if (refreshToken !== undefined) {
      const sealer = await deps.secrets.cookieSealer();
      const maxAgeSeconds =
        tokens.refreshToken === undefined && previous ? previous.expiresAt - now : config.refreshMaxAgeSeconds;
      const email = verified.id?.claims.email;
      const payload: SealedRefresh = {
        t: refreshToken,
        sub: String(verified.access.claims.sub),
        b: binding,
        ...(typeof email === 'string' ? { e: email } : {}),
      };
      sealedRefresh = {
        // Deflated: nothing in it is attacker-chosen, and Cognito's refresh tokens are 1.8 KB of base64url.
        value: sealer.seal('refresh', payload, { ttlSeconds: maxAgeSeconds, nowSeconds: now, deflate: true }),
        maxAgeSeconds,
      };
    }
    return sessionCookies(
      cookieSettings,
      {
        accessToken: tokens.accessToken,
        accessExpiresAt: verified.access.exp,
        ...(sealedRefresh ? { sealedRefresh } : {}),
        ...(setBinding ? { binding: { value: binding, maxAgeSeconds: config.refreshMaxAgeSeconds } } : {}),
      },
      { nowSeconds: now, present: presentCookies(request) },
    );
  };

  const openRefresh = (
    sealer: CookieSealer,
    sealed: string,
    binding: string | undefined,
  ): StoredRefresh | undefined => {
    const opened = sealer.open<Partial<SealedRefresh>>('refresh', sealed, { nowSeconds: nowSeconds() });
    if (!opened.ok) return undefined;
    const { t, sub, b, e } = opened.data ?? {};
    if (typeof t !== 'string' || typeof sub !== 'string' || typeof b !== 'string') return undefined;
    return {
      t,
      sub,
      b,
      ...(typeof e === 'string' ? { e } : {}),
      expiresAt: opened.expiresAt,
      bound: binding !== undefined && constantTimeEqual(binding, b),
    };
  };

  /** Ends at the authorizer the sign-in of every access token the browser sent (a planted one is its owner's to lose). */
  const revokeSession = async (request: AuthRequest, cause: SessionEnd): Promise<void> => {
    if (!deps.sessionRevoker) return;
    let accessTokens: readonly string[];
    try {
      const one = readChunkedCookie(request.cookies, cookieSettings.sessionName);
      accessTokens = one === undefined ? [] : [one];
    } catch {
      accessTokens = request.cookies.get(cookieSettings.sessionName) ?? [];
    }
    await deps.sessionRevoker.revoke(accessTokens, cause);
  };

  const readRefreshCookie = async (request: AuthRequest): Promise<StoredRefresh | undefined> => {
    const sealed = readChunkedCookie(request.cookies, cookieSettings.refreshName);
    if (sealed === undefined) return undefined;
    return openRefresh(await deps.secrets.cookieSealer(), sealed, bindingOf(request));
  };
  return {
    config,
    logger,
    deps,
    cookieSettings,
    nowSeconds,
    authBase,
    clearAll,
    refuseTossed,
    clientCredentials,
    bindingOf,
    verifyTokenSet,
    issueCookies,
    openRefresh,
    readRefreshCookie,
    revokeSession,
  };
}

export type TokenServiceContext = ReturnType<typeof createTokenServiceContext>;
/** One route of the token service, built over the shared context. */
export type RouteFactory = (context: TokenServiceContext) => AuthRoute;
