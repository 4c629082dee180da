import { describe, expect, it } from 'vitest';
import { curlRequest } from '../../support/curl-request.js';

describe('curlRequest', () => {
  it('turns -u and -d into Basic auth and a form POST', () => {
    // Act
    const { method, url, init } = curlRequest([
      '-s',
      '-u',
      'client:secret',
      '-d',
      'grant_type=client_credentials',
      '-d',
      'scope=a/b',
      'http://127.0.0.1:9230/oauth2/token',
    ]);
    // Assess
    const headers = new Headers(init.headers);
    expect({ method, url, body: init.body }).toEqual({
      method: 'POST',
      url: 'http://127.0.0.1:9230/oauth2/token',
      body: 'grant_type=client_credentials&scope=a/b',
    });
    expect(headers.get('authorization')).toBe(`Basic ${Buffer.from('client:secret').toString('base64')}`);
    expect(headers.get('content-type')).toBe('application/x-www-form-urlencoded');
  });

  it('keeps -X and a JSON content type given with -H', () => {
    // Act
    const { method, init } = curlRequest([
      '-X',
      'PUT',
      '-H',
      'content-type: application/json',
      '-d',
      '{}',
      'http://x/',
    ]);
    // Assess
    expect(method).toBe('PUT');
    expect(new Headers(init.headers).get('content-type')).toBe('application/json');
  });

  it('refuses an option it does not know, so README cannot use one unnoticed', () => {
    // Act
    const attempt = () => curlRequest(['--fail', 'http://x/']);
    // Assess
    expect(attempt).toThrow('curl option --fail is not supported by the README runner');
  });
});
