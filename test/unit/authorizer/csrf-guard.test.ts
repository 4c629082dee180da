import { describe, expect, it } from 'vitest';
import {
  isSafeMethod,
  originEvidenceOf,
  ownOriginsOf,
  provesAppOrigin,
} from '../../../shared/authorizer/csrf-guard.js';
import { requestMethodOf, requestRouteOf } from '../../../shared/authorizer/request-route.js';
import { loadEvent } from '../../support/fixtures.js';

describe('the CSRF guard: which pages may send a cookie-authenticated state-changing request', () => {
  it.each([
    [
      'a REST event from AWS',
      'authorizer-rest-request.powertools-ts',
      [
        'https://puhdx84jy9.execute-api.eu-west-1.amazonaws.com',
        'https://puhdx84jy9.execute-api.eu-west-1.amazonaws.com',
      ],
    ],
    [
      'an HTTP API event from AWS',
      'authorizer-http-v2.powertools-ts',
      [
        'https://lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com',
        'https://lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com',
      ],
    ],
    // serverless-offline: plain http on loopback, and a made-up domainName that no browser ever calls
    [
      'a REST event from serverless-offline',
      'offline-rest-request-authorizer',
      ['https://127.0.0.1:3000', 'http://127.0.0.1:3000', 'https://random-api-id.execute-api.us-east-1.amazonaws.com'],
    ],
    [
      'an HTTP API event from serverless-offline',
      'offline-httpapi-v2-authorizer',
      ['https://127.0.0.1:3000', 'http://127.0.0.1:3000', 'https://random-api-id.execute-api.us-east-1.amazonaws.com'],
    ],
    ['an AWS docs event without Host or domainName', 'authorizer-rest-request.aws-docs', []],
  ])('derives the own origins of %s from its Host and domainName', (_label, fixture, expected) => {
    expect(ownOriginsOf(loadEvent(fixture))).toEqual(expected);
  });

  it('never offers http for a Host that is not loopback', () => {
    const event = loadEvent('authorizer-http-v2.powertools-ts');
    event.headers.host = 'app.example.com';
    expect(ownOriginsOf(event)).not.toContain('http://app.example.com');
    event.headers.host = '127.0.0.1.evil.example.com';
    expect(ownOriginsOf(event)).not.toContain('http://127.0.0.1.evil.example.com');
  });

  it('offers http for loopback Hosts with or without a port, and for no Host that merely contains one', () => {
    // Prepare
    const event = loadEvent('offline-httpapi-v2-authorizer');
    const httpOrigins = (host: string) => {
      event.headers.Host = host;
      return ownOriginsOf(event).filter((origin) => origin.startsWith('http://'));
    };
    // Act / Assess
    expect(httpOrigins('localhost')).toEqual(['http://localhost']);
    expect(httpOrigins('[::1]:3000')).toEqual(['http://[::1]:3000']);
    expect(httpOrigins('evil-localhost:3000')).toEqual([]);
    expect(httpOrigins('localhost:3000.evil.example.com')).toEqual([]);
  });

  it('reads the Host without the blanks around it', () => {
    const event = loadEvent('offline-httpapi-v2-authorizer');
    event.headers.Host = ' 127.0.0.1:3000 ';
    expect(ownOriginsOf(event).slice(0, 2)).toEqual(['https://127.0.0.1:3000', 'http://127.0.0.1:3000']);
  });

  it('takes no own origin from an empty or absent domainName', () => {
    // Prepare: the Host alone names the API
    const event = loadEvent('authorizer-http-v2.powertools-ts');
    event.requestContext.domainName = '';
    // Act / Assess
    expect(ownOriginsOf(event)).toEqual(['https://lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com']);
    delete event.requestContext;
    expect(ownOriginsOf(event)).toEqual(['https://lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com']);
  });

  it('reads Sec-Fetch-Site without the blanks around it', () => {
    const event = loadEvent('authorizer-rest-request.powertools-ts');
    event.multiValueHeaders['Sec-Fetch-Site'] = [' same-origin '];
    expect(provesAppOrigin(event, undefined)).toBe(true);
  });

  it('logs what the request offered as evidence, each value cut to 200 characters', () => {
    // Prepare: an attacker pads the headers to flood the log
    const event = loadEvent('authorizer-rest-request.powertools-ts');
    event.multiValueHeaders.Origin = [`https://evil.example.com/${'a'.repeat(300)}`];
    event.multiValueHeaders['Sec-Fetch-Site'] = ['cross-site', 'same-site'];
    // Act
    const evidence = originEvidenceOf(event);
    // Assess
    expect(evidence).toEqual({
      origin: [`https://evil.example.com/${'a'.repeat(175)}`],
      secFetchSite: ['cross-site', 'same-site'],
    });
  });

  it('reads Origin and Sec-Fetch-Site in any case, from REST multiValueHeaders too', () => {
    // Prepare
    const event = loadEvent('authorizer-rest-request.powertools-ts');
    event.multiValueHeaders.ORIGIN = ['HTTPS://PUHDX84JY9.execute-api.eu-west-1.amazonaws.com'];
    // Act / Assess
    expect(provesAppOrigin(event, undefined)).toBe(true);
    event.multiValueHeaders.ORIGIN = ['https://evil.example.com'];
    expect(provesAppOrigin(event, undefined)).toBe(false);
    delete event.multiValueHeaders.ORIGIN;
    event.multiValueHeaders['Sec-Fetch-Site'] = ['Same-Origin'];
    expect(provesAppOrigin(event, undefined)).toBe(true);
  });

  it('refuses two Origin headers and two Sec-Fetch-Site headers rather than choosing one', () => {
    const event = loadEvent('authorizer-rest-request.powertools-ts');
    const own = 'https://puhdx84jy9.execute-api.eu-west-1.amazonaws.com';
    event.multiValueHeaders.Origin = [own, 'https://evil.example.com'];
    expect(provesAppOrigin(event, undefined)).toBe(false);
    delete event.multiValueHeaders.Origin;
    event.multiValueHeaders['Sec-Fetch-Site'] = ['same-origin', 'cross-site'];
    expect(provesAppOrigin(event, undefined)).toBe(false);
  });

  it('checks only the configured origins when a list is given', () => {
    const event = loadEvent('authorizer-http-v2.powertools-ts');
    event.headers.origin = 'https://lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com';
    expect(provesAppOrigin(event, ['https://www.example.com'])).toBe(false);
    event.headers.origin = 'https://www.example.com';
    expect(provesAppOrigin(event, ['https://www.example.com'])).toBe(true);
  });

  it('takes the method from the request, not from the ARN, and counts only GET, HEAD and OPTIONS as safe', () => {
    // Prepare: an HTTP API route ANY /{proxy+} names no single method in its ARN
    const event = loadEvent('authorizer-http-v2.powertools-ts');
    event.routeArn = 'arn:aws:execute-api:eu-west-1:123456789012:lsw1ro4ipb/$default/ANY/lambda';
    const route = requestRouteOf(event)!;
    // Act / Assess
    expect(requestMethodOf(event, route)).toBe('POST');
    delete event.requestContext.http;
    expect(requestMethodOf(event, route)).toBe('ANY');
    expect(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE', 'ANY'].filter(isSafeMethod)).toEqual([
      'GET',
      'HEAD',
      'OPTIONS',
    ]);
  });
});
