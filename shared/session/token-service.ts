import type { Logger } from '../logging/logger.js';
import type { EndpointSource } from '../oidc/discovery.js';
import type { TokenEndpointClient } from '../oidc/token-endpoint.js';
import type { SessionRevoker } from '../revocation/session-revoker.js';
import type { TokenVerifier } from '../tokens/verifier.js';
import type { AuthConfig } from './auth-config.js';
import type { AuthRequest } from './auth-request.js';
import type { AuthResponse } from './auth-responses.js';
import type { AuthSecrets } from './auth-secrets.js';
import { callbackRoute } from './callback-route.js';
import type { FailureAnswer } from './failure-answer.js';
import { loginRoute } from './login-route.js';
import { logoutRoute } from './logout-route.js';
import { meRoute } from './me-route.js';
import { refreshRoute } from './refresh-route.js';
import { createTokenServiceContext } from './token-service-context.js';

export interface TokenServiceDeps {
  readonly config: AuthConfig;
  readonly endpoints: EndpointSource;
  readonly tokenClient: TokenEndpointClient;
  readonly verifier: TokenVerifier;
  readonly secrets: AuthSecrets;
  readonly logger: Logger;
  /** Ends sessions at the authorizer too (revocation on); absent, logout only clears cookies and Cognito's grant. */
  readonly sessionRevoker?: SessionRevoker;
  /** Milliseconds since the epoch; tests move the clock. */
  readonly now?: () => number;
}

/** A route answers, or throws; before it can fail it tells `ifFailed` which cookies its error answer must set. */
export type AuthRoute = (request: AuthRequest, ifFailed: FailureAnswer) => Promise<AuthResponse>;

export interface TokenService {
  login: AuthRoute;
  callback: AuthRoute;
  refresh: AuthRoute;
  logout: AuthRoute;
  me: AuthRoute;
}

/**
 * The backend-for-frontend: the browser only ever holds HttpOnly cookies; codes, tokens and secrets stay
 * between this function and the IdP. Routes throw GateErrors; the shared error middleware turns them into a 4xx
 * (HTML or JSON, as the client prefers) with the cookies that must go; only a bug becomes a 500. One module per
 * route, over one shared context.
 */
export function createTokenService(deps: TokenServiceDeps): TokenService {
  const context = createTokenServiceContext(deps);
  return {
    login: loginRoute(context),
    callback: callbackRoute(context),
    refresh: refreshRoute(context),
    logout: logoutRoute(context),
    me: meRoute(context),
  };
}
