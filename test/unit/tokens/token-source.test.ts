import { describe, expect, it } from 'vitest';
import {
  bearerCandidate,
  bearerThenCookie,
  findToken,
  type TokenSource,
  type TokenSourceSettings,
} from '../../../shared/tokens/token-source.js';
import { loadEvent } from '../../support/fixtures.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
const COOKIE = 'cg_session';
const DEFAULT = bearerThenCookie(COOKIE);

describe('token sources', () => {
  it('reads a bearer token from a real REST event whose header is "Authorization"', () => {
    // Prepare
    const event = loadEvent('authorizer-rest-request.powertools-ts');
    event.headers.Authorization = `Bearer ${JWT}`;
    event.multiValueHeaders.Authorization = [`Bearer ${JWT}`];
    // Act
    const found = findToken(event, DEFAULT);
    // Assess
    expect(found).toEqual({ token: JWT, origin: 'bearer' });
  });

  it.each(['authorization', 'AUTHORIZATION', 'Authorization'])('finds the header named %s', (name) => {
    expect(findToken({ headers: { [name]: `Bearer ${JWT}` } }, DEFAULT).token).toBe(JWT);
  });

  it.each(['bearer', 'BEARER', 'BeArEr'])('accepts the scheme written %s', (scheme) => {
    expect(findToken({ headers: { authorization: `${scheme} ${JWT}` } }, DEFAULT).token).toBe(JWT);
  });

  it.each([
    ['a Basic scheme', `Basic dXNlcjpwYXNz`],
    ['two tokens', `Bearer ${JWT} ${JWT}`],
    ['a token that is not a JWT', 'Bearer allow'],
    ['a scheme without a token', 'Bearer'],
    ['a JWT without a scheme', JWT],
    ['a comma-joined pair', `Bearer ${JWT},Bearer ${JWT}`],
  ])('refuses an Authorization header with %s as token_malformed', (_label, value) => {
    expect(() => findToken({ headers: { Authorization: value } }, DEFAULT)).toThrow(
      expect.objectContaining({ reason: 'token_malformed' }),
    );
  });

  it('refuses two Authorization values in multiValueHeaders', () => {
    const event = { multiValueHeaders: { Authorization: [`Bearer ${JWT}`, `Bearer ${JWT}`] } };
    expect(() => findToken(event, DEFAULT)).toThrow(expect.objectContaining({ reason: 'token_malformed' }));
  });

  it('does not fall back to the cookie when the bearer header is malformed', () => {
    const event = { headers: { Authorization: 'Bearer nope', Cookie: `${COOKIE}=${JWT}` } };
    expect(() => findToken(event, DEFAULT)).toThrow(expect.objectContaining({ reason: 'token_malformed' }));
  });

  it('reads the session cookie from the HTTP API cookies array', () => {
    // Prepare
    const event = loadEvent('authorizer-http-v2-cookies.aws-lambda-go');
    event.cookies = ['theme=dark', `${COOKIE}=${JWT}`];
    // Act / Assess
    expect(findToken(event, DEFAULT)).toEqual({ token: JWT, origin: 'cookie' });
  });

  it('reads the session cookie from the Cookie header that serverless-offline keeps', () => {
    const event = loadEvent('offline-httpapi-v2-authorizer');
    delete event.headers.Authorization;
    event.headers.Cookie = `theme=dark; ${COOKIE}=${JWT}`;
    expect(findToken(event, DEFAULT)).toEqual({ token: JWT, origin: 'cookie' });
  });

  it('reads the session cookie from a lower-case cookie header', () => {
    expect(findToken({ headers: { cookie: `${COOKIE}=${JWT}` } }, DEFAULT).token).toBe(JWT);
  });

  it('reads the session cookie from REST multiValueHeaders with several Cookie headers', () => {
    const event = loadEvent('authorizer-rest-request.aws-lambda-go');
    event.multiValueHeaders.Cookie = ['a=1', `${COOKIE}=${JWT}`];
    expect(findToken(event, DEFAULT).token).toBe(JWT);
  });

  it('joins a session cookie that was split into chunks', () => {
    const [head, body, sig] = JWT.split('.');
    const cookies = [`${COOKIE}.0=${head}.`, `${COOKIE}.1=${body}.`, `${COOKIE}.2=${sig}`];
    expect(findToken({ cookies }, DEFAULT).token).toBe(JWT);
  });

  it('uses the configured cookie name and ignores others', () => {
    expect(() => findToken({ cookies: [`other=${JWT}`] }, DEFAULT)).toThrow(
      expect.objectContaining({ reason: 'token_missing' }),
    );
  });

  it('refuses a session cookie that does not hold a JWT', () => {
    expect(() => findToken({ cookies: [`${COOKIE}=garbage`] }, DEFAULT)).toThrow(
      expect.objectContaining({ reason: 'token_malformed' }),
    );
  });

  it('reports token_missing for the documented REST event without credentials', () => {
    expect(() => findToken(loadEvent('authorizer-rest-request.aws-docs'), DEFAULT)).toThrow(
      expect.objectContaining({ reason: 'token_missing' }),
    );
  });

  it('survives headers: null as sent by the console test invoke', () => {
    expect(() => findToken({ headers: null, multiValueHeaders: null }, DEFAULT)).toThrow(
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
    expect(() => findToken(event, DEFAULT)).toThrow(expect.objectContaining({ reason: 'cookie_duplicated' }));
  });

  it('refuses a session cookie tossed into the HTTP API cookies array, or sent whole beside its chunks', () => {
    const [head, body, sig] = JWT.split('.');
    for (const cookies of [
      [`${COOKIE}=${JWT}`, 'theme=dark', `${COOKIE}=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ5In0.c2lnbmF0dXJl`],
      [`${COOKIE}=${JWT}`, `${COOKIE}.0=${head}.${body}.`, `${COOKIE}.1=${sig}`],
    ]) {
      expect(() => findToken({ cookies }, DEFAULT)).toThrow(expect.objectContaining({ reason: 'cookie_duplicated' }));
    }
  });

  it('reads the __Host- session cookie and ignores a bare cookie of the same base name beside it', () => {
    // A sibling cannot set __Host-cg_session; the bare cg_session it can set is not what a deployed stage reads.
    const event = { headers: { cookie: `cg_session=planted.by.sibling; __Host-cg_session=${JWT}` } };
    expect(findToken(event, bearerThenCookie('__Host-cg_session'))).toEqual({ token: JWT, origin: 'cookie' });
  });

  it('keeps the bearer header first: a tossed cookie does not matter when a bearer token is sent', () => {
    const event = { headers: { authorization: `Bearer ${JWT}`, cookie: `${COOKIE}=a.b.c; ${COOKIE}=d.e.f` } };
    expect(findToken(event, DEFAULT)).toEqual({ token: JWT, origin: 'bearer' });
  });
});

describe('the edges of each source', () => {
  /** A JWT-shaped token of exactly `length` characters. */
  const jwtOfLength = (length: number) => `eyJhbGciOiJSUzI1NiJ9.${'a'.repeat(length - 30)}.c2lnbmF0`;

  it('is by default bearer then cookie, with no query token on HTTP routes', () => {
    expect(bearerThenCookie('__Host-cg_session')).toEqual({
      tokenSources: [{ kind: 'bearer' }, { kind: 'cookie' }],
      sessionCookieName: '__Host-cg_session',
      queryOnHttp: false,
    });
  });

  it('accepts a token of 16 KiB and refuses one a character longer as token_malformed', () => {
    // Prepare: an attacker pads a token to make the verifier parse megabytes; Cognito's tokens are far smaller
    const longest = jwtOfLength(16 * 1024);
    const tooLong = jwtOfLength(16 * 1024 + 1);
    // Act / Assess
    expect(findToken({ headers: { authorization: `Bearer ${longest}` } }, DEFAULT).token).toBe(longest);
    expect(() => findToken({ headers: { authorization: `Bearer ${tooLong}` } }, DEFAULT)).toThrow(
      expect.objectContaining({ reason: 'token_malformed', message: 'Authorization header does not hold a JWT' }),
    );
    expect(() => findToken({ cookies: [`${COOKIE}=${tooLong}`] }, DEFAULT)).toThrow(
      expect.objectContaining({ reason: 'token_malformed', message: 'session cookie does not hold a JWT' }),
    );
  });

  it.each([
    ['two spaces', `Bearer  ${JWT}`],
    ['a tab', `Bearer\t${JWT}`],
    ['blanks around the whole value', `  Bearer ${JWT} \t`],
  ])('accepts "Bearer <jwt>" with %s, outside the fast path', (_label, header) => {
    expect(findToken({ headers: { authorization: header } }, DEFAULT)).toEqual({ token: JWT, origin: 'bearer' });
  });

  it('refuses a bearer value with anything after the token, a line break included', () => {
    expect(() => findToken({ headers: { authorization: `Bearer ${JWT}\r\nX-Forged:1` } }, DEFAULT)).toThrow(
      expect.objectContaining({ reason: 'token_malformed', message: 'Authorization header is not "Bearer <token>"' }),
    );
  });

  it('takes an Authorization header of blanks as absent and reads the next source', () => {
    const event = { headers: { authorization: ' \t ', cookie: `${COOKIE}=${JWT}` } };
    expect(findToken(event, DEFAULT)).toEqual({ token: JWT, origin: 'cookie' });
  });

  it('reads a custom header or query token without the blanks around it, and takes blanks alone as absent', () => {
    const sources = {
      tokenSources: [
        { kind: 'header', name: 'x-gate-token' },
        { kind: 'query', name: 't' },
      ],
    } as const;
    const custom = { ...sources, sessionCookieName: COOKIE, queryOnHttp: true };
    expect(findToken({ headers: { 'x-gate-token': ` ${JWT} ` } }, custom)).toEqual({ token: JWT, origin: 'header' });
    expect(findToken({ headers: { 'x-gate-token': ' ' }, queryStringParameters: { t: ` ${JWT} ` } }, custom)).toEqual({
      token: JWT,
      origin: 'query',
    });
    expect(findToken({ multiValueQueryStringParameters: { t: [` ${JWT}`] } }, custom)).toEqual({
      token: JWT,
      origin: 'query',
    });
  });

  it.each([
    [
      'two Authorization headers',
      { multiValueHeaders: { Authorization: [`Bearer ${JWT}`, `Bearer ${JWT}`] } },
      'more than one Authorization header',
    ],
    [
      'a custom header sent twice',
      { multiValueHeaders: { 'X-Gate-Token': [JWT, JWT] } },
      'more than one x-gate-token header',
    ],
    ['a custom header without a JWT', { headers: { 'x-gate-token': 'x' } }, 'x-gate-token header does not hold a JWT'],
    [
      'a query token given twice',
      { multiValueQueryStringParameters: { t: [JWT, JWT] } },
      'query parameter t given more than once',
    ],
    ['a query token without a JWT', { queryStringParameters: { t: 'x' } }, 'query parameter t does not hold a JWT'],
    ['nothing at all', {}, 'no token in any configured source'],
  ])('names what is wrong with %s in the error message', (_label, event, message) => {
    const settings: TokenSourceSettings = {
      tokenSources: [{ kind: 'bearer' }, { kind: 'header', name: 'x-gate-token' }, { kind: 'query', name: 't' }],
      sessionCookieName: COOKIE,
      queryOnHttp: true,
    };
    expect(() => findToken(event, settings)).toThrow(expect.objectContaining({ message }));
  });
});

describe('the bearer candidate that the decision cache looks up before any check', () => {
  it('is exactly what follows "Bearer " in a real REST event, in any case of the scheme', () => {
    // Prepare
    const event = loadEvent('authorizer-rest-request.powertools-ts');
    event.headers.Authorization = `bEaReR ${JWT}`;
    event.multiValueHeaders.Authorization = [`bEaReR ${JWT}`];
    // Act / Assess
    expect(bearerCandidate(event)).toBe(JWT);
  });

  it('is whatever follows "bearer ", unchecked: findToken checks it before anything is cached', () => {
    expect(bearerCandidate({ headers: { authorization: 'bearer x' } })).toBe('x');
  });

  it.each([
    ['no Authorization header', {}],
    ['two Authorization headers', { multiValueHeaders: { Authorization: [`Bearer ${JWT}`, `Bearer ${JWT}`] } }],
    ['the scheme alone', { headers: { authorization: 'Bearer' } }],
    ['the scheme and a space', { headers: { authorization: 'Bearer ' } }],
    ['no space after the scheme', { headers: { authorization: `BearerX${JWT}` } }],
    ['another six-letter scheme', { headers: { authorization: `Tokens ${JWT}` } }],
  ])('is absent with %s', (_label, event) => {
    expect(bearerCandidate(event)).toBeUndefined();
  });
});

describe('configured token sources (TOKEN_SOURCES)', () => {
  const settings = (tokenSources: readonly TokenSource[], queryOnHttp = false): TokenSourceSettings => ({
    tokenSources,
    sessionCookieName: COOKIE,
    queryOnHttp,
  });
  const CUSTOM = settings([{ kind: 'bearer' }, { kind: 'header', name: 'x-gate-token' }, { kind: 'cookie' }]);
  const QUERY = settings([{ kind: 'bearer' }, { kind: 'query', name: 'access_token' }]);

  const webSocketConnect = (token: string | undefined) => {
    const event = loadEvent('offline-websocket-connect-authorizer');
    if (token === undefined) {
      delete event.queryStringParameters;
      delete event.multiValueQueryStringParameters;
    } else {
      event.queryStringParameters.access_token = token;
      event.multiValueQueryStringParameters.access_token = [token];
    }
    return event;
  };

  it.each([
    [
      'REST (multiValueHeaders)',
      () => {
        const event = loadEvent('authorizer-rest-request.powertools-ts');
        delete event.headers.Authorization; // "Bearer foo": the bearer source, first, would refuse it
        delete event.multiValueHeaders.Authorization;
        event.headers['X-Gate-Token'] = JWT;
        event.multiValueHeaders['X-Gate-Token'] = [JWT];
        return event;
      },
    ],
    [
      'HTTP API (lower-case headers)',
      () => {
        const event = loadEvent('authorizer-http-v2.powertools-ts');
        delete event.headers.authorization;
        event.headers['x-gate-token'] = JWT;
        return event;
      },
    ],
    [
      'WebSocket $connect',
      () => {
        const event = webSocketConnect(undefined);
        event.headers['X-Gate-Token'] = JWT;
        event.multiValueHeaders['X-Gate-Token'] = [JWT];
        return event;
      },
    ],
  ])('reads a header:x-gate-token source from a real %s event', (_shape, build) => {
    expect(findToken(build(), CUSTOM)).toEqual({ token: JWT, origin: 'header' });
  });

  it('reads the raw token only: "Bearer <jwt>" in a custom header is malformed', () => {
    expect(() => findToken({ headers: { 'X-Gate-Token': `Bearer ${JWT}` } }, CUSTOM)).toThrow(
      expect.objectContaining({ reason: 'token_malformed' }),
    );
  });

  it('refuses a custom header sent twice, even with the same value', () => {
    const event = { multiValueHeaders: { 'X-Gate-Token': [JWT, JWT] } };
    expect(() => findToken(event, CUSTOM)).toThrow(expect.objectContaining({ reason: 'token_malformed' }));
  });

  it('reads nothing from a header that is not configured', () => {
    expect(() => findToken({ headers: { 'X-Api-Token': JWT } }, CUSTOM)).toThrow(
      expect.objectContaining({ reason: 'token_missing' }),
    );
  });

  it('tries the sources in the configured order', () => {
    const other = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ5In0.c2lnbmF0dXJl';
    const event = { headers: { authorization: `Bearer ${other}`, 'x-gate-token': JWT } };
    const headerFirst = settings([{ kind: 'header', name: 'x-gate-token' }, { kind: 'bearer' }]);
    expect(findToken(event, headerFirst)).toEqual({ token: JWT, origin: 'header' });
    expect(findToken(event, CUSTOM)).toEqual({ token: other, origin: 'bearer' });
  });

  it('does not fall back to the session cookie when the custom header holds a malformed token', () => {
    // Prepare: the attacker's request in full. The victim's browser holds a session cookie for the API; the
    // attacker's page sends, with credentials, a header that the API reads before the cookie, holding garbage:
    //   GET /dev/echo HTTP/1.1
    //   Host: api123.execute-api.eu-west-1.amazonaws.com
    //   Origin: https://evil.example.com
    //   X-Gate-Token: x
    //   Cookie: cg_session=<victim's token>
    // Were a malformed token a reason to try the next source, the attacker would choose which credential is read.
    const event = loadEvent('authorizer-rest-request.powertools-ts');
    const headers = {
      Host: 'api123.execute-api.eu-west-1.amazonaws.com',
      Origin: 'https://evil.example.com',
      'X-Gate-Token': 'x',
      Cookie: `${COOKIE}=${JWT}`,
    };
    event.headers = headers;
    event.multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
    // Act / Assess
    expect(() => findToken(event, CUSTOM)).toThrow(expect.objectContaining({ reason: 'token_malformed' }));
  });

  it('reads a query:access_token source on a real WebSocket $connect event', () => {
    expect(findToken(webSocketConnect(JWT), QUERY, true)).toEqual({ token: JWT, origin: 'query' });
  });

  it('refuses a malformed query token on $connect, and one given twice', () => {
    expect(() => findToken(webSocketConnect('garbage'), QUERY, true)).toThrow(
      expect.objectContaining({ reason: 'token_malformed' }),
    );
    const twice = webSocketConnect(JWT);
    twice.multiValueQueryStringParameters.access_token = [JWT, JWT];
    expect(() => findToken(twice, QUERY, true)).toThrow(expect.objectContaining({ reason: 'token_malformed' }));
  });

  it('reports token_missing on $connect without a query string (the event has no query maps at all)', () => {
    expect(() => findToken(webSocketConnect(undefined), QUERY, true)).toThrow(
      expect.objectContaining({ reason: 'token_missing' }),
    );
  });

  it('does not read a query token on an HTTP route unless the operator allows it', () => {
    // Prepare: the attacker's (or a careless client's) request in full, on an HTTP API route:
    //   GET /echo?access_token=<jwt> HTTP/1.1
    //   Host: api123.execute-api.eu-west-1.amazonaws.com
    // The URL, token included, lands in access logs, browser history and Referer headers: refused.
    const event = loadEvent('authorizer-http-v2.powertools-ts');
    event.headers = { host: 'api123.execute-api.eu-west-1.amazonaws.com' };
    event.rawQueryString = `access_token=${JWT}`;
    event.queryStringParameters = { access_token: JWT };
    // Act / Assess
    expect(() => findToken(event, QUERY)).toThrow(expect.objectContaining({ reason: 'token_missing' }));
    expect(findToken(event, settings(QUERY.tokenSources, true))).toEqual({ token: JWT, origin: 'query' });
  });

  it('refuses a query token repeated on an HTTP API route, which API Gateway joins with a comma', () => {
    const event = loadEvent('authorizer-http-v2.powertools-ts');
    event.headers = {};
    event.queryStringParameters = { access_token: `${JWT},${JWT}` };
    expect(() => findToken(event, settings(QUERY.tokenSources, true))).toThrow(
      expect.objectContaining({ reason: 'token_malformed' }),
    );
  });

  it('reads a query token from REST multiValueQueryStringParameters when allowed on HTTP routes', () => {
    const event = loadEvent('authorizer-rest-request.aws-lambda-go');
    event.headers = {};
    event.multiValueHeaders = {};
    event.queryStringParameters = { access_token: JWT };
    event.multiValueQueryStringParameters = { access_token: [JWT] };
    expect(findToken(event, settings(QUERY.tokenSources, true))).toEqual({ token: JWT, origin: 'query' });
  });
});
