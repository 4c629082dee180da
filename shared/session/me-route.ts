import { JwksUnavailableError, TokenExpiredError } from '../errors/gate-error.js';
import { SessionError } from '../errors/login-errors.js';
import { readChunkedCookie } from '../http/cookies.js';
import type { VerifiedToken } from '../tokens/verifier.js';
import { jsonResult } from './auth-responses.js';
import type { AuthRoute } from './token-service.js';
import type { TokenServiceContext } from './token-service-context.js';

/** GET /auth/me: who is signed in, from the access token cookie (and the email sealed at login). */
export function meRoute({ deps, cookieSettings, refuseTossed, readRefreshCookie }: TokenServiceContext): AuthRoute {
  return async (request, ifFailed) => {
    refuseTossed(request, ifFailed);
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
  };
}
