import { describe, expect, it } from 'vitest';
import { LoginFailedError } from '../../../shared/errors/login-errors.js';
import { toAuthRequest } from '../../../shared/session/auth-request.js';
import {
  errorResult,
  logoutConfirmationPage,
  prefersHtml,
  redirectResponse,
} from '../../../shared/session/auth-responses.js';
import { loadEvent } from '../../support/fixtures.js';

describe('auth responses', () => {
  it.each([
    ['text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8', true],
    ['text/html', true],
    ['*/*', false],
    ['application/json', false],
    ['application/json, text/html;q=0.5', false],
    ['text/*;q=0.9, application/json;q=0.1', true],
    [undefined, false],
  ])('for Accept %j prefers HTML: %s', (accept, html) => {
    expect(prefersHtml(accept)).toBe(html);
  });

  it('puts Set-Cookie in the payload 2.0 cookies array, and keeps nothing cacheable', () => {
    const response = redirectResponse('/app', ['a=1; Path=/; Max-Age=1; HttpOnly; SameSite=Lax']);
    expect(response).toEqual({
      statusCode: 302,
      headers: {
        location: '/app',
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      },
      body: '',
      cookies: ['a=1; Path=/; Max-Age=1; HttpOnly; SameSite=Lax'],
    });
  });

  it('hides everything about an unexpected error behind a bare 500', () => {
    const response = errorResult(new Error('database password is hunter2'), {
      accept: 'text/html',
      loginPath: '/auth/login',
    });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('hunter2');
  });

  it('answers a login failure as JSON to an API client', () => {
    const response = errorResult(new LoginFailedError('state_mismatch', 'no match'), {
      accept: '*/*',
      loginPath: '/auth/login',
    });
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body as string)).toEqual({ error: { code: 'state_mismatch', message: 'no match' } });
  });
});

describe('the logout confirmation page', () => {
  it('asks with a form that POSTs to the escaped action, sends Origin with it, and caches nothing', () => {
    // Act
    const page = logoutConfirmationPage('/auth/logout?return_to=%2Fbye&x="><script>', [
      'https://auth.example.com',
      'https://www.example.com',
    ]);
    // Assess: the form may go to this origin and redirect through the hosted UI back to the site.
    expect(page.statusCode).toBe(200);
    expect(page.headers).toMatchObject({
      'cache-control': 'no-store',
      'referrer-policy': 'same-origin',
      'content-security-policy':
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self' https://auth.example.com https://www.example.com",
    });
    expect(page.body).toContain(
      '<form method="post" action="/auth/logout?return_to=%2Fbye&#38;x=&#34;&#62;&#60;script&#62;">',
    );
    expect(page.cookies).toBeUndefined();
  });
});

describe('auth requests', () => {
  it('reads cookies from the HTTP API cookies array and keeps repeated query keys', () => {
    // Prepare: the API Gateway guide's payload 2.0 sample.
    const event = loadEvent('http-payload-v2.aws-docs');
    event.cookies = ['cg_session=abc', 'theme=dark'];
    // Act
    const request = toAuthRequest(event as never);
    // Assess
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/my/path');
    expect(request.query.getAll('parameter1')).toEqual(['value1', 'value2']);
    expect(request.cookies.get('cg_session')).toEqual(['abc']);
    expect(request.header('header1')).toBe('value1');
  });

  it('counts a cookie that serverless-offline repeats in the array and the Cookie header once', () => {
    // Prepare: offline's HTTP API backend event carries `cookies` and the same pairs in `cookie`.
    const event = loadEvent('offline-httpapi-v2-backend-event-simple-authorizer');
    // Act
    const request = toAuthRequest(event as never);
    // Assess
    expect(request.cookies.get('session')).toEqual(['abc123']);
    expect(request.cookies.get('theme')).toEqual(['dark']);
  });

  it('reads a REST (payload 1.0) event the same way, multi-value maps included', () => {
    // Prepare: what serverless-offline hands a REST backend.
    const event = loadEvent('offline-rest-backend-proxy-event');
    // Act
    const request = toAuthRequest(event as never);
    // Assess
    expect(request.method).toBe('GET');
    expect(request.cookies.get('session')).toEqual(['abc123']);
    expect(request.query.getAll('q')).toEqual(['1', '2']);
    expect(request.header('accept')).toBe('*/*');
  });
});
