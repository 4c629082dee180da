import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { basicAuthorization } from '../../shared/oidc/token-endpoint.js';
import { loadEvent } from './fixtures.js';

export const CLIENT_ID = '1example23456789';
export const CLIENT_SECRET = 'abcdef01234567890ghijklmnopqrstuvwxyz0123456789abc';

export interface TokenEventOptions {
  /** The form fields, in order; a repeated field is given twice. */
  form?: [string, string][];
  headers?: Record<string, string>;
  base64?: boolean;
  rawQueryString?: string;
  method?: string;
  /**
   * `offline`: the `POST /oauth2/token` event serverless-offline sent (captured, header case as sent);
   * `aws`: the HTTP API payload 2.0 sample of the API Gateway guide, with this method, path and body.
   */
  shape?: 'offline' | 'aws';
}

/** A token request event in a real shape, with its headers and body replaced by the test's. */
export function tokenEvent(options: TokenEventOptions = {}): APIGatewayProxyEventV2 {
  const event =
    options.shape === 'aws'
      ? loadEvent<APIGatewayProxyEventV2>('http-payload-v2.aws-docs')
      : loadEvent<APIGatewayProxyEventV2>('offline-httpapi-v2-token-request');
  const body = new URLSearchParams(options.form ?? []).toString();
  event.routeKey = 'POST /oauth2/token';
  event.rawPath = '/oauth2/token';
  event.rawQueryString = options.rawQueryString ?? '';
  delete event.queryStringParameters;
  delete event.pathParameters;
  event.requestContext.http.method = options.method ?? 'POST';
  event.requestContext.http.path = '/oauth2/token';
  event.requestContext.routeKey = 'POST /oauth2/token';
  delete (event.requestContext as { authorizer?: unknown }).authorizer;
  const { authorization: _captured, 'content-length': _length, ...kept } = event.headers;
  event.headers = { ...kept, 'content-type': 'application/x-www-form-urlencoded', ...options.headers };
  event.isBase64Encoded = options.base64 ?? false;
  event.body = options.base64 ? Buffer.from(body).toString('base64') : body;
  return event;
}

/** A client_secret_basic request for these credentials and scope. */
export function basicTokenEvent({
  clientId = CLIENT_ID,
  clientSecret = CLIENT_SECRET,
  scope,
}: {
  clientId?: string;
  clientSecret?: string;
  scope?: string;
} = {}): APIGatewayProxyEventV2 {
  return tokenEvent({
    headers: { authorization: basicAuthorization(clientId, clientSecret) },
    form: [
      ['grant_type', 'client_credentials'],
      ...(scope !== undefined ? [['scope', scope] as [string, string]] : []),
    ],
  });
}
