import { fetchOnce } from '../cache/fetch-once.js';
import { isSecureOrLoopback } from '../config/url-policy.js';
import { UpstreamError } from '../errors/gate-error.js';
import { type HttpSend, hostOf, sendJson } from './oidc-http.js';

/** Endpoints set by env win over the discovery document; with authorization and token set, discovery is never fetched. */
export interface EndpointOverrides {
  readonly authorization?: string;
  readonly token?: string;
  readonly revocation?: string;
  readonly logout?: string;
}

/** The four places the token service talks to. */
export interface OidcEndpoints {
  readonly authorization: string;
  readonly token: string;
  readonly revocation: string;
  /** Cognito's `<hosted-ui-base>/logout?client_id=…&logout_uri=…` (not OIDC's end_session_endpoint). */
  readonly logout: string;
}

export interface EndpointPolicy {
  readonly issuer: string;
  /** Plain http is allowed only for a loopback issuer (the local stack), and only to loopback hosts. */
  readonly allowLoopbackHttp: boolean;
}

function endpointUrl(field: string, value: unknown, policy: EndpointPolicy): string {
  if (typeof value !== 'string') throw new UpstreamError(`discovery document has no ${field}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UpstreamError(`discovery document's ${field} is not a URL`);
  }
  if (!isSecureOrLoopback(url, { allowLoopbackHttp: policy.allowLoopbackHttp }))
    throw new UpstreamError(`discovery document's ${field} is not https`);
  if (url.username || url.password || url.hash)
    throw new UpstreamError(`discovery document's ${field} is not a plain endpoint URL`);
  return url.href;
}

/**
 * Endpoints from a discovery document, with env overrides on top. Cognito's document names the hosted UI's
 * authorize and token endpoints but neither revocation nor logout: both live on the hosted UI's origin, at
 * `/oauth2/revoke` and `/logout`, so they are derived from the authorization endpoint unless set.
 */
export function resolveEndpoints(
  document: unknown,
  overrides: EndpointOverrides,
  policy: EndpointPolicy,
): OidcEndpoints {
  const doc = (document ?? {}) as Record<string, unknown>;
  const needsDocument = overrides.authorization === undefined || overrides.token === undefined;
  if (needsDocument) {
    if (typeof document !== 'object' || document === null)
      throw new UpstreamError('discovery document is not a JSON object');
    // OpenID Connect Discovery 1.0 §4.3: the document must be for exactly the issuer we trust.
    if (doc.issuer !== policy.issuer) throw new UpstreamError('discovery document is for another issuer');
  }
  const authorization =
    overrides.authorization ?? endpointUrl('authorization_endpoint', doc.authorization_endpoint, policy);
  const token = overrides.token ?? endpointUrl('token_endpoint', doc.token_endpoint, policy);
  const hostedUiBase = new URL(authorization).origin;
  const revocation =
    overrides.revocation ??
    (doc.revocation_endpoint !== undefined
      ? endpointUrl('revocation_endpoint', doc.revocation_endpoint, policy)
      : `${hostedUiBase}/oauth2/revoke`);
  const logout = overrides.logout ?? `${hostedUiBase}/logout`;
  return { authorization, token, revocation, logout };
}

export interface EndpointSource {
  get(): Promise<OidcEndpoints>;
}

/**
 * Fetches the discovery document at most once per container; concurrent first requests share one fetch.
 * A failure is not cached: the next request tries again. With authorization and token endpoints both set by
 * env, nothing is fetched at all.
 */
export function createEndpointSource(options: {
  discoveryUrl: string;
  overrides: EndpointOverrides;
  policy: EndpointPolicy;
  timeoutMs: number;
  send?: HttpSend;
}): EndpointSource {
  const send = options.send ?? sendJson;
  const load = async (): Promise<OidcEndpoints> => {
    if (options.overrides.authorization !== undefined && options.overrides.token !== undefined) {
      return resolveEndpoints(undefined, options.overrides, options.policy);
    }
    const answer = await send(options.discoveryUrl, { method: 'GET', headers: {}, timeoutMs: options.timeoutMs });
    if (answer.status !== 200)
      throw new UpstreamError(`discovery at ${hostOf(options.discoveryUrl)} answered ${answer.status}`);
    return resolveEndpoints(answer.body, options.overrides, options.policy);
  };
  return { get: fetchOnce(load) };
}
