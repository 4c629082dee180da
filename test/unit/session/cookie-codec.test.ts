import { describe, expect, it } from 'vitest';
import { CookieTooLargeError } from '../../../shared/errors/gate-error.js';
import { MAX_CHUNKS, parseCookieHeader, readChunkedCookie } from '../../../shared/http/cookies.js';
import {
  type CookieAttributes,
  clearChunkedCookie,
  serializeClearCookie,
  serializeSetCookie,
  setChunkedCookie,
} from '../../../shared/session/cookie-codec.js';
import { bearerThenCookie, findToken } from '../../../shared/tokens/token-source.js';

const ATTRIBUTES: CookieAttributes = { path: '/', httpOnly: true, secure: true, sameSite: 'Lax' };
const NONE = new Set<string>();

/** What a browser would send back: the name=value pairs of the cookies that were set and not cleared. */
function browserJar(setCookies: string[], jar = new Map<string, string>()): Map<string, string> {
  for (const header of setCookies) {
    const [pair = ''] = header.split(';');
    const [name = '', value = ''] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
    if (/Max-Age=0(;|$)/.test(header)) jar.delete(name);
    else jar.set(name, value);
  }
  return jar;
}

/** The cookie name that a Set-Cookie header writes. */
const nameOf = (header: string) => header.slice(0, header.indexOf('='));

/** The jar as a request carries it: one value per name. */
const sent = (jar: Map<string, string>) => new Map([...jar].map(([name, value]) => [name, [value]]));

/** A JWT-shaped value of the given length. */
function jwtOfLength(length: number): string {
  const body = 'a'.repeat(length - 10);
  return `eyJh.${body}.sig1`.slice(0, length);
}

describe('the cookie codec', () => {
  it('writes HttpOnly, Secure, SameSite and a whole-second Max-Age', () => {
    expect(serializeSetCookie('cg_session', 'abc', ATTRIBUTES, 3599.7)).toBe(
      'cg_session=abc; Path=/; Max-Age=3599; HttpOnly; Secure; SameSite=Lax',
    );
  });

  it('leaves out Secure only when told to, for local http development', () => {
    expect(serializeSetCookie('cg_id', 'abc', { ...ATTRIBUTES, path: '/auth', secure: false }, 60)).toBe(
      'cg_id=abc; Path=/auth; Max-Age=60; HttpOnly; SameSite=Lax',
    );
  });

  it('never writes a negative Max-Age for a token that is about to expire', () => {
    expect(serializeSetCookie('cg_session', 'abc', ATTRIBUTES, -5)).toContain('Max-Age=0');
  });

  it.each(['a b', 'a;b', 'a,b', 'a"b', 'a\\b', 'é'])(
    'refuses the value %j, which is not an RFC 6265 cookie-octet string',
    (value) => {
      expect(() => serializeSetCookie('cg_session', value, ATTRIBUTES, 60)).toThrow('RFC 6265');
    },
  );

  it('writes a value that fits as one cookie', () => {
    // Act
    const headers = setChunkedCookie('cg_session', jwtOfLength(1000), ATTRIBUTES, 60, { present: NONE });
    // Assess
    expect(headers).toHaveLength(1);
    expect(headers[0]).toMatch(/^cg_session=eyJh/);
  });

  it('splits a value that would pass 4096 bytes into NAME.0, NAME.1, … that readChunkedCookie joins again', () => {
    // Prepare
    const token = jwtOfLength(9000);
    // Act
    const headers = setChunkedCookie('cg_session', token, ATTRIBUTES, 3600, { present: NONE });
    // Assess
    const set = headers.filter((header) => !header.includes('Max-Age=0'));
    expect(set.map((header) => header.slice(0, header.indexOf('=')))).toEqual([
      'cg_session.0',
      'cg_session.1',
      'cg_session.2',
    ]);
    for (const header of headers) expect(Buffer.byteLength(header)).toBeLessThanOrEqual(4096);
    expect(readChunkedCookie(sent(browserJar(headers)), 'cg_session')).toBe(token);
  });

  it('gives the authorizer the whole token back from the chunks a browser sends', () => {
    // Prepare
    const token = `${'h'.repeat(100)}.${'p'.repeat(8000)}.${'s'.repeat(342)}`;
    const jar = browserJar(setChunkedCookie('cg_session', token, ATTRIBUTES, 3600, { present: NONE }));
    const cookieHeader = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    // Act
    const found = findToken({ headers: { cookie: cookieHeader } }, bearerThenCookie('cg_session'));
    // Assess
    expect(found).toEqual({ token, origin: 'cookie' });
  });

  it('clears the whole cookie when the new value is chunked, since readers prefer NAME to its chunks', () => {
    // Prepare
    const jar = browserJar(setChunkedCookie('cg_session', 'small-old-value', ATTRIBUTES, 60, { present: NONE }));
    const big = jwtOfLength(5000);
    // Act
    const headers = setChunkedCookie('cg_session', big, ATTRIBUTES, 60, { present: new Set(jar.keys()) });
    // Assess
    expect(headers).toContain('cg_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax');
    expect(readChunkedCookie(sent(browserJar(headers, jar)), 'cg_session')).toBe(big);
  });

  it('clears stale chunks left by a longer value, so a shorter one is not joined with them', () => {
    // Prepare
    const jar = browserJar(setChunkedCookie('cg_session', jwtOfLength(12_000), ATTRIBUTES, 60, { present: NONE }));
    expect([...jar.keys()]).toEqual(['cg_session.0', 'cg_session.1', 'cg_session.2']);
    const shorter = jwtOfLength(5000);
    // Act
    const headers = setChunkedCookie('cg_session', shorter, ATTRIBUTES, 60, { present: new Set(jar.keys()) });
    // Assess
    expect(headers).toContain('cg_session.2=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax');
    expect(readChunkedCookie(sent(browserJar(headers, jar)), 'cg_session')).toBe(shorter);
  });

  it('clears every chunk when a value that fits replaces a chunked one', () => {
    const jar = browserJar(setChunkedCookie('cg_session', jwtOfLength(9000), ATTRIBUTES, 60, { present: NONE }));
    const headers = setChunkedCookie('cg_session', 'short', ATTRIBUTES, 60, { present: new Set(jar.keys()) });
    expect([...browserJar(headers, jar).keys()]).toEqual(['cg_session']);
  });

  it('clears the cookie and each chunk the request carried, with the same Path', () => {
    // Act
    const headers = clearChunkedCookie(
      'cg_id',
      { ...ATTRIBUTES, path: '/auth' },
      new Set(['cg_id.0', 'cg_id.1', 'other']),
    );
    // Assess
    expect(headers).toEqual([
      'cg_id=; Path=/auth; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
      'cg_id.0=; Path=/auth; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
      'cg_id.1=; Path=/auth; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
    ]);
  });

  it('refuses a value that would need more than eight chunks', () => {
    expect(() => setChunkedCookie('cg_session', jwtOfLength(40_000), ATTRIBUTES, 60, { present: NONE })).toThrow(
      CookieTooLargeError,
    );
  });

  it('refuses a name that is not an RFC 6265 token, and says which', () => {
    expect(() => serializeSetCookie('cg session', 'v', ATTRIBUTES, 60)).toThrow('not a cookie name: cg session');
  });

  it('keeps a cookie of exactly maxBytes whole, and chunks one a byte longer', () => {
    // Prepare
    const whole = serializeSetCookie('cg_session', 'a'.repeat(100), ATTRIBUTES, 60);
    const maxBytes = Buffer.byteLength(whole);
    // Act
    const fits = setChunkedCookie('cg_session', 'a'.repeat(100), ATTRIBUTES, 60, { present: NONE, maxBytes });
    const over = setChunkedCookie('cg_session', 'a'.repeat(101), ATTRIBUTES, 60, { present: NONE, maxBytes });
    // Assess
    expect(fits).toEqual([whole]);
    expect(over.map(nameOf)).toEqual(['cg_session.0', 'cg_session.1', 'cg_session']);
  });

  it('writes a value of exactly eight full chunks, the most a reader joins, and refuses one byte more', () => {
    // Prepare
    const maxBytes = 200;
    const room = maxBytes - Buffer.byteLength(serializeSetCookie('cg_session.7', '', ATTRIBUTES, 60));
    const value = 'v'.repeat(room * MAX_CHUNKS);
    // Act
    const headers = setChunkedCookie('cg_session', value, ATTRIBUTES, 60, { present: NONE, maxBytes });
    // Assess
    expect(headers).toHaveLength(MAX_CHUNKS + 1);
    expect(readChunkedCookie(sent(browserJar(headers)), 'cg_session')).toBe(value);
    expect(() => setChunkedCookie('cg_session', `${value}v`, ATTRIBUTES, 60, { present: NONE, maxBytes })).toThrow(
      CookieTooLargeError,
    );
  });

  it('fails loudly when the attributes alone fill a chunk, leaving no byte for the value', () => {
    const overhead = Buffer.byteLength(serializeSetCookie('cg_session.7', '', ATTRIBUTES, 60));
    for (const maxBytes of [overhead, overhead - 1]) {
      expect(() =>
        setChunkedCookie('cg_session', 'v'.repeat(200), ATTRIBUTES, 60, { present: NONE, maxBytes }),
      ).toThrow('cookie attributes of cg_session leave no room for a value');
    }
  });

  it('clears only the chunk names a writer makes, NAME.0 to NAME.7, and never a NAME.8 that no reader joins', () => {
    const present = new Set(['cg_session.7', 'cg_session.8']);
    expect(clearChunkedCookie('cg_session', ATTRIBUTES, present).map(nameOf)).toEqual(['cg_session', 'cg_session.7']);
    expect(setChunkedCookie('cg_session', 'short', ATTRIBUTES, 60, { present }).map(nameOf)).toEqual([
      'cg_session',
      'cg_session.7',
    ]);
  });

  it.each(['example.com', 'a.b.example.com', 'x-1.example.com'])('writes the Domain %s', (domain) => {
    expect(serializeClearCookie('cg_refresh', { ...ATTRIBUTES, path: '/auth', domain })).toContain(
      `; Domain=${domain};`,
    );
  });

  it.each(['.example.com', '-x.example.com', 'x-.example.com', 'example.com.', 'example', 'EXAMPLE.com'])(
    'refuses the Domain %j',
    (domain) => {
      expect(() => serializeClearCookie('cg_refresh', { ...ATTRIBUTES, path: '/auth', domain })).toThrow(
        'invalid Domain',
      );
    },
  );

  it('writes chunks that parse back as cookies through a Cookie header', () => {
    const headers = setChunkedCookie('cg_session', jwtOfLength(6000), ATTRIBUTES, 60, {
      present: NONE,
      maxBytes: 1000,
    });
    const header = [...browserJar(headers)].map(([name, value]) => `${name}=${value}`).join('; ');
    expect(readChunkedCookie(parseCookieHeader(header), 'cg_session')).toBe(jwtOfLength(6000));
  });

  it('writes a Domain only when asked, to delete a copy set for a parent domain', () => {
    expect(serializeClearCookie('cg_refresh', { ...ATTRIBUTES, path: '/auth/refresh', domain: 'example.com' })).toBe(
      'cg_refresh=; Domain=example.com; Path=/auth/refresh; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
    );
    expect(() => serializeClearCookie('cg_refresh', { ...ATTRIBUTES, domain: 'example.com; Path=/' })).toThrow(
      'invalid Domain',
    );
  });

  it.each([
    ['__Host-cg_session', { ...ATTRIBUTES, secure: false }, 'must be Secure'],
    ['__host-cg_session', { ...ATTRIBUTES, path: '/auth' }, 'must have Path=/ and no Domain'],
    ['__Host-cg_session', { ...ATTRIBUTES, domain: 'example.com' }, 'must have Path=/ and no Domain'],
    ['__Secure-cg_refresh', { ...ATTRIBUTES, path: '/auth', secure: false }, 'must be Secure'],
  ])(
    'refuses to write %s with attributes its prefix forbids, which a browser would drop silently',
    (name, attributes, message) => {
      expect(() => serializeSetCookie(name, 'v', attributes, 60)).toThrow(message);
    },
  );

  it('writes prefixed cookies with the attributes their prefix needs', () => {
    expect(serializeSetCookie('__Host-cg_bind', 'v', ATTRIBUTES, 60)).toBe(
      '__Host-cg_bind=v; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax',
    );
    expect(serializeSetCookie('__Secure-cg_refresh', 'v', { ...ATTRIBUTES, path: '/auth' }, 60)).toBe(
      '__Secure-cg_refresh=v; Path=/auth; Max-Age=60; HttpOnly; Secure; SameSite=Lax',
    );
  });
});
