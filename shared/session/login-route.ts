import { BadRequestError } from '../errors/gate-error.js';
import { buildAuthorizeUrl, isIdentityProviderName, isLanguageTag } from '../oidc/authorize-request.js';
import { singleParam } from './auth-request.js';
import { redirectResponse } from './auth-responses.js';
import { randomToken, sealLoginFlow, startLoginFlow } from './login-flow.js';
import { flowsToDrop, pairBytes } from './pending-flows.js';
import { chooseReturnPath } from './return-path.js';
import { bindingCookie, clearedFlowCookie, flowCookie, flowCookieName } from './session-cookies.js';
import type { AuthRoute } from './token-service.js';
import type { TokenServiceContext } from './token-service-context.js';

/** Longer return paths fall back to the default, so that a crafted login link cannot bloat the flow cookie. */
export const MAX_FLOW_RETURN_PATH = 512;

/** GET /auth/login: starts a sign-in (state, nonce, PKCE in a sealed flow cookie) and redirects to the hosted UI. */
export function loginRoute({
  config,
  logger,
  deps,
  cookieSettings,
  nowSeconds,
  refuseTossed,
  bindingOf,
}: TokenServiceContext): AuthRoute {
  return async (request, ifFailed) => {
    refuseTossed(request, ifFailed);
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
  };
}
