import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type HeaderBag, headerValues } from '../http/headers.js';
import { headerValue, methodAndPath } from '../http/proxy-event.js';
import type { ClientAuthMethod } from '../oidc/token-endpoint.js';
import { ClientAuthenticationError, TokenRequestError, TokenRequestTooLargeError } from './token-errors.js';

/** What the endpoint reads from an HTTP API event: nothing else of it matters. */
export interface RawTokenRequest {
  readonly method: string;
  readonly contentType: string | undefined;
  /** Every Authorization header value (more than one is refused). */
  readonly authorization: readonly string[];
  /** The body as text, base64 already undone. */
  readonly body: string;
  readonly query: URLSearchParams;
}

/** A valid client-credentials request. The secret is kept only to derive keys and to forward it to Cognito. */
export interface ClientCredentialsRequest {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly authMethod: ClientAuthMethod;
  /** The requested scopes, deduplicated and sorted (order does not change the grant); empty for the client's defaults. */
  readonly scopes: readonly string[];
}

/** A client-credentials form is a few hundred bytes; anything far larger is not one. */
export const MAX_BODY_BYTES = 8 * 1024;
const MAX_CLIENT_ID_LENGTH = 128;
const MAX_SECRET_LENGTH = 256;
const MAX_SCOPES = 100;
/** RFC 6749 §3.3 scope-token: printable ASCII without space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const FORM_CONTENT_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;
const BASIC = /^basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i;
const ONCE_ONLY = ['grant_type', 'client_id', 'client_secret', 'scope'] as const;

export function readTokenRequest(event: APIGatewayProxyEventV2): RawTokenRequest {
  const bag = event as HeaderBag;
  const encoded = event.body ?? '';
  // base64 inflates by 4/3: a body over the cap is refused before it is decoded.
  if (encoded.length > (event.isBase64Encoded ? Math.ceil((MAX_BODY_BYTES * 4) / 3) + 4 : MAX_BODY_BYTES))
    throw new TokenRequestTooLargeError(`the request body is larger than ${MAX_BODY_BYTES} bytes`);
  return {
    method: methodAndPath(event).method,
    contentType: headerValue(event, 'content-type'),
    authorization: headerValues(bag, 'authorization'),
    body: event.isBase64Encoded ? Buffer.from(encoded, 'base64').toString('utf8') : encoded,
    query: new URLSearchParams(event.rawQueryString ?? ''),
  };
}

/**
 * Validates a token request the way Cognito's token endpoint does (RFC 6749 §4.4): a form body, the
 * client_credentials grant, the client authenticated by exactly one of client_secret_basic and
 * client_secret_post. Throws a TokenRequestError (400), a ClientAuthenticationError (401) or a
 * TokenRequestTooLargeError (413); whether the secret is right is only ever Cognito's to say.
 */
export function parseTokenRequest(raw: RawTokenRequest): ClientCredentialsRequest {
  if (raw.method.toUpperCase() !== 'POST')
    throw new TokenRequestError('invalid_request', 'the token endpoint takes POST');
  if (Buffer.byteLength(raw.body, 'utf8') > MAX_BODY_BYTES)
    throw new TokenRequestTooLargeError(`the request body is larger than ${MAX_BODY_BYTES} bytes`);
  if (!raw.contentType || !FORM_CONTENT_TYPE.test(raw.contentType.trim()))
    throw new TokenRequestError('invalid_request', 'the body must be application/x-www-form-urlencoded');
  // Credentials in a URL end up in access logs and browser history: refused, even though the body is fine.
  if (raw.query.has('client_secret'))
    throw new TokenRequestError('invalid_request', 'client_secret must not be sent in the query string');

  const form = new URLSearchParams(raw.body);
  for (const name of ONCE_ONLY) {
    if (form.getAll(name).length > 1) throw new TokenRequestError('invalid_request', `${name} is repeated`);
  }
  // RFC 6749 §3.1: a parameter without a value is treated as omitted.
  const param = (name: (typeof ONCE_ONLY)[number]) => form.get(name) || undefined;

  const grantType = param('grant_type');
  if (grantType === undefined) throw new TokenRequestError('invalid_request', 'grant_type is required');
  if (grantType !== 'client_credentials')
    throw new TokenRequestError('unsupported_grant_type', 'this endpoint serves the client_credentials grant only');

  const client = clientAuthentication(raw.authorization, param('client_id'), param('client_secret'));
  return { ...client, scopes: normalizeScopes(param('scope')) };
}

function clientAuthentication(
  authorization: readonly string[],
  bodyClientId: string | undefined,
  bodySecret: string | undefined,
): Omit<ClientCredentialsRequest, 'scopes'> {
  if (authorization.length > 1) throw new TokenRequestError('invalid_request', 'more than one Authorization header');
  const header = authorization[0]?.trim();
  if (header) {
    if (!/^basic\s/i.test(header))
      throw new ClientAuthenticationError('client authentication must be client_secret_basic or client_secret_post');
    if (bodySecret !== undefined)
      throw new TokenRequestError('invalid_request', 'use one client authentication method, not two');
    const { clientId, clientSecret } = decodeBasic(header);
    // Cognito's own clients send client_id in the body as well; it must then name the same client.
    if (bodyClientId !== undefined && bodyClientId !== clientId)
      throw new TokenRequestError('invalid_request', 'client_id in the body differs from the Authorization header');
    return checked({ clientId, clientSecret, authMethod: 'client_secret_basic' });
  }
  if (bodyClientId === undefined || bodySecret === undefined)
    throw new ClientAuthenticationError(
      'client authentication is required (client_secret_basic or client_secret_post)',
    );
  return checked({ clientId: bodyClientId, clientSecret: bodySecret, authMethod: 'client_secret_post' });
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded, joined by a colon, then base64-encoded. */
function decodeBasic(header: string): { clientId: string; clientSecret: string } {
  const match = BASIC.exec(header);
  const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new TokenRequestError('invalid_request', 'the Basic credentials are malformed');
  try {
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw new TokenRequestError('invalid_request', 'the Basic credentials are malformed');
  }
}

const formDecode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));

function checked(client: Omit<ClientCredentialsRequest, 'scopes'>): Omit<ClientCredentialsRequest, 'scopes'> {
  if (client.clientSecret === '')
    throw new ClientAuthenticationError('client authentication is required (the secret is empty)');
  if (client.clientId.length > MAX_CLIENT_ID_LENGTH || client.clientSecret.length > MAX_SECRET_LENGTH)
    throw new TokenRequestError('invalid_request', 'client_id or client_secret is too long');
  return client;
}

/** Space-separated scopes as a set: deduplicated and sorted, so that order never makes a second cache entry. */
export function normalizeScopes(scope: string | undefined): string[] {
  const scopes = [...new Set((scope ?? '').split(' ').filter(Boolean))].sort();
  if (scopes.length > MAX_SCOPES) throw new TokenRequestError('invalid_scope', `more than ${MAX_SCOPES} scopes`);
  for (const item of scopes) {
    if (!SCOPE_TOKEN.test(item)) throw new TokenRequestError('invalid_scope', 'a scope holds a character it may not');
  }
  return scopes;
}
