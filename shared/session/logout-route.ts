import { CsrfError, TokenEndpointRejection } from '../errors/login-errors.js';
import { readChunkedCookie } from '../http/cookies.js';
import { buildLogoutUrl } from '../oidc/authorize-request.js';
import { singleParam } from './auth-request.js';
import { logoutConfirmationPage, prefersHtml, redirectResponse } from './auth-responses.js';
import { checkCsrf, isOwnNavigation } from './csrf.js';
import { chooseLogoutPath } from './return-path.js';
import type { AuthRoute } from './token-service.js';
import type { TokenServiceContext } from './token-service-context.js';
import { tossedCookieNames } from './tossed-cookies.js';

/** GET|POST /auth/logout: revokes every refresh token sent, clears the cookies and signs out at the hosted UI. */
export function logoutRoute({
  config,
  logger,
  deps,
  cookieSettings,
  authBase,
  clearAll,
  clientCredentials,
  openRefresh,
  revokeSession,
}: TokenServiceContext): AuthRoute {
  return async (request, ifFailed) => {
    if (request.method === 'POST') {
      checkCsrf(request, { allowedOrigins: config.allowedOrigins, requireCustomHeader: false });
    } else if (!isOwnNavigation(request, config.allowedOrigins)) {
      // A link on another site (or a sibling's <img>) must not sign anyone out: ask, and let our page POST.
      logger.info('logout needs confirmation', { route: 'logout' });
      if (prefersHtml(request.header('accept'))) {
        const action = new URL(`${authBase}/logout`, config.publicBaseUrl);
        for (const value of request.query.getAll('return_to')) action.searchParams.append('return_to', value);
        const hostedUi = new URL((await deps.endpoints.get()).logout).origin;
        return logoutConfirmationPage(`${action.pathname}${action.search}`, [hostedUi, config.publicBaseUrl]);
      }
      throw new CsrfError('csrf_check_failed', 'GET /auth/logout signs out only from this site; POST to it instead');
    }
    const tossed = tossedCookieNames(request.cookies, cookieSettings);
    if (tossed.length > 0) logger.warn('cookie tossing refused', { route: 'logout', cookies: tossed });
    const cleared = clearAll(request, tossed);
    ifFailed.setCookies(cleared);
    await revokeSession(request, 'logout');
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
  };
}
