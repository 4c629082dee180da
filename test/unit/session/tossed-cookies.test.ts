import { describe, expect, it } from 'vitest';
import { parseRequestCookies } from '../../../shared/http/cookies.js';
import { loadAuthConfig } from '../../../shared/session/auth-config.js';
import {
  clearEverywhere,
  domainsCovering,
  pathsCovering,
  tossedCookieNames,
} from '../../../shared/session/tossed-cookies.js';

const DEPLOYED = loadAuthConfig({
  COGNITO_USER_POOL_ID: 'eu-west-1_AbC123',
  OIDC_CLIENT_ID: 'web-client',
  OIDC_CLIENT_SECRET_PARAM: '/p/client-secret',
  COOKIE_SECRET_PARAM: '/p/cookie-secret',
  OIDC_REDIRECT_URI: 'https://app.example.com/auth/callback',
}).cookies;
const LOCAL = loadAuthConfig({
  COGNITO_USER_POOL_ID: 'us-east-1_local',
  COGNITO_ISSUER: 'http://127.0.0.1:9230/us-east-1_local',
  OIDC_CLIENT_ID: 'web-client',
  OIDC_CLIENT_SECRET: 'local-secret',
  COOKIE_SECRET: 'local-only-cookie-secret-0123456789abcdef',
  OIDC_REDIRECT_URI: 'http://127.0.0.1:3000/auth/callback',
  COOKIE_SECURE: 'false',
}).cookies;

describe('the token service cookies a request makes ambiguous', () => {
  it('names each product cookie sent with two values, and nothing else', () => {
    // Prepare
    const cookies = parseRequestCookies([
      '__Secure-cg_refresh=A; __Secure-cg_refresh=B; __Secure-cg_flow_abcdefghijk=F1; __Secure-cg_flow_abcdefghijk=F2; ' +
        '__Host-cg_bind=X; __Host-cg_bind=Y; __Host-cg_session.1=P; __Host-cg_session.1=Q; theme=a; theme=b; ' +
        'cg_session=planted; cg_session=another',
    ]);
    // Act / Assess: the unprefixed cg_session is not read in a deployed stage, so it is not ambiguous.
    expect(tossedCookieNames(cookies, DEPLOYED).sort()).toEqual(
      ['__Host-cg_bind', '__Host-cg_session.1', '__Secure-cg_flow_abcdefghijk', '__Secure-cg_refresh'].sort(),
    );
  });

  it('names a session sent both whole and in chunks, with each of its parts', () => {
    const cookies = parseRequestCookies(['cg_session=W; cg_session.0=A; cg_session.1=B']);
    expect(tossedCookieNames(cookies, LOCAL)).toEqual(['cg_session', 'cg_session.0', 'cg_session.1']);
  });

  it('names the chunks beside a whole session that came twice, one copy of it empty', () => {
    const cookies = parseRequestCookies(['cg_session=; cg_session=W; cg_session.0=A']);
    expect(tossedCookieNames(cookies, LOCAL).sort()).toEqual(['cg_session', 'cg_session.0']);
  });

  it('finds nothing in an ordinary signed-in request', () => {
    const cookies = parseRequestCookies([
      '__Host-cg_session.0=A; __Host-cg_session.1=B; __Host-cg_bind=X; __Secure-cg_refresh=R',
    ]);
    expect(tossedCookieNames(cookies, DEPLOYED)).toEqual([]);
  });
});

describe('clearing every copy of a tossed cookie', () => {
  it.each([
    ['/auth/refresh', ['/', '/auth', '/auth/', '/auth/refresh']],
    ['/auth/me/', ['/', '/auth', '/auth/', '/auth/me', '/auth/me/']],
    ['/', ['/']],
    ['/auth/a;b', ['/', '/auth', '/auth/']],
    // no deeper than six segments: a request path cannot make the answer grow without bound
    [
      '/a/b/c/d/e/f/g/h',
      [
        '/',
        '/a',
        '/a/',
        '/a/b',
        '/a/b/',
        '/a/b/c',
        '/a/b/c/',
        '/a/b/c/d',
        '/a/b/c/d/',
        '/a/b/c/d/e',
        '/a/b/c/d/e/',
        '/a/b/c/d/e/f',
        '/a/b/c/d/e/f/',
      ],
    ],
  ])('finds every cookie path that covers %s', (path, paths) => {
    expect(pathsCovering(path)).toEqual(paths);
  });

  it.each([
    ['app.example.com', ['app.example.com', 'example.com']],
    ['a.b.example.co.uk', ['a.b.example.co.uk', 'b.example.co.uk', 'example.co.uk', 'co.uk']],
    ['localhost', []],
    ['127.0.0.1', []],
    ['192.168.10.20', []],
    ['10.0.0.1.nip.io', ['10.0.0.1.nip.io', '0.0.1.nip.io', '0.1.nip.io', '1.nip.io', 'nip.io']],
    ['app1.2.3.4', ['app1.2.3.4', '2.3.4', '3.4']],
    ['[::1]', []],
  ])('finds the Domain values a copy sent to %s may have', (host, domains) => {
    expect(domainsCovering(host)).toEqual(domains);
  });

  it('deletes a __Secure- name host-only and on each parent domain, at each path that covers the request', () => {
    // Act
    const headers = clearEverywhere('__Secure-cg_refresh', DEPLOYED, '/auth/refresh');
    // Assess
    expect(headers).toHaveLength(12);
    expect(headers).toContain(
      '__Secure-cg_refresh=; Domain=example.com; Path=/auth/refresh; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
    );
    expect(headers).toContain('__Secure-cg_refresh=; Path=/auth/; Max-Age=0; HttpOnly; Secure; SameSite=Lax');
    expect(headers).toContain(
      '__Secure-cg_refresh=; Domain=app.example.com; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
    );
  });

  it('deletes a __Host- name only where such a cookie can exist: host-only at Path=/', () => {
    expect(clearEverywhere('__Host-cg_session', DEPLOYED, '/auth/me')).toEqual([
      '__Host-cg_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
    ]);
  });

  it('deletes a bare name on loopback at each path, without Domain or Secure', () => {
    expect(clearEverywhere('cg_session', LOCAL, '/auth/me')).toEqual([
      'cg_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax',
      'cg_session=; Path=/auth; Max-Age=0; HttpOnly; SameSite=Lax',
      'cg_session=; Path=/auth/; Max-Age=0; HttpOnly; SameSite=Lax',
      'cg_session=; Path=/auth/me; Max-Age=0; HttpOnly; SameSite=Lax',
    ]);
  });
});
