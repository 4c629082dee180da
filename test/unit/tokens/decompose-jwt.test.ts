import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { beforeAll, describe, expect, it } from 'vitest';
import { decomposeJwt } from '../../../shared/tokens/decompose-jwt.js';
import { accessClaims, generateTestKey, signJwt, signJwtText, type TestKey } from '../../support/signing.js';

const FIXTURE = { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC', clientId: 'client-a' };

describe('decomposeJwt: the token taken apart strictly, before any key is looked up', () => {
  let key: TestKey;
  beforeAll(() => {
    key = generateTestKey('key-1');
  });

  it('gives the same parts as aws-jwt-verify for a token that Cognito could have issued', () => {
    // Prepare
    const token = signJwt(key, accessClaims(FIXTURE, { username: 'al\u00efce "q"' }));
    // Act / Assess
    expect(decomposeJwt(token)).toEqual(decomposeUnverifiedJwt(token));
  });

  it.each([
    // RFC 7515 §4.1.11: an extension the verifier does not implement must be refused
    ['crit naming exp', { crit: ['exp'], exp: 1 }],
    ['crit naming b64, the unencoded-payload extension', { crit: ['b64'], b64: false }],
    ['an empty crit', { crit: [] }],
    // a key or a key location chosen by the sender: never fetched, never trusted
    ['jku pointing at the attacker', { jku: 'https://evil.example.com/jwks.json' }],
    ['x5u pointing at the attacker', { x5u: 'https://evil.example.com/cert.pem' }],
    ['an embedded jwk', { jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } }],
    ['an embedded x5c chain', { x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'] }],
    ['jku set to null', { jku: null }],
  ])('refuses a header with %s', (_label, extra) => {
    // Prepare
    const token = signJwt(key, accessClaims(FIXTURE), extra);
    // Act / Assess
    expect(() => decomposeJwt(token)).toThrow(
      expect.objectContaining({ reason: 'token_invalid', message: expect.stringMatching(/^JWT header carries /) }),
    );
  });

  it('refuses a payload with two sub members, which aws-jwt-verify would read as the last one', () => {
    // Prepare: the first sub is what a strict reader shows, the last is what JSON.parse keeps
    const token = signJwtText(
      key,
      '{"kid":"key-1","alg":"RS256"}',
      JSON.stringify(accessClaims(FIXTURE)).replace(/^\{/, '{"sub":"bob",'),
    );
    // Act / Assess
    expect(() => decomposeJwt(token)).toThrow('JWT payload has a duplicate member name');
  });

  it('refuses a header with two kid members', () => {
    const token = signJwtText(
      key,
      '{"kid":"key-0","alg":"RS256","kid":"key-1"}',
      JSON.stringify(accessClaims(FIXTURE)),
    );
    expect(() => decomposeJwt(token)).toThrow('JWT header has a duplicate member name');
  });

  it('refuses a payload with a __proto__ member that aws-jwt-verify would delete and accept', () => {
    // Prepare
    const payload = JSON.stringify(accessClaims(FIXTURE)).replace(/^\{/, '{"__proto__":{"cognito:groups":["admins"]},');
    const token = signJwtText(key, '{"kid":"key-1","alg":"RS256"}', payload);
    // Act / Assess
    expect(Object.hasOwn(decomposeUnverifiedJwt(token).payload, '__proto__')).toBe(false); // deleted, then accepted
    expect(() => decomposeJwt(token)).toThrow('JWT payload has a member named __proto__ or constructor');
  });

  it('refuses a header with a constructor member', () => {
    const token = signJwtText(
      key,
      '{"kid":"key-1","alg":"RS256","constructor":{}}',
      JSON.stringify(accessClaims(FIXTURE)),
    );
    expect(() => decomposeJwt(token)).toThrow('JWT header has a member named __proto__ or constructor');
  });

  it.each([
    ['a kid that is a number', '{"kid":1,"alg":"RS256"}', '{}', 'JWT header kid is not a string'],
    ['an exp that is a string', '{"kid":"key-1","alg":"RS256"}', '{"exp":"never"}', 'JWT payload exp is not a number'],
    [
      'an aud of numbers',
      '{"kid":"key-1","alg":"RS256"}',
      '{"aud":[1]}',
      'JWT payload aud is not a string or an array of strings',
    ],
    ['a header that is an array', '["key-1"]', '{}', 'JWT header is not a JSON object'],
  ])('refuses %s, as aws-jwt-verify does', (_label, header, payload, message) => {
    const token = signJwtText(key, header, payload);
    expect(() => decomposeUnverifiedJwt(token)).toThrow();
    expect(() => decomposeJwt(token)).toThrow(expect.objectContaining({ reason: 'token_invalid', message }));
  });

  it.each([
    ['two parts', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0'],
    ['a character outside base64url', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln+bmF0dXJl'],
    ['an empty string', ''],
    ['a number', 42],
  ])('refuses %s', (_label, jwt) => {
    expect(() => decomposeJwt(jwt)).toThrow('token is not a compact JWS');
  });
});
