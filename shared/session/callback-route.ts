import { LoginFailedError, TokenEndpointRejection } from '../errors/login-errors.js';
import { readCookie } from '../http/cookies.js';
import type { TokenSet } from '../oidc/token-endpoint.js';
import { singleParam } from './auth-request.js';
import { redirectResponse } from './auth-responses.js';
import { constantTimeEqual, openLoginFlow } from './login-flow.js';
import { clearedFlowCookie, flowCookieName, pendingFlowNames } from './session-cookies.js';
import type { AuthRoute } from './token-service.js';
import type { TokenServiceContext } from './token-service-context.js';

/** GET /auth/callback: checks the flow, exchanges the code, verifies both tokens and sets the session cookies. */
export function callbackRoute({
  config,
  logger,
  deps,
  cookieSettings,
  nowSeconds,
  refuseTossed,
  clientCredentials,
  bindingOf,
  verifyTokenSet,
  issueCookies,
}: TokenServiceContext): AuthRoute {
  return async (request, ifFailed) => {
    refuseTossed(request, ifFailed);
    // Whatever happens, this login's flow is single-use: its cookie goes, and no session cookie is set on failure.
    const stateParam = singleParam(request.query, 'state');
    const state = stateParam.ok && stateParam.value ? stateParam.value : undefined;
    const flowName = state === undefined ? undefined : flowCookieName(cookieSettings, state);
    const clearFlow =
      flowName !== undefined && request.cookies.has(flowName) ? [clearedFlowCookie(cookieSettings, flowName)] : [];
    ifFailed.setCookies(clearFlow);
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
      throw pendingFlowNames(cookieSettings, request.cookies.keys()).length > 0 ? stateMismatch() : notThisBrowser();
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
    const cookies = [...(await issueCookies(request, tokens, verified, { binding, setBinding: true })), ...clearFlow];
    logger.info('login completed', { route: 'callback', sub: verified.access.claims.sub });
    return redirectResponse(flow.returnTo, cookies);
  };
}
