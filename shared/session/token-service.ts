import type { AuthConfig } from '../config/auth-config.js';
import {
  BadRequestError,
  GateError,
  JwksUnavailableError,
  TokenExpiredError,
  UpstreamError,
} from '../errors/gate-error.js';
import { readChunkedCookie, readCookie } from '../http/cookies.js';
import type { Logger } from '../logging/logger.js';
import { buildAuthorizeUrl, buildLogoutUrl, isIdentityProviderName, isLanguageTag } from '../oidc/authorize-request.js';
import type { EndpointSource } from '../oidc/discovery.js';
import {
  type ClientCredentials,
  type TokenEndpointClient,
  TokenEndpointRejection,
  type TokenSet,
} from '../oidc/token-endpoint.js';
import type { TokenVerifier, VerifiedToken } from '../tokens/verifier.js';
import { LoginFailedError, SessionError } from './auth-errors.js';
import { type AuthRequest, singleParam } from './auth-request.js';
import { type AuthResponse, errorResult, jsonResult, redirectResponse } from './auth-responses.js';
import type { AuthSecrets } from './auth-secrets.js';
import { checkCsrf } from './csrf.js';
import { constantTimeEqual, openLoginFlow, sealLoginFlow, startLoginFlow } from './login-flow.js';
import { chooseLogoutPath, chooseReturnPath } from './return-path.js';
import { clearedFlowCookie, clearedSessionCookies, flowCookie, sessionCookies } from './session-cookies.js';

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

interface SealedRefresh {
  t: string;
  sub: string;
}

/**
 * The backend-for-frontend: the browser only ever holds HttpOnly cookies; codes, tokens and secrets stay
 * between this function and the IdP. Expected failures become a 4xx response (HTML or JSON, as the client
 * prefers) with the cookies that must go; only a bug becomes a 500.
 */
export function createTokenService(deps: TokenServiceDeps): TokenService {
  const { config, logger } = deps;
  const { cookies: cookieSettings } = config;
  const nowSeconds = () => Math.floor((deps.now?.() ?? Date.now()) / 1000);
  const loginPath = `${cookieSettings.authBasePath === '/' ? '' : cookieSettings.authBasePath}/login`;
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

  const clientCredentials = async (): Promise<ClientCredentials> => ({
    clientId: config.clientId,
    clientSecret: await deps.secrets.clientSecret(),
    method: config.clientAuth,
  });

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

  const issueCookies = async (
    request: AuthRequest,
    tokens: TokenSet,
    verified: { access: VerifiedToken; id?: VerifiedToken },
  ) => {
    const now = nowSeconds();
    let sealedRefresh: { value: string; maxAgeSeconds: number } | undefined;
    if (tokens.refreshToken !== undefined) {
      const sealer = await deps.secrets.cookieSealer();
      const payload: SealedRefresh = { t: tokens.refreshToken, sub: String(verified.access.claims.sub) };
      sealedRefresh = {
        value: sealer.seal('refresh', payload, { ttlSeconds: config.refreshMaxAgeSeconds, nowSeconds: now }),
        maxAgeSeconds: config.refreshMaxAgeSeconds,
      };
    }
    return sessionCookies(
      cookieSettings,
      {
        accessToken: tokens.accessToken,
        accessExpiresAt: verified.access.exp,
        ...(tokens.idToken !== undefined && verified.id
          ? { idToken: { value: tokens.idToken, expiresAt: verified.id.exp } }
          : {}),
        ...(sealedRefresh ? { sealedRefresh } : {}),
      },
      { nowSeconds: now, present: presentCookies(request) },
    );
  };

  const openRefreshCookie = async (request: AuthRequest): Promise<SealedRefresh | undefined> => {
    const sealed = readChunkedCookie(request.cookies, cookieSettings.refreshName);
    if (sealed === undefined) return undefined;
    const opened = (await deps.secrets.cookieSealer()).open<Partial<SealedRefresh>>('refresh', sealed, {
      nowSeconds: nowSeconds(),
    });
    if (!opened.ok || typeof opened.data?.t !== 'string' || typeof opened.data.sub !== 'string') return undefined;
    return { t: opened.data.t, sub: opened.data.sub };
  };

  return {
    async login(request) {
      try {
        const returnTo = singleParam(request.query, 'return_to');
        const chosen = returnTo.ok
          ? chooseReturnPath(returnTo.value, {
              allowedPrefixes: config.postLoginPaths,
              fallback: config.defaultReturnPath,
            })
          : { path: config.defaultReturnPath, refused: 'given more than once' };
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
        const flow = startLoginFlow(chosen.path);
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
        logger.info('login started', { route: 'login' });
        return redirectResponse(location, [flowCookie(cookieSettings, sealed, config.flowTtlSeconds)]);
      } catch (error) {
        return fail('login', request, error);
      }
    },

    async callback(request) {
      // Whatever happens, the flow is single-use: its cookie goes, and no session cookie is set on failure.
      const clearFlow = [clearedFlowCookie(cookieSettings)];
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
        const opened = openLoginFlow(
          await deps.secrets.cookieSealer(),
          readCookie(request.cookies, cookieSettings.flowName),
          {
            nowSeconds: nowSeconds(),
          },
        );
        if (!opened.ok) {
          if (opened.why === 'expired')
            throw new LoginFailedError('flow_expired', 'This sign-in took too long; please start again.');
          throw new LoginFailedError(
            'flow_missing',
            'This sign-in was not started from this browser, or its cookie was lost; please start again.',
          );
        }
        const { flow } = opened;
        const state = singleParam(request.query, 'state');
        if (!state.ok || state.value === undefined || !constantTimeEqual(state.value, flow.state)) {
          throw new LoginFailedError(
            'state_mismatch',
            'The sign-in response does not belong to the sign-in this browser started.',
          );
        }
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
        const cookies = [...(await issueCookies(request, tokens, verified)), ...clearFlow];
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
      const clearAll = () => clearedSessionCookies(cookieSettings, presentCookies(request));
      try {
        const stored = await openRefreshCookie(request);
        if (!stored) throw new SessionError('session_missing', 'Nobody is signed in.');
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
        const cookies = await issueCookies(request, tokens, verified);
        logger.info('session refreshed', { route: 'refresh', sub: stored.sub });
        return jsonResult(200, { expiresAt: verified.access.exp }, cookies);
      } catch (error) {
        // A session that cannot be renewed is over: clear it. An IdP outage is not the session's fault: keep it.
        const ended = error instanceof SessionError;
        return fail('refresh', request, error, ended ? clearAll() : []);
      }
    },

    async logout(request) {
      if (request.method === 'POST') {
        try {
          checkCsrf(request, { allowedOrigins: config.allowedOrigins, requireCustomHeader: false });
        } catch (error) {
          return fail('logout', request, error);
        }
      }
      const cleared = clearedSessionCookies(cookieSettings, presentCookies(request));
      try {
        const returnTo = singleParam(request.query, 'return_to');
        const chosen = returnTo.ok
          ? chooseLogoutPath(returnTo.value, config.postLogoutPaths)
          : { path: config.postLogoutPaths[0], refused: 'given more than once' };
        if (chosen.refused) logger.warn('logout path refused', { route: 'logout', why: chosen.refused });
        const endpoints = await deps.endpoints.get();
        const stored = await openRefreshCookie(request).catch((error: unknown) => {
          logger.warn('refresh cookie not readable; nothing revoked', {
            route: 'logout',
            errorName: (error as Error | undefined)?.name,
          });
          return undefined;
        });
        if (stored) {
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
      try {
        const idToken = readChunkedCookie(request.cookies, cookieSettings.idName);
        if (idToken === undefined) throw new SessionError('session_missing', 'Nobody is signed in.');
        let verified: VerifiedToken;
        try {
          verified = await deps.verifier.verify(idToken, 'id');
        } catch (error) {
          if (error instanceof JwksUnavailableError) throw error;
          if (error instanceof TokenExpiredError)
            throw new SessionError('session_expired', 'The session has expired.', { cause: error });
          throw new SessionError('session_missing', 'The session cookie does not hold a valid ID token.', {
            cause: error,
          });
        }
        const { claims } = verified;
        const groups = claims['cognito:groups'];
        const username = claims['cognito:username'] ?? claims.username;
        return jsonResult(200, {
          sub: claims.sub,
          username: typeof username === 'string' ? username : null,
          email: typeof claims.email === 'string' ? claims.email : null,
          groups: Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : [],
          expiresAt: verified.exp,
        });
      } catch (error) {
        return fail('me', request, error);
      }
    },
  };
}
