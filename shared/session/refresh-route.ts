import { UpstreamError } from '../errors/gate-error.js';
import { SessionError, TokenEndpointRejection } from '../errors/login-errors.js';
import type { TokenSet } from '../oidc/token-endpoint.js';
import { jsonResult } from './auth-responses.js';
import { checkCsrf } from './csrf.js';
import type { AuthRoute } from './token-service.js';
import type { TokenServiceContext } from './token-service-context.js';

/** POST /auth/refresh: renews the access token with the bound refresh token; a dead grant ends the session. */
export function refreshRoute({
  config,
  logger,
  deps,
  clearAll,
  refuseTossed,
  clientCredentials,
  verifyTokenSet,
  issueCookies,
  readRefreshCookie,
  revokeSession,
}: TokenServiceContext): AuthRoute {
  return async (request, ifFailed) => {
    checkCsrf(request, { allowedOrigins: config.allowedOrigins, requireCustomHeader: true });
    refuseTossed(request, ifFailed);
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
          await revokeSession(request, 'refresh_revoked');
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
      if (error instanceof SessionError) ifFailed.setCookies(clearAll(request));
      throw error;
    }
  };
}
