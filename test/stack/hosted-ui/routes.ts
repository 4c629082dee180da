import { createLocalJWKSet, type JWK, jwtVerify } from 'jose';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { SignOutCheck } from '../global-sign-out.js';
import { scopeList, userInfoClaims } from './cognito-claims.js';
import { createLoginForm, messagePage, type ProviderContext, sendHtml } from './login-form.js';
import type { WebAppClient } from './provider-configuration.js';
import type { UserDirectory } from './user-directory.js';

/**
 * The routes Cognito has and oidc-provider has not, in front of oidc-provider's own: discovery under the pool
 * URL, `/oauth2/userInfo`, Cognito's `/logout`, no refresh token from a refresh, and the sign-in form.
 */
export function useCognitoRoutes(
  provider: Provider,
  {
    issuer,
    baseUrl,
    userPoolId,
    webClient,
    publicJwks,
    directory,
    signOuts,
  }: {
    issuer: string;
    baseUrl: string;
    userPoolId: string;
    webClient: WebAppClient;
    publicJwks: { keys: JWK[] };
    directory: UserDirectory;
    signOuts: SignOutCheck;
  },
): void {
  const verifyAccessToken = createLocalJWKSet(publicJwks);
  const { showInteraction, submitLogin } = createLoginForm(provider, directory);

  /** Cognito's `/logout?client_id&logout_uri` (or `&redirect_uri` to sign in again); plain OIDC logout falls through. */
  const cognitoLogout = async (ctx: ProviderContext): Promise<void> => {
    const clientId = ctx.query.client_id;
    const logoutUri = ctx.query.logout_uri;
    const redirectUri = ctx.query.redirect_uri;
    if (typeof clientId !== 'string' || clientId !== webClient.clientId) {
      sendHtml(ctx, 400, messagePage('Bad request', 'Unknown or missing client_id.'));
      return;
    }
    let target: string;
    if (typeof logoutUri === 'string') {
      if (!webClient.postLogoutRedirectUris.includes(logoutUri)) {
        sendHtml(ctx, 400, messagePage('Bad request', 'logout_uri is not a sign-out URL of this app client.'));
        return;
      }
      target = logoutUri;
    } else if (typeof redirectUri === 'string' && webClient.redirectUris.includes(redirectUri)) {
      // Cognito's second form: sign out, then start a new sign-in with the same parameters.
      target = `${baseUrl}/oauth2/authorize?${new URLSearchParams(ctx.querystring).toString()}`;
    } else {
      sendHtml(ctx, 400, messagePage('Bad request', 'redirect_uri is not a callback URL of this app client.'));
      return;
    }
    const sessionCookie = provider.cookieName('session');
    const sessionId = ctx.cookies.get(sessionCookie);
    if (sessionId !== undefined) {
      const session = await provider.Session.find(sessionId);
      await session?.destroy();
    }
    // Refresh tokens stay valid, as after Cognito's /logout; only the hosted UI session ends.
    ctx.cookies.set(sessionCookie, null, { path: '/', httpOnly: true, sameSite: 'lax' });
    ctx.status = 302;
    ctx.redirect(target);
  };

  /** Cognito's `/oauth2/userInfo`: a Bearer access token with `openid` in its scope, answered from cognito-local. */
  const userInfo = async (ctx: ProviderContext): Promise<void> => {
    const fail = (status: number, error: string, description: string): void => {
      ctx.status = status;
      ctx.set('WWW-Authenticate', `Bearer error="${error}", error_description="${description}"`);
      ctx.body = { error, error_description: description };
    };
    const authorization = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (match?.[1] === undefined) {
      fail(400, 'invalid_request', 'Bad OAuth2 request at UserInfo Endpoint');
      return;
    }
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(match[1], verifyAccessToken, { issuer, algorithms: ['RS256'] }));
    } catch {
      fail(401, 'invalid_token', 'Access token is expired, disabled, or deleted, or the user has globally signed out.');
      return;
    }
    const scopes = scopeList(claims.scope);
    const user =
      claims.token_use === 'access' && typeof claims.sub === 'string' && typeof claims.username === 'string'
        ? await directory.getUser(claims.sub)
        : undefined;
    if (user === undefined || !user.enabled || signOuts.revoked(user.username, claims)) {
      fail(401, 'invalid_token', 'Access token is expired, disabled, or deleted, or the user has globally signed out.');
      return;
    }
    if (!scopes.includes('openid')) {
      fail(403, 'insufficient_scope', 'Access token does not contain openid scope');
      return;
    }
    const body = userInfoClaims(user, scopes);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  };

  const discoveryAlias = `/${userPoolId}/.well-known/openid-configuration`;

  provider.use(async (ctx, next) => {
    try {
      if (ctx.path === discoveryAlias) {
        // Cognito publishes discovery under the pool URL; oidc-provider serves it at the mount root.
        ctx.path = '/.well-known/openid-configuration';
        return await next();
      }
      if (ctx.path.toLowerCase() === '/oauth2/userinfo') {
        return await userInfo(ctx);
      }
      if (
        ctx.path === '/logout' &&
        ctx.method === 'GET' &&
        ('logout_uri' in ctx.query || 'redirect_uri' in ctx.query)
      ) {
        return await cognitoLogout(ctx);
      }
      if (ctx.path === '/oauth2/token') {
        await next();
        const body = ctx.body as { refresh_token?: unknown } | undefined;
        // Cognito returns a refresh token only from the authorization_code grant, never from a refresh.
        if (ctx.oidc?.params?.grant_type === 'refresh_token' && typeof body === 'object' && body !== null) {
          delete body.refresh_token;
        }
        return undefined;
      }
      const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(ctx.path);
      if (interaction?.[1] !== undefined) {
        ctx.set('Cache-Control', 'no-store');
        if (interaction[2] === undefined && ctx.method === 'GET') {
          return await showInteraction(ctx, interaction[1]);
        }
        if (interaction[2] !== undefined && ctx.method === 'POST') {
          return await submitLogin(ctx, interaction[1]);
        }
        ctx.status = 405;
        return undefined;
      }
      return await next();
    } catch (error) {
      if (error instanceof errors.SessionNotFound) {
        sendHtml(ctx, 400, messagePage('Sign-in expired', 'This sign-in page has expired; start again from the app.'));
        return undefined;
      }
      throw error;
    }
  });
}
