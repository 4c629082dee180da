import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2WithLambdaAuthorizer } from 'aws-lambda';
import { jsonResponse } from '../../shared/http/json-response.js';
import { identityOf } from '../../shared/http/request-identity.js';

type EchoEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2WithLambdaAuthorizer<Record<string, string>>;

/** A sample protected backend, like httpbin's /anything: it shows what the authorizer passed on. */
export const handler = middy<EchoEvent>().handler(async (event) => {
  const isV2 = 'version' in event && event.version === '2.0';
  const method = isV2
    ? (event as APIGatewayProxyEventV2WithLambdaAuthorizer<Record<string, string>>).requestContext.http.method
    : (event as APIGatewayProxyEvent).httpMethod;
  const path = isV2
    ? (event as APIGatewayProxyEventV2WithLambdaAuthorizer<Record<string, string>>).rawPath
    : (event as APIGatewayProxyEvent).path;
  return jsonResponse(200, { method, path, api: isV2 ? 'http' : 'rest', identity: identityOf(event) ?? null });
});
