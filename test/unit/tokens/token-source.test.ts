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

  it("refuses a session cookie that a sibling subdomain tossed: the attacker's copy first, then the victim's", () => {
    // Prepare: evil.example.com answered with
    //   Set-Cookie: cg_session=<attacker's JWT>; Domain=example.com; Path=/echo
    // so the victim's browser, calling GET https://app.example.com/echo, sends the longer path first:
    const attackerJwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJl';
    const event = loadEvent('offline-httpapi-v2-authorizer');
    delete event.headers.Authorization;
    event.headers.Cookie = `${COOKIE}=${attackerJwt}; ${COOKIE}=${JWT}`;
    // Act / Assess
    expect(() => findToken(event, COOKIE)).toThrow(expect.objectContaining({ reason: 'cookie_duplicated' }));
  });

  it('refuses a session cookie tossed into the HTTP API cookies array, or sent whole beside its chunks', () => {
    const [head, body, sig] = JWT.split('.');
    for (const cookies of [
      [`${COOKIE}=${JWT}`, 'theme=dark', `${COOKIE}=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ5In0.c2lnbmF0dXJl`],
      [`${COOKIE}=${JWT}`, `${COOKIE}.0=${head}.${body}.`, `${COOKIE}.1=${sig}`],
    ]) {
      expect(() => findToken({ cookies }, COOKIE)).toThrow(expect.objectContaining({ reason: 'cookie_duplicated' }));
    }
  });

  it('reads the __Host- session cookie and ignores a bare cookie of the same base name beside it', () => {
    // A sibling cannot set __Host-cg_session; the bare cg_session it can set is not what a deployed stage reads.
    const event = { headers: { cookie: `cg_session=planted.by.sibling; __Host-cg_session=${JWT}` } };
    expect(findToken(event, '__Host-cg_session')).toEqual({ token: JWT, origin: 'cookie' });
  });

  it('keeps the bearer header first: a tossed cookie does not matter when a bearer token is sent', () => {
    const event = { headers: { authorization: `Bearer ${JWT}`, cookie: `${COOKIE}=a.b.c; ${COOKIE}=d.e.f` } };
    expect(findToken(event, COOKIE)).toEqual({ token: JWT, origin: 'bearer' });
  });
});
