import { UpstreamError } from '../errors/gate-error.js';
import { TokenEndpointRejection } from '../errors/login-errors.js';
import { type HttpSend, hostOf, sendJson } from './oidc-http.js';

/** How the client proves itself at the token endpoint (RFC 6749 §2.3.1). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly method: ClientAuthMethod;
}

/** A successful token response (RFC 6749 §5.1), as Cognito sends it. */
export interface TokenSet {
  readonly accessToken: string;
  readonly idToken?: string;
  /** Only from the authorization_code grant (and from a refresh when Cognito rotates refresh tokens). */
  readonly refreshToken?: string;
  readonly expiresIn?: number;
  /** The granted scopes, when the endpoint says (Cognito's client_credentials answer does not). */
  readonly scope?: string;
}

const ERROR_CODE = /^[\x20\x21\x23-\x5B\x5D-\x7E]{1,64}$/;

export function oauthErrorCode(body: unknown): string {
  const error = (body as { error?: unknown } | undefined)?.error;
  return typeof error === 'string' && ERROR_CODE.test(error) ? error : 'unknown_error';
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

export interface TokenEndpointClient {
  exchangeCode(input: {
    tokenEndpoint: string;
    client: ClientCredentials;
    code: string;
    verifier: string;
    redirectUri: string;
  }): Promise<TokenSet>;
  refresh(input: { tokenEndpoint: string; client: ClientCredentials; refreshToken: string }): Promise<TokenSet>;
  /** Resolves when the IdP accepted the revocation; throws TokenEndpointRejection or UpstreamError otherwise. */
  revoke(input: { revocationEndpoint: string; client: ClientCredentials; token: string }): Promise<void>;
  /** The client_credentials grant (M2M); `scope` is space-separated, or absent for the client's default scopes. */
  clientCredentials(input: { tokenEndpoint: string; client: ClientCredentials; scope?: string }): Promise<TokenSet>;
}

export function createTokenEndpointClient({
  timeoutMs,
  send = sendJson,
}: {
  timeoutMs: number;
  send?: HttpSend;
}): TokenEndpointClient {
  const post = async (url: string, client: ClientCredentials, params: Record<string, string>) => {
    const form = new URLSearchParams(params);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    // Cognito wants client_id in the body with either method.
    form.set('client_id', client.clientId);
    if (client.method === 'client_secret_basic')
      headers.authorization = basicAuthorization(client.clientId, client.clientSecret);
    else form.set('client_secret', client.clientSecret);
    const answer = await send(url, { method: 'POST', headers, body: form.toString(), timeoutMs });
    if (answer.status >= 500 || answer.status < 200 || (answer.status >= 300 && answer.status < 400)) {
      throw new UpstreamError(`${hostOf(url)} answered ${answer.status}`);
    }
    if (answer.status >= 400)
      throw new TokenEndpointRejection(oauthErrorCode(answer.body), answer.status, answer.retryAfter);
    return answer.body;
  };

  const tokenSet = (url: string, body: unknown): TokenSet => {
    const raw = (body ?? {}) as Record<string, unknown>;
    if (typeof raw.access_token !== 'string' || raw.access_token === '')
      throw new UpstreamError(`${hostOf(url)} sent a token response without access_token`);
    if (typeof raw.token_type === 'string' && raw.token_type.toLowerCase() !== 'bearer')
      throw new UpstreamError(`${hostOf(url)} sent a token_type other than Bearer`);
    return {
      accessToken: raw.access_token,
      ...(typeof raw.id_token === 'string' && raw.id_token !== '' ? { idToken: raw.id_token } : {}),
      ...(typeof raw.refresh_token === 'string' && raw.refresh_token !== '' ? { refreshToken: raw.refresh_token } : {}),
      ...(typeof raw.expires_in === 'number' ? { expiresIn: raw.expires_in } : {}),
      ...(typeof raw.scope === 'string' && raw.scope !== '' ? { scope: raw.scope } : {}),
    };
  };

  return {
    async exchangeCode({ tokenEndpoint, client, code, verifier, redirectUri }) {
      const body = await post(tokenEndpoint, client, {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: redirectUri,
      });
      return tokenSet(tokenEndpoint, body);
    },
    async refresh({ tokenEndpoint, client, refreshToken }) {
      const body = await post(tokenEndpoint, client, { grant_type: 'refresh_token', refresh_token: refreshToken });
      return tokenSet(tokenEndpoint, body);
    },
    async revoke({ revocationEndpoint, client, token }) {
      await post(revocationEndpoint, client, { token });
    },
    async clientCredentials({ tokenEndpoint, client, scope }) {
      const body = await post(tokenEndpoint, client, {
        grant_type: 'client_credentials',
        ...(scope ? { scope } : {}),
      });
      return tokenSet(tokenEndpoint, body);
    },
  };
}
