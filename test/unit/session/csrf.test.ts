import { describe, expect, it } from 'vitest';
import { CsrfError } from '../../../shared/errors/login-errors.js';
import { toAuthRequest } from '../../../shared/session/auth-request.js';
import { checkCsrf, isOwnNavigation } from '../../../shared/session/csrf.js';
import { loadEvent } from '../../support/fixtures.js';

const ALLOWED = ['https://app.example.com'];

function postWith(headers: Record<string, string>, method = 'POST') {
  const event = loadEvent('no-authorizer.aws-lambda-go');
  event.requestContext.http.method = method;
  event.headers = { ...event.headers, ...headers };
  return toAuthRequest(event as never);
}

function reasonOf(action: () => void): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return error instanceof CsrfError ? error.reason : 'other';
  }
}

describe('the CSRF check', () => {
  it('lets a same-origin request with the custom header through', () => {
    const request = postWith({
      origin: 'https://app.example.com',
      'x-requested-with': 'fetch',
      'sec-fetch-site': 'same-origin',
    });
    expect(reasonOf(() => checkCsrf(request, { allowedOrigins: ALLOWED, requireCustomHeader: true }))).toBeUndefined();
  });

  it('refuses an origin that is not allowed, a sibling subdomain included, even with Sec-Fetch-Site: same-origin', () => {
    for (const origin of [
      'https://evil.example.com',
      'https://app.example.com.evil.example.com',
      'http://app.example.com',
    ]) {
      const request = postWith({ origin, 'x-requested-with': 'fetch', 'sec-fetch-site': 'same-origin' });
      expect(reasonOf(() => checkCsrf(request, { allowedOrigins: ALLOWED, requireCustomHeader: true }))).toBe(
        'origin_not_allowed',
      );
    }
  });

  it('refuses the opaque "null" origin and a request with no Origin unless the browser says same-origin', () => {
    const cases: Record<string, string>[] = [
      { origin: 'null' },
      {},
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'none' },
    ];
    for (const headers of cases) {
      const request = postWith({ ...headers, 'x-requested-with': 'fetch' });
      expect(reasonOf(() => checkCsrf(request, { allowedOrigins: ALLOWED, requireCustomHeader: true }))).toBe(
        'csrf_check_failed',
      );
    }
    const noReferrerPage = postWith({ origin: 'null', 'sec-fetch-site': 'same-origin', 'x-requested-with': 'fetch' });
    expect(
      reasonOf(() => checkCsrf(noReferrerPage, { allowedOrigins: ALLOWED, requireCustomHeader: true })),
    ).toBeUndefined();
  });

  it('refuses a request the browser marks as cross-site', () => {
    const request = postWith({ 'sec-fetch-site': 'cross-site', 'x-requested-with': 'fetch' });
    expect(reasonOf(() => checkCsrf(request, { allowedOrigins: ALLOWED, requireCustomHeader: true }))).toBe(
      'csrf_check_failed',
    );
  });

  it('requires the custom header where the route asks for it, whatever its case', () => {
    expect(
      reasonOf(() =>
        checkCsrf(postWith({ origin: 'https://app.example.com' }), {
          allowedOrigins: ALLOWED,
          requireCustomHeader: true,
        }),
      ),
    ).toBe('csrf_check_failed');
    expect(
      reasonOf(() =>
        checkCsrf(postWith({ origin: 'https://app.example.com', 'X-Requested-With': 'XMLHttpRequest' }), {
          allowedOrigins: ALLOWED,
          requireCustomHeader: true,
        }),
      ),
    ).toBeUndefined();
  });

  it('refuses a custom header that holds only blanks', () => {
    const request = postWith({ origin: 'https://app.example.com', 'x-requested-with': '  ' });
    expect(reasonOf(() => checkCsrf(request, { allowedOrigins: ALLOWED, requireCustomHeader: true }))).toBe(
      'csrf_check_failed',
    );
  });

  it.each([
    [{ origin: 'https://evil.example.com' }, 'this request came from an origin that may not call it'],
    [{ 'sec-fetch-site': 'same-site' }, 'this request does not show that it came from this site'],
    [{ origin: 'https://app.example.com' }, 'this route needs the x-requested-with header'],
  ])('tells the caller what is missing in the error message (%o)', (headers, message) => {
    const request = postWith(headers);
    expect(() => checkCsrf(request, { allowedOrigins: ALLOWED, requireCustomHeader: true })).toThrow(
      expect.objectContaining({ message }),
    );
  });

  it('lets a plain same-origin form POST through where no custom header is required (logout)', () => {
    expect(
      reasonOf(() =>
        checkCsrf(postWith({ origin: 'https://app.example.com' }), {
          allowedOrigins: ALLOWED,
          requireCustomHeader: false,
        }),
      ),
    ).toBeUndefined();
  });

  it.each([
    ['a link on one of our pages', { 'sec-fetch-site': 'same-origin' }, true],
    ['the address bar or a bookmark', { 'sec-fetch-site': 'none' }, true],
    ['a link on a sibling subdomain', { 'sec-fetch-site': 'same-site' }, false],
    ['a link on another site', { 'sec-fetch-site': 'cross-site' }, false],
    ['a browser that sends no Fetch Metadata', {}, false],
  ])('treats a GET from %s as our own navigation: %s', (_from, headers, own) => {
    expect(isOwnNavigation(postWith(headers, 'GET'), ALLOWED)).toBe(own);
  });
});
