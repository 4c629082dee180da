import { COGNITO_NAME } from '../config/cognito-patterns.js';
/** The two browser-facing IdP URLs: the authorize request that starts a login, and Cognito's logout. */
export interface AuthorizeRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly state: string;
  readonly nonce: string;
  readonly codeChallenge: string;
  /** Cognito's `identity_provider`: go straight to a federated IdP instead of the hosted UI's choice. */
  readonly identityProvider?: string;
  /** Cognito's `lang`: the hosted UI's language. */
  readonly lang?: string;
}

/** Authorization code flow with PKCE S256, state and nonce: none of them can be left out. */
export function buildAuthorizeUrl(endpoint: string, request: AuthorizeRequest): string {
  const url = new URL(endpoint);
  const params = url.searchParams;
  params.set('response_type', 'code');
  params.set('client_id', request.clientId);
  params.set('redirect_uri', request.redirectUri);
  params.set('scope', request.scopes.join(' '));
  params.set('state', request.state);
  params.set('nonce', request.nonce);
  params.set('code_challenge', request.codeChallenge);
  params.set('code_challenge_method', 'S256');
  if (request.identityProvider !== undefined) params.set('identity_provider', request.identityProvider);
  if (request.lang !== undefined) params.set('lang', request.lang);
  return url.href;
}

/** Cognito's `/logout?client_id=…&logout_uri=…`: the logout URI must be one of the app client's sign-out URLs. */
export function buildLogoutUrl(
  endpoint: string,
  { clientId, logoutUri }: { clientId: string; logoutUri: string },
): string {
  const url = new URL(endpoint);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('logout_uri', logoutUri);
  return url.href;
}

/** Cognito identity provider names: letters, marks, symbols, numbers, punctuation; up to 32 characters (we allow 128). */
/** A BCP 47-shaped language tag (`en`, `pt-BR`, `zh-TW`). */
const LANG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$/;

export function isIdentityProviderName(value: string): boolean {
  return COGNITO_NAME.test(value);
}

export function isLanguageTag(value: string): boolean {
  return LANG.test(value);
}
