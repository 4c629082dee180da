import { createHash, randomBytes } from 'node:crypto';

import type { AppClientCredentials, SeedResult } from './seed.js';

/** The parts of a running identity stack that a token client needs (an `IdentityStack` fits). */
export interface TokenClientTarget {
  hostedUiBaseUrl: string;
  seed: Pick<SeedResult, 'webClient' | 'm2mClient'>;
}

/** The JSON body of `/oauth2/token`, success and error fields together, as Cognito sends them. */
export interface TokenEndpointBody {
  access_token?: string;
  id_token?: string;
  refresh_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

export interface TokenEndpointResponse {
  status: number;
  body: TokenEndpointBody;
}

export interface UserTokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  expiresIn: number;
  /** The nonce sent in the authorize request; the ID token must echo it. */
  nonce: string;
}

/** A token endpoint refusal; carries the OAuth error code but never the request's secrets. */
export class TokenEndpointError extends Error {
  readonly status: number;
  readonly error: string | undefined;

  constructor(status: number, body: TokenEndpointBody) {
    super(
      `token endpoint answered ${status} ${body.error ?? ''}${body.error_description ? `: ${body.error_description}` : ''}`,
    );
    this.name = 'TokenEndpointError';
    this.status = status;
    this.error = body.error;
  }
}

/** The hosted UI showed its sign-in form again with an error (wrong password, disabled user...). */
export class LoginRejectedError extends Error {
  constructor(message: string) {
    super(`sign-in rejected: ${message}`);
    this.name = 'LoginRejectedError';
  }
}

interface StoredCookie {
  name: string;
  value: string;
  host: string;
  path: string;
  expiresAt: number | undefined;
}

/** A minimal host-only cookie jar (Path and Expires/Max-Age honoured), enough to carry a browser session. */
export class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>();

  /** Records the Set-Cookie headers of a response to `url`. */
  store(url: string | URL, setCookieHeaders: readonly string[]): void {
    const { host, pathname } = new URL(url);
    for (const header of setCookieHeaders) {
      const [pair = '', ...attributes] = header.split(';');
      const separator = pair.indexOf('=');
      if (separator <= 0) {
        continue;
      }
      const cookie: StoredCookie = {
        name: pair.slice(0, separator).trim(),
        value: pair.slice(separator + 1).trim(),
        host,
        // RFC 6265 default path: the request path up to its last slash.
        path: pathname.slice(0, Math.max(pathname.lastIndexOf('/'), 1)) || '/',
        expiresAt: undefined,
      };
      for (const attribute of attributes) {
        const [rawKey = '', ...rest] = attribute.split('=');
        const key = rawKey.trim().toLowerCase();
        const value = rest.join('=').trim();
        if (key === 'path' && value.startsWith('/')) {
          cookie.path = value;
        } else if (key === 'max-age') {
          cookie.expiresAt = Date.now() + Number(value) * 1_000;
        } else if (key === 'expires' && cookie.expiresAt === undefined) {
          cookie.expiresAt = Date.parse(value);
        }
      }
      const id = `${cookie.host} ${cookie.path} ${cookie.name}`;
      if (cookie.value === '' || (cookie.expiresAt !== undefined && cookie.expiresAt <= Date.now())) {
        this.#cookies.delete(id);
      } else {
        this.#cookies.set(id, cookie);
      }
    }
  }

  /** The Cookie header value for a request to `url`, or undefined when nothing applies. */
  header(url: string | URL): string | undefined {
    const { host, pathname } = new URL(url);
    const now = Date.now();
    const matching = [...this.#cookies.values()].filter(
      (cookie) =>
        cookie.host === host &&
        (cookie.expiresAt === undefined || cookie.expiresAt > now) &&
        (pathname === cookie.path || pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`)),
    );
    return matching.length === 0 ? undefined : matching.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  }

  /** Names of the cookies currently held for `url` (for assertions; values stay private). */
  names(url: string | URL): string[] {
    return (this.header(url) ?? '')
      .split('; ')
      .filter((pair) => pair.length > 0)
      .map((pair) => pair.slice(0, pair.indexOf('=')));
  }
}

/** Sends a request the way a browser would for this flow: no automatic redirects, cookies from the jar. */
export async function fetchWithCookies(
  jar: CookieJar,
  url: string,
  init: { method?: string; body?: URLSearchParams } = {},
): Promise<Response> {
  const headers: Record<string, string> = {};
  const cookie = jar.header(url);
  if (cookie !== undefined) {
    headers.cookie = cookie;
  }
  if (init.body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body: init.body?.toString(),
    redirect: 'manual',
  });
  jar.store(url, response.headers.getSetCookie());
  return response;
}

export interface PkcePair {
  codeVerifier: string;
  codeChallenge: string;
}

/** A fresh PKCE verifier and its S256 challenge (the only method Cognito accepts). */
export function createPkce(): PkcePair {
  const codeVerifier = randomBytes(32).toString('base64url');
  const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url');
  return { codeVerifier, codeChallenge };
}

export function randomToken(): string {
  return randomBytes(16).toString('base64url');
}

export interface AuthorizeUrlOptions {
  scope: string;
  state: string;
  nonce?: string;
  /** Omit to build a request without PKCE (which the stack must refuse). */
  codeChallenge?: string;
  redirectUri?: string;
}

/** `/oauth2/authorize` for the seeded web client, with Cognito's parameters. */
export function buildAuthorizeUrl(target: TokenClientTarget, options: AuthorizeUrlOptions): string {
  const url = new URL('/oauth2/authorize', target.hostedUiBaseUrl);
  const { webClient } = target.seed;
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', webClient.clientId);
  url.searchParams.set('redirect_uri', options.redirectUri ?? firstCallbackUrl(target));
  url.searchParams.set('scope', options.scope);
  url.searchParams.set('state', options.state);
  if (options.nonce !== undefined) {
    url.searchParams.set('nonce', options.nonce);
  }
  if (options.codeChallenge !== undefined) {
    url.searchParams.set('code_challenge', options.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return url.href;
}

function firstCallbackUrl(target: TokenClientTarget): string {
  const [callbackUrl] = target.seed.webClient.callbackUrls;
  if (callbackUrl === undefined) {
    throw new Error('the web client has no callback URL');
  }
  return callbackUrl;
}

/** Undoes the numeric character references the hosted UI's pages use for escaping. */
function decodeEntities(text: string): string {
  return text.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code)));
}

function formAction(html: string): string | undefined {
  const action = /<form\b[^>]*\baction="([^"]*)"/i.exec(html)?.[1];
  return action === undefined ? undefined : decodeEntities(action);
}

function alertText(html: string): string | undefined {
  const text = /<[^>]+role="alert"[^>]*>([^<]*)</i.exec(html)?.[1];
  return text === undefined ? undefined : decodeEntities(text.trim());
}

export interface DriveLoginOptions {
  /** Any `/oauth2/authorize` URL of the hosted UI; its origin is where redirects are followed. */
  authorizeUrl: string;
  username: string;
  password: string;
  /** Share a jar to keep the hosted UI session across calls (SSO, logout); a fresh one otherwise. */
  cookieJar?: CookieJar;
}

/**
 * Plays the browser: follows the hosted UI's redirects with its cookies, fills in the sign-in form,
 * and stops at the first redirect that leaves the hosted UI's origin, i.e. the app's callback URL
 * (with `code` and `state`, or `error`). An already signed-in jar skips the form.
 */
export async function driveLogin(options: DriveLoginOptions): Promise<{ callbackUrl: string }> {
  const jar = options.cookieJar ?? new CookieJar();
  const { origin } = new URL(options.authorizeUrl);
  let url = options.authorizeUrl;
  let method = 'GET';
  let body: URLSearchParams | undefined;
  let submitted = false;

  for (let hop = 0; hop < 20; hop += 1) {
    const response = await fetchWithCookies(jar, url, { method, body });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (location === null) {
        throw new Error(`hosted UI answered ${response.status} without Location at ${new URL(url).pathname}`);
      }
      const next = new URL(location, url);
      if (next.origin !== origin) {
        return { callbackUrl: next.href };
      }
      url = next.href;
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await response.text();
    const action = response.status === 200 ? formAction(html) : undefined;
    if (action === undefined) {
      throw new Error(
        `hosted UI answered ${response.status} at ${new URL(url).pathname}: ${alertText(html) ?? 'no sign-in form'}`,
      );
    }
    if (submitted) {
      throw new LoginRejectedError(alertText(html) ?? 'the sign-in form came back');
    }
    url = new URL(action, url).href;
    method = 'POST';
    body = new URLSearchParams({ username: options.username, password: options.password });
    submitted = true;
  }
  throw new Error('hosted UI redirected more than 20 times');
}

function basicAuthorization(client: AppClientCredentials): string {
  return `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
}

/** POSTs to `/oauth2/token` with client_secret_basic (default) or client_secret_post; never throws on 4xx. */
export async function postToken(
  target: TokenClientTarget,
  client: AppClientCredentials,
  params: Record<string, string>,
  auth: 'basic' | 'post' = 'basic',
): Promise<TokenEndpointResponse> {
  const form = new URLSearchParams(params);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth === 'basic') {
    headers.authorization = basicAuthorization(client);
  } else {
    form.set('client_id', client.clientId);
    form.set('client_secret', client.clientSecret);
  }
  const response = await fetch(new URL('/oauth2/token', target.hostedUiBaseUrl), {
    method: 'POST',
    headers,
    body: form.toString(),
  });
  return { status: response.status, body: (await response.json()) as TokenEndpointBody };
}

/** client_credentials for the seeded M2M client; `scope` in Cognito's `<resource>/<scope>` form. */
export async function getM2mToken(target: TokenClientTarget, scope: string): Promise<string> {
  const { status, body } = await postToken(target, target.seed.m2mClient, { grant_type: 'client_credentials', scope });
  if (status !== 200 || body.access_token === undefined) {
    throw new TokenEndpointError(status, body);
  }
  return body.access_token;
}

/** Exchanges an authorization code for the web client (PKCE verifier included when given). */
export async function exchangeCode(
  target: TokenClientTarget,
  options: { code: string; codeVerifier?: string; redirectUri?: string },
): Promise<TokenEndpointResponse> {
  const params: Record<string, string> = {
    grant_type: 'authorization_code',
    client_id: target.seed.webClient.clientId,
    code: options.code,
    redirect_uri: options.redirectUri ?? firstCallbackUrl(target),
  };
  if (options.codeVerifier !== undefined) {
    params.code_verifier = options.codeVerifier;
  }
  return postToken(target, target.seed.webClient, params);
}

export async function refreshTokens(target: TokenClientTarget, refreshToken: string): Promise<TokenEndpointResponse> {
  return postToken(target, target.seed.webClient, {
    grant_type: 'refresh_token',
    client_id: target.seed.webClient.clientId,
    refresh_token: refreshToken,
  });
}

/** Cognito's `/oauth2/revoke` for a refresh token of the web client; resolves to the HTTP status. */
export async function revokeToken(target: TokenClientTarget, token: string): Promise<number> {
  const response = await fetch(new URL('/oauth2/revoke', target.hostedUiBaseUrl), {
    method: 'POST',
    headers: {
      authorization: basicAuthorization(target.seed.webClient),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token }).toString(),
  });
  await response.body?.cancel();
  return response.status;
}

export interface LoginWithPasswordOptions {
  username: string;
  password: string;
  /** Defaults to `openid email profile cognito-gate/read`. */
  scope?: string;
  cookieJar?: CookieJar;
}

/** The whole authorization-code flow with PKCE, state and nonce, using fetch only. */
export async function loginWithPassword(
  target: TokenClientTarget,
  options: LoginWithPasswordOptions,
): Promise<UserTokens> {
  const { codeVerifier, codeChallenge } = createPkce();
  const state = randomToken();
  const nonce = randomToken();
  const authorizeUrl = buildAuthorizeUrl(target, {
    scope: options.scope ?? 'openid email profile cognito-gate/read',
    state,
    nonce,
    codeChallenge,
  });
  const { callbackUrl } = await driveLogin({
    authorizeUrl,
    username: options.username,
    password: options.password,
    cookieJar: options.cookieJar,
  });
  const callback = new URL(callbackUrl);
  const error = callback.searchParams.get('error');
  if (error !== null) {
    throw new Error(
      `authorize redirected with error=${error}: ${callback.searchParams.get('error_description') ?? ''}`,
    );
  }
  if (callback.searchParams.get('state') !== state) {
    throw new Error('authorize redirect carried a different state');
  }
  const code = callback.searchParams.get('code');
  if (code === null) {
    throw new Error('authorize redirect carried no code');
  }
  const { status, body } = await exchangeCode(target, { code, codeVerifier });
  if (
    status !== 200 ||
    body.access_token === undefined ||
    body.id_token === undefined ||
    body.refresh_token === undefined
  ) {
    throw new TokenEndpointError(status, body);
  }
  return {
    accessToken: body.access_token,
    idToken: body.id_token,
    refreshToken: body.refresh_token,
    expiresIn: body.expires_in ?? 0,
    nonce,
  };
}
