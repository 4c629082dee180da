import { describe, expect, it } from 'vitest';
import {
  chunkName,
  MAX_CHUNKS,
  parseRequestCookies,
  readChunkedCookie,
  readCookie,
} from '../../../shared/http/cookies.js';

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

  it('trims the blanks around a value, so that a value and its copy with blanks count as one', () => {
    const cookies = parseRequestCookies(['a=1 ;a= 1; b =2 '], ['a=1']);
    expect([...cookies]).toEqual([
      ['a', ['1']],
      ['b', ['2']],
    ]);
  });

  it('skips a pair without "=", whatever its length, and keeps the cookies around it', () => {
    const cookies = parseRequestCookies(['theme=dark; HttpOnly; Secure; cg_session=JWT']);
    expect([...cookies]).toEqual([
      ['theme', ['dark']],
      ['cg_session', ['JWT']],
    ]);
  });

  it('strips a pair of quotes only, never a lone or one-sided quote', () => {
    const cookies = parseRequestCookies(['empty=""; lone="; open="abc; close=abc"; both="abc"']);
    expect(Object.fromEntries(cookies)).toEqual({
      empty: [''],
      lone: ['"'],
      open: ['"abc'],
      close: ['abc"'],
      both: ['abc'],
    });
  });

  it('refuses a chunked cookie when a chunk came twice, or when it came both whole and in chunks', () => {
    expect(() => readChunkedCookie(parseRequestCookies(['s.0=a; s.1=b; s.1=c']), 's')).toThrow('came 2 times');
    expect(() => readChunkedCookie(parseRequestCookies(['s=whole; s.0=a; s.1=b']), 's')).toThrow(
      'both whole and in chunks',
    );
    expect(readChunkedCookie(parseRequestCookies(['s.0=a; s.1=b; other=1; other=2']), 's')).toBe('ab');
  });

  it('joins at most MAX_CHUNKS chunks, the most the writer ever writes, and ignores any beyond', () => {
    // Prepare: the writer's eight chunks, plus a ninth that no writer made
    const chunks = Array.from({ length: MAX_CHUNKS + 1 }, (_, index) => `${chunkName('s', index)}=${index}`);
    // Act
    const value = readChunkedCookie(parseRequestCookies([chunks.join('; ')]), 's');
    // Assess
    expect(value).toBe('01234567');
  });
});
