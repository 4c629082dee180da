import { describe, expect, it } from 'vitest';
import {
  buildAuthorizeUrl,
  buildLogoutUrl,
  isIdentityProviderName,
  isLanguageTag,
} from '../../../shared/oidc/authorize-request.js';

const REQUEST = {
  clientId: 'ad398u21ijw3s9w3939',
  redirectUri: 'https://app.example.com/auth/callback',
  scopes: ['openid', 'email', 'cognito-gate/read'],
  state: 'S'.repeat(43),
  nonce: 'N'.repeat(43),
  codeChallenge: 'C'.repeat(43),
};

describe('the authorize request', () => {
  it('always carries response_type=code, state, nonce and an S256 code challenge', () => {
    // Act
    const url = new URL(
      buildAuthorizeUrl('https://mydomain.auth.us-east-1.amazoncognito.com/oauth2/authorize', REQUEST),
    );
    // Assess
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: REQUEST.clientId,
      redirect_uri: REQUEST.redirectUri,
      scope: 'openid email cognito-gate/read',
      state: REQUEST.state,
      nonce: REQUEST.nonce,
      code_challenge: REQUEST.codeChallenge,
      code_challenge_method: 'S256',
    });
  });

  it('passes identity_provider and lang through when given', () => {
    const url = new URL(
      buildAuthorizeUrl('https://auth.example.com/oauth2/authorize', {
        ...REQUEST,
        identityProvider: 'Google',
        lang: 'pt-BR',
      }),
    );
    expect(url.searchParams.get('identity_provider')).toBe('Google');
    expect(url.searchParams.get('lang')).toBe('pt-BR');
  });

  it("builds Cognito's logout URL with client_id and logout_uri", () => {
    const url = new URL(
      buildLogoutUrl('https://auth.example.com/logout', {
        clientId: 'abc',
        logoutUri: 'https://app.example.com/signed-out',
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe('https://auth.example.com/logout');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'abc',
      logout_uri: 'https://app.example.com/signed-out',
    });
  });

  it('knows identity provider names and language tags from garbage', () => {
    expect(isIdentityProviderName('Google')).toBe(true);
    expect(isIdentityProviderName('My SAML IdP')).toBe(false);
    expect(isIdentityProviderName('x'.repeat(129))).toBe(false);
    expect(isLanguageTag('zh-TW')).toBe(true);
    expect(isLanguageTag('en"><script>')).toBe(false);
  });
});
