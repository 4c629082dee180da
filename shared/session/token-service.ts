import {
  BadRequestError,
  CookieDuplicatedError,
  GateError,
  JwksUnavailableError,
  TokenExpiredError,
  UpstreamError,
} from '../errors/gate-error.js';
import { CsrfError, LoginFailedError, SessionError, TokenEndpointRejection } from '../errors/login-errors.js';
import { readChunkedCookie, readCookie } from '../http/cookies.js';
import type { Logger } from '../logging/logger.js';
import { buildAuthorizeUrl, buildLogoutUrl, isIdentityProviderName, isLanguageTag } from '../oidc/authorize-request.js';
import type { EndpointSource } from '../oidc/discovery.js';
import type { ClientCredentials, TokenEndpointClient, TokenSet } from '../oidc/token-endpoint.js';
import type { TokenVerifier, VerifiedToken } from '../tokens/verifier.js';
import type { AuthConfig } from './auth-config.js';
import { type AuthRequest, singleParam } from './auth-request.js';
import {
  type AuthResponse,
  errorResult,
  jsonResult,
  logoutConfirmationPage,
  prefersHtml,
  redirectResponse,
} from './auth-responses.js';
import type { AuthSecrets } from './auth-secrets.js';
import { checkCsrf, isOwnNavigation } from './csrf.js';
import { constantTimeEqual, openLoginFlow, randomToken, sealLoginFlow, startLoginFlow } from './login-flow.js';
import { flowsToDrop, pairBytes } from './pending-flows.js';
import { chooseLogoutPath, chooseReturnPath } from './return-path.js';
import type { CookieSealer } from './seal.js';
import {
  bindingCookie,
  clearedFlowCookie,
  clearedSessionCookies,
  flowCookie,
  flowCookieName,
  pendingFlowNames,
  sessionCookies,
} from './session-cookies.js';
import { clearEverywhere, tossedCookieNames } from './tossed-cookies.js';

export interface TokenServiceDeps {
  readonly config: AuthConfig;
  readonly endpoints: EndpointSource;
  readonly tokenClient: TokenEndpointClient;
  readonly verifier: TokenVerifier;
  readonly secrets: AuthSecrets;
  readonly logger: Logger;
  /** Milliseconds since the epoch; tests move the clock. */
  readonly now?: () => number;
}

export type AuthRoute = (request: AuthRequest) => Promise<AuthResponse>;

export interface TokenService {
  login: AuthRoute;
  callback: AuthRoute;
  refresh: AuthRoute;
  logout: AuthRoute;
  me: AuthRoute;
}

/** The refresh cookie's sealed content: the token, whose it is, the browser it is bound to, and /auth/me's email. */
interface SealedRefresh {
  t: string;
  sub: string;
  b: string;
  e?: string;
}

interface StoredRefresh extends SealedRefresh {
  readonly expiresAt: number;
  /** The binding matches this browser's binding cookie. */
  readonly bound: boolean;
}

/** Longer return paths fall back to the default, so that a crafted login link cannot bloat the flow cookie. */
export const MAX_FLOW_RETURN_PATH = 512;
const BINDING = /^[A-Za-z0-9_-]{43}$/;

/**
 * The backend-for-frontend: the browser only ever holds HttpOnly cookies; codes, tokens and secrets stay
 * between this function and the IdP. Expected failures become a 4xx response (HTML or JSON, as the client
 * prefers) with the cookies that must go; only a bug becomes a 500.
 */
export function createTokenService(deps: TokenServiceDeps): TokenService {
  const { config, logger } = deps;
  const { cookies: cookieSettings } = config;
  const nowSeconds = () => Math.floor((deps.now?.() ?? Date.now()) / 1000);
  const authBase = cookieSettings.authBasePath === '/' ? '' : cookieSettings.authBasePath;
  const loginPath = `${authBase}/login`;
  const presentCookies = (request: AuthRequest) => new Set(request.cookies.keys());

  const fail = (route: string, request: AuthRequest, error: unknown, cookies: readonly string[] = []): AuthResponse => {
    if (error instanceof GateError) {
      logger.info(`${route} refused`, {
        route,
        reason: error.reason,
        status: error.status,
        detail: error.message,
        ...(error instanceof TokenEndpointRejection ? { oauthError: error.oauthError } : {}),
      });
    } else {
      logger.error(`${route} failed`, {
        route,
        errorName: (error as Error | undefined)?.name,
        errorMessage: (error as Error | undefined)?.message,
      });
    }
    return errorResult(error, { accept: request.header('accept'), cookies, loginPath });
  };

  /**
   * Every cookie of the session, and each ambiguous name wherever a sibling could have put it. The ordinary
   * clears come last: serverless-offline keeps only the last Set-Cookie of a name (API Gateway keeps all).
   */
  const clearAll = (request: AuthRequest, tossed: readonly string[] = []) => {
    const ordinary = clearedSessionCookies(cookieSettings, presentCookies(request));
    const elsewhere = tossed.flatMap((name) => clearEverywhere(name, cookieSettings, request.path));
    return [...new Set([...elsewhere.filter((header) => !ordinary.includes(header)), ...ordinary])];
  };

  /** A request where one of our cookie names came twice: nothing in it is trusted, and the session ends. */
  const refuseTossed = (route: string, request: AuthRequest): AuthResponse | undefined => {
    const tossed = tossedCookieNames(request.cookies, cookieSettings);
    if (tossed.length === 0) return undefined;
    const error = new CookieDuplicatedError(
      'Your browser sent two different copies of a sign-in cookie, which another site under this domain may have set. ' +
        'They have been cleared; please sign in again.',
    );
    logger.warn('cookie tossing refused', { route, cookies: tossed });
    return fail(route, request, error, clearAll(request, tossed));
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

  const readRefreshCookie = async (request: AuthRequest): Promise<StoredRefresh | undefined> => {
    const sealed = readChunkedCookie(request.cookies, cookieSettings.refreshName);
    if (sealed === undefined) return undefined;
    return openRefresh(await deps.secrets.cookieSealer(), sealed, bindingOf(request));
  };

  return {
    async login(request) {
      const refused = refuseTossed('login', request);
      if (refused) return refused;
      try {
        const returnTo = singleParam(request.query, 'return_to');
        let chosen = returnTo.ok
          ? chooseReturnPath(returnTo.value, {
              allowedPrefixes: config.postLoginPaths,
              fallback: config.defaultReturnPath,
            })
          : { path: config.defaultReturnPath, refused: 'given more than once' };
        if (chosen.path.length > MAX_FLOW_RETURN_PATH)
          chosen = { path: config.defaultReturnPath, refused: `longer than ${MAX_FLOW_RETURN_PATH} characters` };
        if (chosen.refused) logger.warn('return path refused', { route: 'login', why: chosen.refused });
        const identityProvider = singleParam(request.query, 'identity_provider');
        const lang = singleParam(request.query, 'lang');
        if (
          !identityProvider.ok ||
          (identityProvider.value !== undefined && !isIdentityProviderName(identityProvider.value))
        ) {
          throw new BadRequestError('identity_provider is not a single identity provider name');
        }
        if (!lang.ok || (lang.value !== undefined && !isLanguageTag(lang.value)))
          throw new BadRequestError('lang is not a single language tag');
        const [endpoints, sealer] = await Promise.all([deps.endpoints.get(), deps.secrets.cookieSealer()]);
        // One binding value per browser, kept across logins so that two tabs can log in at once.
        const existingBinding = bindingOf(request);
        const binding = existingBinding ?? randomToken();
        const flow = startLoginFlow(chosen.path, binding);
        const location = buildAuthorizeUrl(endpoints.authorization, {
          clientId: config.clientId,
          redirectUri: config.redirectUri,
          scopes: config.scopes,
          state: flow.state,
          nonce: flow.nonce,
          codeChallenge: flow.challenge,
          ...(identityProvider.value !== undefined ? { identityProvider: identityProvider.value } : {}),
          ...(lang.value !== undefined ? { lang: lang.value } : {}),
        });
        const sealed = sealLoginFlow(sealer, flow, { ttlSeconds: config.flowTtlSeconds, nowSeconds: nowSeconds() });
        const name = flowCookieName(cookieSettings, flow.state);
        const dropped = flowsToDrop(request.cookies, cookieSettings, sealer, {
          binding,
          nowSeconds: nowSeconds(),
          newCookieBytes: pairBytes(name, sealed) + (existingBinding ? 0 : pairBytes(cookieSettings.bindName, binding)),
        });
        logger.info('login started', { route: 'login', pendingFlowsDropped: dropped.length });
        return redirectResponse(location, [
          ...dropped.map((old) => clearedFlowCookie(cookieSettings, old)),
          flowCookie(cookieSettings, name, sealed, config.flowTtlSeconds),
          ...(existingBinding ? [] : [bindingCookie(cookieSettings, binding, config.refreshMaxAgeSeconds)]),
        ]);
      } catch (error) {
        return fail('login', request, error);
      }
    },

    async callback(request) {
      const refused = refuseTossed('callback', request);
      if (refused) return refused;
      // Whatever happens, this login's flow is single-use: its cookie goes, and no session cookie is set on failure.
      const stateParam = singleParam(request.query, 'state');
      const state = stateParam.ok && stateParam.value ? stateParam.value : undefined;
      const flowName = state === undefined ? undefined : flowCookieName(cookieSettings, state);
      const clearFlow =
        flowName !== undefined && request.cookies.has(flowName) ? [clearedFlowCookie(cookieSettings, flowName)] : [];
      try {
        const idpError = singleParam(request.query, 'error');
        if (!idpError.ok || idpError.value !== undefined) {
          const code = idpError.ok && /^[\w.-]{1,64}$/.test(idpError.value ?? '') ? idpError.value! : 'unknown_error';
          const description = request.query
            .get('error_description')
            ?.replace(/[^\x20-\x7E]/g, ' ')
            .slice(0, 200);
          throw new LoginFailedError(
            'idp_error',
            `The sign-in page reported ${code}${description ? `: ${description}` : ''}`,
          );
        }
        const notThisBrowser = () =>
          new LoginFailedError(
            'flow_missing',
            'This sign-in was not started from this browser, or its cookie was lost; please start again.',
          );
        const stateMismatch = () =>
          new LoginFailedError(
            'state_mismatch',
            'The sign-in response does not belong to the sign-in this browser started.',
          );
        if (state === undefined || flowName === undefined) throw stateMismatch();
        const sealedFlow = readCookie(request.cookies, flowName);
        if (sealedFlow === undefined) {
          // This browser has logins pending, but not this one: a forged state.
          throw pendingFlowNames(cookieSettings, request.cookies.keys()).length > 0
            ? stateMismatch()
            : notThisBrowser();
        }
        const opened = openLoginFlow(await deps.secrets.cookieSealer(), sealedFlow, { nowSeconds: nowSeconds() });
        if (!opened.ok) {
          if (opened.why === 'expired')
            throw new LoginFailedError('flow_expired', 'This sign-in took too long; please start again.');
          throw notThisBrowser();
        }
        const { flow } = opened;
        if (!constantTimeEqual(state, flow.state)) throw stateMismatch();
        // A flow cookie planted by a sibling carries the attacker's binding value, not this browser's.
        const binding = bindingOf(request);
        if (binding === undefined || !constantTimeEqual(binding, flow.binding)) throw notThisBrowser();
        // RFC 9207: an authorization server that names itself must be the one we trust (mix-up defence).
        const iss = singleParam(request.query, 'iss');
        if (!iss.ok || (iss.value !== undefined && iss.value !== config.issuer.issuer)) {
          throw new LoginFailedError('login_failed', 'The sign-in response came from another issuer.');
        }
        const code = singleParam(request.query, 'code');
        if (!code.ok || !code.value)
          throw new LoginFailedError('login_failed', 'The sign-in response carries no single authorization code.');

        const [endpoints, client] = await Promise.all([deps.endpoints.get(), clientCredentials()]);
        let tokens: TokenSet;
        try {
          tokens = await deps.tokenClient.exchangeCode({
            tokenEndpoint: endpoints.token,
            client,
            code: code.value,
            verifier: flow.verifier,
            redirectUri: config.redirectUri,
          });
        } catch (error) {
          if (error instanceof TokenEndpointRejection) {
            if (error.oauthError === 'invalid_grant')
              throw new LoginFailedError(
                'code_rejected',
                'The sign-in code was already used or has expired; please sign in again.',
                { cause: error },
              );
            logger.error('token endpoint refused this client', { route: 'callback', oauthError: error.oauthError });
            throw new LoginFailedError(
              'token_exchange_failed',
              `The sign-in could not be completed (${error.oauthError}).`,
              { cause: error },
            );
          }
          throw error;
        }
        if (tokens.idToken === undefined)
          throw new LoginFailedError('login_failed', 'The IdP returned no ID token; the openid scope is required.');
        const verified = await verifyTokenSet(
          tokens,
          (message, cause) => new LoginFailedError('login_failed', message, { cause }),
        );
        const nonce = verified.id?.claims.nonce;
        if (typeof nonce !== 'string' || !constantTimeEqual(nonce, flow.nonce)) {
          throw new LoginFailedError('nonce_mismatch', 'The ID token was not issued for this sign-in.');
        }
        const cookies = [
          ...(await issueCookies(request, tokens, verified, { binding, setBinding: true })),
          ...clearFlow,
        ];
        logger.info('login completed', { route: 'callback', sub: verified.access.claims.sub });
        return redirectResponse(flow.returnTo, cookies);
      } catch (error) {
        return fail('callback', request, error, clearFlow);
      }
    },

    async refresh(request) {
      try {
        checkCsrf(request, { allowedOrigins: config.allowedOrigins, requireCustomHeader: true });
      } catch (error) {
        return fail('refresh', request, error);
      }
      const refused = refuseTossed('refresh', request);
      if (refused) return refused;
      try {
        const stored = await readRefreshCookie(request);
        if (!stored) throw new SessionError('session_missing', 'Nobody is signed in.');
        // A refresh cookie planted by a sibling would sign this browser in as the attacker.
        if (!stored.bound)
          throw new SessionError('session_missing', 'The refresh cookie was not issued to this browser.');
        const [endpoints, client] = await Promise.all([deps.endpoints.get(), clientCredentials()]);
        let tokens: TokenSet;
        try {
          tokens = await deps.tokenClient.refresh({ tokenEndpoint: endpoints.token, client, refreshToken: stored.t });
        } catch (error) {
          // Only a dead grant ends the session; a refusal of our client (a rotated secret) is our fault, not the user's.
          if (error instanceof TokenEndpointRejection && error.oauthError === 'invalid_grant') {
            throw new SessionError('session_expired', 'The session has ended; please sign in again.', { cause: error });
          }
          if (error instanceof TokenEndpointRejection) {
            logger.error('token endpoint refused this client', { route: 'refresh', oauthError: error.oauthError });
            throw new UpstreamError('The session could not be renewed right now; please try again.', { cause: error });
          }
          throw error;
        }
        const verified = await verifyTokenSet(
          tokens,
          (message, cause) => new SessionError('session_expired', message, { cause }),
        );
        if (verified.access.claims.sub !== stored.sub)
          throw new SessionError('session_expired', 'The refreshed tokens are for another user.');
        const cookies = await issueCookies(request, tokens, verified, {
          binding: stored.b,
          previous: stored,
          setBinding: false,
        });
        logger.info('session refreshed', { route: 'refresh', sub: stored.sub });
        return jsonResult(200, { expiresAt: verified.access.exp }, cookies);
      } catch (error) {
        // A session that cannot be renewed is over: clear it. An IdP outage is not the session's fault: keep it.
        const ended = error instanceof SessionError;
        return fail('refresh', request, error, ended ? clearAll(request) : []);
      }
    },

    async logout(request) {
      if (request.method === 'POST') {
        try {
          checkCsrf(request, { allowedOrigins: config.allowedOrigins, requireCustomHeader: false });
        } catch (error) {
          return fail('logout', request, error);
        }
      } else if (!isOwnNavigation(request, config.allowedOrigins)) {
        // A link on another site (or a sibling's <img>) must not sign anyone out: ask, and let our page POST.
        logger.info('logout needs confirmation', { route: 'logout' });
        if (prefersHtml(request.header('accept'))) {
          const action = new URL(`${authBase}/logout`, config.publicBaseUrl);
          for (const value of request.query.getAll('return_to')) action.searchParams.append('return_to', value);
          let hostedUi: string;
          try {
            hostedUi = new URL((await deps.endpoints.get()).logout).origin;
          } catch (error) {
            return fail('logout', request, error);
          }
          return logoutConfirmationPage(`${action.pathname}${action.search}`, [hostedUi, config.publicBaseUrl]);
        }
        return fail(
          'logout',
          request,
          new CsrfError('csrf_check_failed', 'GET /auth/logout signs out only from this site; POST to it instead'),
        );
      }
      const tossed = tossedCookieNames(request.cookies, cookieSettings);
      if (tossed.length > 0) logger.warn('cookie tossing refused', { route: 'logout', cookies: tossed });
      const cleared = clearAll(request, tossed);
      try {
        const returnTo = singleParam(request.query, 'return_to');
        const chosen = returnTo.ok
          ? chooseLogoutPath(returnTo.value, config.postLogoutPaths)
          : { path: config.postLogoutPaths[0], refused: 'given more than once' };
        if (chosen.refused) logger.warn('logout path refused', { route: 'logout', why: chosen.refused });
        const endpoints = await deps.endpoints.get();
        // Every refresh token the browser sent is revoked, bound or not: a planted one is the attacker's to lose.
        let sealedValues: readonly string[];
        try {
          const one = readChunkedCookie(request.cookies, cookieSettings.refreshName);
          sealedValues = one === undefined ? [] : [one];
        } catch {
          sealedValues = request.cookies.get(cookieSettings.refreshName) ?? [];
        }
        const sealer = sealedValues.length > 0 ? await deps.secrets.cookieSealer() : undefined;
        for (const sealed of sealedValues) {
          const stored = sealer && openRefresh(sealer, sealed, undefined);
          if (!stored) {
            logger.warn('refresh cookie not readable; nothing revoked', { route: 'logout' });
            continue;
          }
          try {
            await deps.tokenClient.revoke({
              revocationEndpoint: endpoints.revocation,
              client: await clientCredentials(),
              token: stored.t,
            });
            logger.info('refresh token revoked', { route: 'logout', sub: stored.sub });
          } catch (error) {
            // Signing out must not fail because revocation did: the cookies go regardless.
            logger.warn('refresh token not revoked', {
              route: 'logout',
              errorName: (error as Error).name,
              ...(error instanceof TokenEndpointRejection ? { oauthError: error.oauthError } : {}),
            });
          }
        }
        const logoutUri = new URL(chosen.path, config.publicBaseUrl).href;
        return redirectResponse(buildLogoutUrl(endpoints.logout, { clientId: config.clientId, logoutUri }), cleared);
      } catch (error) {
        return fail('logout', request, error, cleared);
      }
    },

    async me(request) {
      const refused = refuseTossed('me', request);
      if (refused) return refused;
      try {
        const accessToken = readChunkedCookie(request.cookies, cookieSettings.sessionName);
        if (accessToken === undefined) throw new SessionError('session_missing', 'Nobody is signed in.');
        let verified: VerifiedToken;
        try {
          verified = await deps.verifier.verify(accessToken, 'access');
        } catch (error) {
          if (error instanceof JwksUnavailableError) throw error;
          if (error instanceof TokenExpiredError)
            throw new SessionError('session_expired', 'The session has expired.', { cause: error });
          throw new SessionError('session_missing', 'The session cookie does not hold a valid access token.', {
            cause: error,
          });
        }
        const { claims } = verified;
        // The email is the one claim that only the ID token has: it was sealed into the refresh cookie at login.
        const stored = await readRefreshCookie(request).catch(() => undefined);
        const email = stored?.bound && stored.sub === claims.sub ? stored.e : undefined;
        const groups = claims['cognito:groups'];
        const username = claims.username ?? claims['cognito:username'];
        return jsonResult(200, {
          sub: claims.sub,
          username: typeof username === 'string' ? username : null,
          email: email ?? null,
          groups: Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : [],
          expiresAt: verified.exp,
        });
      } catch (error) {
        return fail('me', request, error);
      }
    },
  };
}
