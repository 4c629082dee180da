import { describe, expect, it } from 'vitest';
import {
  checkReturnPath,
  chooseLogoutPath,
  chooseReturnPath,
  isUnderPrefix,
} from '../../../shared/session/return-path.js';

/**
 * Open-redirect attack strings, many from oauth2-proxy's advisories (GHSA-5m6c-jp6f-2vcv,
 * GHSA-j7px-6hwj-hpjg) and their test tables: none may leave this site.
 */
const ATTACKS: Array<[string, string]> = [
  ['protocol-relative', '//evil.example.com'],
  ['protocol-relative with path', '//evil.example.com/app'],
  ['three slashes', '///evil.example.com'],
  ['slash backslash', '/\\evil.example.com'],
  ['backslash slash', '\\/evil.example.com'],
  ['double backslash', '\\\\evil.example.com'],
  ['slash backslash slash', '/\\/evil.example.com'],
  ['tab between slashes', '/\t/evil.example.com'],
  ['newline between slashes', '/\n/evil.example.com'],
  ['carriage return between slashes', '/\r/evil.example.com'],
  ['space between slashes', '/ /evil.example.com'],
  ['vertical tab between slashes', '/\v/evil.example.com'],
  ['NUL byte', '/\u0000/evil.example.com'],
  ['encoded slashes', '/%2F%2Fevil.example.com'],
  ['encoded slash after slash', '/%2Fevil.example.com'],
  ['lower-case encoded slash', '/%2fevil.example.com'],
  ['encoded backslash', '/%5Cevil.example.com'],
  ['encoded backslash slash', '/%5C/evil.example.com'],
  ['encoded tab', '/%09/evil.example.com'],
  ['encoded newline', '/%0a/evil.example.com'],
  ['encoded CRLF (header injection)', '/%0d%0aSet-Cookie:%20x=y'],
  ['encoded space', '/%20/evil.example.com'],
  ['encoded vertical tab', '/%0B/evil.example.com'],
  ['double-encoded slashes', '/%252F%252Fevil.example.com'],
  ['double-encoded backslash', '/%255Cevil.example.com'],
  ['triple-encoded slash', '/%25252F/evil.example.com'],
  ['dot segment to protocol-relative', '/.//evil.example.com'],
  ['dot-dot segment to protocol-relative', '/..//evil.example.com'],
  ['encoded dot segment', '/%2e//evil.example.com'],
  ['dot segment backslash', '/./\\evil.example.com'],
  ['absolute https URL', 'https://evil.example.com/'],
  ['absolute URL with userinfo', 'https://app.example.com@evil.example.com/'],
  ['protocol-relative with userinfo', '//app.example.com@evil.example.com'],
  ['backslash userinfo trick', '/\\app.example.com@evil.example.com'],
  ['encoded userinfo trick', '/%2F%2Fapp.example.com%40evil.example.com'],
  ['javascript scheme', 'javascript:alert(document.domain)'],
  ['data scheme', 'data:text/html,<script>alert(1)</script>'],
  ['scheme without slashes', 'https:evil.example.com'],
  ['relative path without slash', 'evil.example.com'],
  ['fullwidth solidus start', '\uFF0F\uFF0Fevil.example.com'],
  ['malformed percent-encoding', '/app%'],
  ['malformed percent-encoding hiding slashes', '/%2F%2Fevil.example.com%zz'],
  ['too long', `/${'a'.repeat(2048)}`],
  ['DEL between slashes', '/\u007f/evil.example.com'],
  ['unit separator between slashes', '/\u001f/evil.example.com'],
  ['encoded five times', '/%2525252561'],
];

describe('return path validation', () => {
  it.each(ATTACKS)('refuses %s: %j', (_name, attack) => {
    expect(checkReturnPath(attack)).toMatchObject({ ok: false });
  });

  it.each([
    ['/', '/'],
    ['/app', '/app'],
    ['/app/orders?tab=open&sort=-date', '/app/orders?tab=open&sort=-date'],
    ['/app#section-2', '/app#section-2'],
    ['/search?q=hello%20world', '/search?q=hello%20world'],
    ['/files/a%2Fb', '/files/a%2Fb'],
    ['/app/./orders/../invoices', '/app/invoices'],
    ['/caf\u00e9', '/caf%C3%A9'],
    ['/@user', '/@user'],
    ['/app//orders', '/app//orders'],
    ['/search?q=a b', '/search?q=a%20b'],
    ['/%25252561', '/%25252561'],
    [`/${'a'.repeat(2047)}`, `/${'a'.repeat(2047)}`],
  ])('accepts %j as the same-site path %j', (input, canonical) => {
    expect(checkReturnPath(input)).toEqual({ ok: true, path: canonical });
  });

  it.each([
    ['nothing', undefined, 'empty'],
    ['null', null, 'empty'],
    ['an empty string', '', 'empty'],
    ['a path without a leading slash', 'app', 'not a path that starts with /'],
    ['an escape that does not decode', '/app%E0%A4%A', 'malformed percent-encoding'],
    ['a path encoded five times', '/%2525252561', 'encoded too many times'],
    ['a path longer than 2,048 characters', `/${'a'.repeat(2048)}`, 'too long'],
    ['a path over 2,048 characters that dot segments would shorten', `/${'a/../'.repeat(500)}x`, 'too long'],
    ['a path whose canonical form outgrows 2,048 characters', `/${'\u00e9'.repeat(1000)}`, 'too long'],
    ['a DEL character', '/app\u007f', 'control character'],
    ['whitespace after decoding', '/app%20x', 'whitespace in the path after percent-decoding'],
    ['a trailing space, which the URL parser would drop', '/app ', 'whitespace in the path'],
    [
      'dot segments that collapse into //host',
      '/.//evil.example.com',
      'dot segments that make a protocol-relative URL',
    ],
  ])('refuses %s and says why', (_name, raw, why) => {
    expect(checkReturnPath(raw)).toEqual({ ok: false, why });
  });

  it('matches prefixes on segment boundaries', () => {
    expect(isUnderPrefix('/app', '/app')).toBe(true);
    expect(isUnderPrefix('/app/x?y=1', '/app')).toBe(true);
    expect(isUnderPrefix('/app?y=1', '/app/')).toBe(true);
    expect(isUnderPrefix('/apple', '/app')).toBe(false);
    expect(isUnderPrefix('/anything', '/')).toBe(true);
  });

  it('falls back to the default path for an attack, and says why', () => {
    // Act
    const chosen = chooseReturnPath('/%5Cevil.example.com', { allowedPrefixes: ['/'], fallback: '/home' });
    // Assess
    expect(chosen).toEqual({ path: '/home', refused: 'backslash after percent-decoding' });
  });

  it('falls back to the default path for a safe path outside the allowed prefixes', () => {
    expect(chooseReturnPath('/admin', { allowedPrefixes: ['/app'], fallback: '/app' })).toEqual({
      path: '/app',
      refused: 'not under an allowed path',
    });
  });

  it.each([undefined, null, ''])('uses the default path quietly when none was asked for (%j)', (raw) => {
    expect(chooseReturnPath(raw, { allowedPrefixes: ['/app'], fallback: '/home' })).toEqual({ path: '/home' });
  });

  it('accepts a path under the second of two allowed prefixes', () => {
    // Prepare
    const policy = { allowedPrefixes: ['/app', '/account'], fallback: '/app' };
    // Act
    const chosen = chooseReturnPath('/account/settings?tab=mfa', policy);
    // Assess
    expect(chosen).toEqual({ path: '/account/settings?tab=mfa' });
  });

  it('returns the canonical form of an accepted path, not what was sent', () => {
    expect(chooseReturnPath('/app/./orders', { allowedPrefixes: ['/app'], fallback: '/' })).toEqual({
      path: '/app/orders',
    });
  });

  it('gives a dot-segment path in its normalised form, which is what the prefix check saw', () => {
    expect(chooseReturnPath('/app/../admin', { allowedPrefixes: ['/app'], fallback: '/app' })).toEqual({
      path: '/app',
      refused: 'not under an allowed path',
    });
  });

  it('accepts only an exact allowed sign-out path', () => {
    expect(chooseLogoutPath('/signed-out', ['/', '/signed-out'])).toEqual({ path: '/signed-out' });
    expect(chooseLogoutPath('/signed-out/x', ['/', '/signed-out'])).toEqual({
      path: '/',
      refused: 'not an allowed sign-out path',
    });
    expect(chooseLogoutPath('//evil.example.com', ['/'])).toMatchObject({
      path: '/',
      refused: 'protocol-relative URL',
    });
  });

  it.each([undefined, null, ''])('signs out to the first allowed path quietly when none was asked for (%j)', (raw) => {
    expect(chooseLogoutPath(raw, ['/bye', '/'])).toEqual({ path: '/bye' });
  });

  it('signs out to the canonical form of an allowed path', () => {
    expect(chooseLogoutPath('/app/../bye', ['/', '/bye'])).toEqual({ path: '/bye' });
  });
});
