import { describe, expect, it } from 'vitest';
import { isSameOriginRequest } from '../../../shared/http/request-origin.js';

const ALLOWED = ['https://app.example.com', 'https://www.example.com'];

describe('proof that a request comes from one of our own pages', () => {
  it.each([
    ['an allowed Origin', { origin: 'https://app.example.com' }],
    ['another allowed Origin', { origin: 'https://www.example.com', secFetchSite: 'same-site' }],
    ['Sec-Fetch-Site: same-origin without an Origin', { secFetchSite: 'same-origin' }],
    ['Sec-Fetch-Site: same-origin in any case', { secFetchSite: 'Same-Origin' }],
    [
      'Origin: null from a no-referrer page, with Sec-Fetch-Site: same-origin',
      { origin: 'null', secFetchSite: 'same-origin' },
    ],
  ])('accepts %s', (_case, evidence) => {
    expect(isSameOriginRequest(evidence, ALLOWED)).toBe(true);
  });

  it.each([
    ['a sibling subdomain', { origin: 'https://evil.example.com', secFetchSite: 'same-site' }],
    [
      'a foreign Origin, whatever Sec-Fetch-Site says',
      { origin: 'https://evil.example.com', secFetchSite: 'same-origin' },
    ],
    ['the same host over http', { origin: 'http://app.example.com' }],
    ['an allowed origin as a prefix', { origin: 'https://app.example.com.evil.example.com' }],
    ['Origin: null alone', { origin: 'null' }],
    ['a same-site request without an Origin', { secFetchSite: 'same-site' }],
    ['a navigation the user typed (not a page of ours)', { secFetchSite: 'none' }],
    ['no evidence at all', {}],
  ])('refuses %s', (_case, evidence) => {
    expect(isSameOriginRequest(evidence, ALLOWED)).toBe(false);
  });
});
