import { describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../../shared/session/auth-config.js';
import { clearedSessionCookies, sessionCookies } from '../../../shared/session/session-cookies.js';

const DEPLOYED = loadAuthConfig({
  COGNITO_USER_POOL_ID: 'eu-west-1_AbC123',
  OIDC_CLIENT_ID: 'web-client',
  OIDC_CLIENT_SECRET_PARAM: '/p/client-secret',
  COOKIE_SECRET_PARAM: '/p/cookie-secret',
  OIDC_REDIRECT_URI: 'https://app.example.com/auth/callback',
}).cookies;
const NOW = 1_800_000_000;
const ACCESS = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

describe('the cookies of a browser session', () => {
  it('renews the access token alone when the refresh answer brings no new refresh token or binding', () => {
    // Act
    const headers = sessionCookies(
      DEPLOYED,
      { accessToken: ACCESS, accessExpiresAt: NOW + 3600 },
      { nowSeconds: NOW, present: new Set(['__Host-cg_session', '__Secure-cg_refresh', '__Host-cg_bind']) },
    );
    // Assess
    expect(headers).toEqual([`__Host-cg_session=${ACCESS}; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax`]);
  });

  it('clears the cookies that earlier versions wrote, at their own paths, whole or in chunks, when still sent', () => {
    // Prepare: the browser still holds the retired ID token cookie (in chunks) and the unprefixed session cookie
    const present = new Set(['cg_id.0', 'cg_id.1', 'cg_session', '__Host-cg_session']);
    // Act
    const renewed = sessionCookies(
      DEPLOYED,
      { accessToken: ACCESS, accessExpiresAt: NOW + 60 },
      { nowSeconds: NOW, present },
    );
    const cleared = clearedSessionCookies(DEPLOYED, present);
    // Assess
    const retiredClears = [
      'cg_id.0=; Path=/auth; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
      'cg_id.1=; Path=/auth; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
      'cg_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
    ];
    expect(renewed.slice(1)).toEqual(retiredClears);
    expect(cleared.slice(-3)).toEqual(retiredClears);
  });

  it('clears no retired cookie that the browser did not send', () => {
    const headers = sessionCookies(
      DEPLOYED,
      { accessToken: ACCESS, accessExpiresAt: NOW + 60 },
      { nowSeconds: NOW, present: new Set(['__Host-cg_session']) },
    );
    expect(headers).toHaveLength(1);
  });
});
