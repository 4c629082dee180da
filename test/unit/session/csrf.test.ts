import { describe, expect, it } from 'vitest';
import { CsrfError } from '../../../shared/session/auth-errors.js';
import { toAuthRequest } from '../../../shared/session/auth-request.js';
import { checkCsrf } from '../../../shared/session/csrf.js';
import { loadEvent } from '../../support/fixtures.js';

const ALLOWED = ['https://app.example.com'];

function postWith(headers: Record<string, string>) {
  const event = loadEvent('no-authorizer.aws-lambda-go');
  event.requestContext.http.method = 'POST';
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

  it('refuses an origin that is not allowed, and the opaque "null" origin', () => {
    for (const origin of ['https://evil.example.com', 'null', 'https://app.example.com.evil.example.com']) {
      const request = postWith({ origin, 'x-requested-with': 'fetch' });
      expect(reasonOf(() => checkCsrf(request, { allowedOrigins: ALLOWED, requireCustomHeader: true }))).toBe(
        'origin_not_allowed',
      );
    }
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
        checkCsrf(postWith({ 'X-Requested-With': 'XMLHttpRequest' }), {
          allowedOrigins: ALLOWED,
          requireCustomHeader: true,
        }),
      ),
    ).toBeUndefined();
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
});
