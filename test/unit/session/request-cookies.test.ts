import { describe, expect, it } from 'vitest';
import { parseRequestCookies, readChunkedCookie, readCookie } from '../../../shared/http/cookies.js';

describe('reading cookies that may have been tossed', () => {
  it('keeps both values of a name sent twice, the first (the longer path) first', () => {
    // Prepare: evil.example.com set cg_session for Domain=example.com with Path=/echo; the browser sends:
    const header = 'cg_session=ATTACKER.JWT.VALUE; theme=dark; cg_session=VICTIM.JWT.VALUE';
    // Act
    const cookies = parseRequestCookies([header]);
    // Assess
    expect(cookies.get('cg_session')).toEqual(['ATTACKER.JWT.VALUE', 'VICTIM.JWT.VALUE']);
    expect(() => readCookie(cookies, 'cg_session')).toThrow(expect.objectContaining({ reason: 'cookie_duplicated' }));
    expect(readCookie(cookies, 'theme')).toBe('dark');
  });

  it('counts a name across the HTTP API cookies array and the Cookie headers together', () => {
    const cookies = parseRequestCookies(['cg_session=B'], ['cg_session=A']);
    expect(cookies.get('cg_session')).toEqual(['A', 'B']);
  });

  it('takes the same pair twice as one, and strips the quotes RFC 6265 allows', () => {
    const cookies = parseRequestCookies(['a=1; a="1"; =nameless; b'], ['a=1']);
    expect([...cookies]).toEqual([['a', ['1']]]);
  });

  it('refuses a chunked cookie when a chunk came twice, or when it came both whole and in chunks', () => {
    expect(() => readChunkedCookie(parseRequestCookies(['s.0=a; s.1=b; s.1=c']), 's')).toThrow('came 2 times');
    expect(() => readChunkedCookie(parseRequestCookies(['s=whole; s.0=a; s.1=b']), 's')).toThrow(
      'both whole and in chunks',
    );
    expect(readChunkedCookie(parseRequestCookies(['s.0=a; s.1=b; other=1; other=2']), 's')).toBe('ab');
  });
});
