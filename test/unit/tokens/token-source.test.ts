import { describe, expect, it } from 'vitest';
import { findToken } from '../../../shared/tokens/token-source.js';
import { loadEvent } from '../../support/fixtures.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
const COOKIE = 'cg_session';

describe('token sources', () => {
  it('reads a bearer token from a real REST event whose header is "Authorization"', () => {
    // Prepare
    const event = loadEvent('authorizer-rest-request.powertools-ts');
    event.headers.Authorization = `Bearer ${JWT}`;
    event.multiValueHeaders.Authorization = [`Bearer ${JWT}`];
    // Act
    const found = findToken(event, COOKIE);
    // Assess
    expect(found).toEqual({ token: JWT, origin: 'bearer' });
  });

  it.each(['authorization', 'AUTHORIZATION', 'Authorization'])('finds the header named %s', (name) => {
    expect(findToken({ headers: { [name]: `Bearer ${JWT}` } }, COOKIE).token).toBe(JWT);
  });

  it.each(['bearer', 'BEARER', 'BeArEr'])('accepts the scheme written %s', (scheme) => {
    expect(findToken({ headers: { authorization: `${scheme} ${JWT}` } }, COOKIE).token).toBe(JWT);
  });

  it.each([
    ['a Basic scheme', `Basic dXNlcjpwYXNz`],
    ['two tokens', `Bearer ${JWT} ${JWT}`],
    ['a token that is not a JWT', 'Bearer allow'],
    ['a scheme without a token', 'Bearer'],
    ['a JWT without a scheme', JWT],
    ['a comma-joined pair', `Bearer ${JWT},Bearer ${JWT}`],
  ])('refuses an Authorization header with %s as token_malformed', (_label, value) => {
    expect(() => findToken({ headers: { Authorization: value } }, COOKIE)).toThrow(
      expect.objectContaining({ reason: 'token_malformed' }),
    );
  });

  it('refuses two Authorization values in multiValueHeaders', () => {
    const event = { multiValueHeaders: { Authorization: [`Bearer ${JWT}`, `Bearer ${JWT}`] } };
    expect(() => findToken(event, COOKIE)).toThrow(expect.objectContaining({ reason: 'token_malformed' }));
  });

  it('does not fall back to the cookie when the bearer header is malformed', () => {
    const event = { headers: { Authorization: 'Bearer nope', Cookie: `${COOKIE}=${JWT}` } };
    expect(() => findToken(event, COOKIE)).toThrow(expect.objectContaining({ reason: 'token_malformed' }));
  });

  it('reads the session cookie from the HTTP API cookies array', () => {
    // Prepare
    const event = loadEvent('authorizer-http-v2-cookies.aws-lambda-go');
    event.cookies = ['theme=dark', `${COOKIE}=${JWT}`];
    // Act / Assess
    expect(findToken(event, COOKIE)).toEqual({ token: JWT, origin: 'cookie' });
  });

  it('reads the session cookie from the Cookie header that serverless-offline keeps', () => {
    const event = loadEvent('offline-httpapi-v2-authorizer');
    delete event.headers.Authorization;
    event.headers.Cookie = `theme=dark; ${COOKIE}=${JWT}`;
    expect(findToken(event, COOKIE)).toEqual({ token: JWT, origin: 'cookie' });
  });

  it('reads the session cookie from a lower-case cookie header', () => {
    expect(findToken({ headers: { cookie: `${COOKIE}=${JWT}` } }, COOKIE).token).toBe(JWT);
  });

  it('reads the session cookie from REST multiValueHeaders with several Cookie headers', () => {
    const event = loadEvent('authorizer-rest-request.aws-lambda-go');
    event.multiValueHeaders.Cookie = ['a=1', `${COOKIE}=${JWT}`];
    expect(findToken(event, COOKIE).token).toBe(JWT);
  });

  it('joins a session cookie that was split into chunks', () => {
    const [head, body, sig] = JWT.split('.');
    const cookies = [`${COOKIE}.0=${head}.`, `${COOKIE}.1=${body}.`, `${COOKIE}.2=${sig}`];
    expect(findToken({ cookies }, COOKIE).token).toBe(JWT);
  });

  it('uses the configured cookie name and ignores others', () => {
    expect(() => findToken({ cookies: [`other=${JWT}`] }, COOKIE)).toThrow(
      expect.objectContaining({ reason: 'token_missing' }),
    );
  });

  it('refuses a session cookie that does not hold a JWT', () => {
    expect(() => findToken({ cookies: [`${COOKIE}=garbage`] }, COOKIE)).toThrow(
      expect.objectContaining({ reason: 'token_malformed' }),
    );
  });

  it('reports token_missing for the documented REST event without credentials', () => {
    expect(() => findToken(loadEvent('authorizer-rest-request.aws-docs'), COOKIE)).toThrow(
      expect.objectContaining({ reason: 'token_missing' }),
    );
  });

  it('survives headers: null as sent by the console test invoke', () => {
    expect(() => findToken({ headers: null, multiValueHeaders: null }, COOKIE)).toThrow(
      expect.objectContaining({ reason: 'token_missing' }),
    );
  });
});
