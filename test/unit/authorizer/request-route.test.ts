import { describe, expect, it } from 'vitest';
import { requestMethodOf, requestRouteOf } from '../../../shared/authorizer/request-route.js';
import { loadEvent } from '../../support/fixtures.js';

describe('the route an authorizer event asks about, read from its ARN', () => {
  it('reads a REST event from its methodArn: method, path segments, and the prefix every route of the stage shares', () => {
    // Prepare
    const event = loadEvent('offline-rest-request-authorizer');
    // Act
    const route = requestRouteOf(event);
    // Assess
    expect(route).toEqual({
      kind: 'rest',
      arn: 'arn:aws:execute-api:eu-west-1:random-account-id:random-api-id/dev/GET/rest/protected',
      arnPrefix: 'arn:aws:execute-api:eu-west-1:random-account-id:random-api-id/dev/',
      method: 'GET',
      segments: ['rest', 'protected'],
    });
  });

  it('reads an HTTP API (payload 2.0) event from its routeArn, not from a methodArn', () => {
    // Prepare: a methodArn beside it must not be read
    const event = loadEvent('authorizer-http-v2.powertools-ts');
    event.methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:lsw1ro4ipb/$default/DELETE/other';
    // Act
    const route = requestRouteOf(event);
    // Assess
    expect(route).toEqual({
      kind: 'http',
      arn: 'arn:aws:execute-api:eu-west-1:123456789012:lsw1ro4ipb/$default/POST/lambda',
      arnPrefix: 'arn:aws:execute-api:eu-west-1:123456789012:lsw1ro4ipb/$default/',
      method: 'POST',
      segments: ['lambda'],
    });
  });

  it('reads a WebSocket $connect from serverless-offline as the one WebSocket route, with no path', () => {
    expect(requestRouteOf(loadEvent('offline-websocket-connect-authorizer'))).toEqual({
      kind: 'websocket',
      arn: 'arn:aws:execute-api:us-east-1:undefined:private/local/$connect',
      arnPrefix: 'arn:aws:execute-api:us-east-1:undefined:private/local/',
      method: '$connect',
      segments: [],
    });
  });

  it('reads a REST ARN that ends at the method as the root route, not as a WebSocket route', () => {
    const event = loadEvent('offline-rest-request-authorizer');
    event.methodArn = 'arn:aws:execute-api:eu-west-1:random-account-id:random-api-id/dev/GET';
    expect(requestRouteOf(event)).toEqual({
      kind: 'rest',
      arn: event.methodArn,
      arnPrefix: 'arn:aws:execute-api:eu-west-1:random-account-id:random-api-id/dev/',
      method: 'GET',
      segments: [],
    });
  });

  it.each([
    ['no ARN at all', undefined],
    ['an ARN without a stage or method', 'arn:aws:execute-api:eu-west-1:123456789012:api123'],
    ['a method without an API and stage before it', 'GET/echo'],
    ['a lower-case method', 'arn:aws:execute-api:eu-west-1:123456789012:api123/dev/get/echo'],
    ['a method with a character before it', 'arn:aws:execute-api:eu-west-1:123456789012:api123/dev/xGET/echo'],
    ['a method with a character after it', 'arn:aws:execute-api:eu-west-1:123456789012:api123/dev/GETx/echo'],
    ['$connect with a path after it', 'arn:aws:execute-api:eu-west-1:123456789012:api123/dev/$connect/echo'],
  ])('finds no route in a REST event with %s', (_label, methodArn) => {
    // Prepare
    const event = loadEvent('offline-rest-request-authorizer');
    event.methodArn = methodArn;
    // Act / Assess
    expect(requestRouteOf(event)).toBeUndefined();
  });

  it('finds no route in an HTTP API event for $connect, which only a WebSocket API has', () => {
    const event = loadEvent('authorizer-http-v2.powertools-ts');
    event.routeArn = 'arn:aws:execute-api:eu-west-1:123456789012:lsw1ro4ipb/$default/$connect';
    expect(requestRouteOf(event)).toBeUndefined();
  });

  it('takes the method of a REST event without a requestContext from httpMethod', () => {
    // Prepare: an ANY route's ARN names no single method
    const event = loadEvent('offline-rest-request-authorizer');
    event.methodArn = 'arn:aws:execute-api:eu-west-1:random-account-id:random-api-id/dev/ANY/rest/protected';
    event.httpMethod = 'delete';
    delete event.requestContext;
    // Act / Assess
    expect(requestMethodOf(event, requestRouteOf(event)!)).toBe('DELETE');
  });
});
