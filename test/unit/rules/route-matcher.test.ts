import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../../shared/rules/compile-rules.js';
import { compareSpecificity, pathSegments, type RoutePattern } from '../../../shared/rules/route-pattern.js';
import { parseRuleDocument } from '../../../shared/rules/rule-document.js';
import { arbitraryRequestFor, arbitraryRuleSet, bruteForceMatch } from '../../support/rule-arbitraries.js';

function matcherFor(...routes: string[]) {
  const compiled = compileRules(parseRuleDocument({ rules: routes.map((route) => ({ route, public: true })) }, 'test'));
  return (method: string, path: string) => compiled.matcher.match(method, pathSegments(path))?.pattern.route;
}

describe('route matching', () => {
  it('prefers a literal segment over a {param}', () => {
    const match = matcherFor('GET /orders/{id}', 'GET /orders/mine');
    expect(match('GET', '/orders/mine')).toBe('GET /orders/mine');
    expect(match('GET', '/orders/42')).toBe('GET /orders/{id}');
  });

  it('prefers a {param} over {proxy+}', () => {
    const match = matcherFor('GET /orders/{proxy+}', 'GET /orders/{id}');
    expect(match('GET', '/orders/42')).toBe('GET /orders/{id}');
    expect(match('GET', '/orders/42/items')).toBe('GET /orders/{proxy+}');
  });

  it('lets {proxy+} match one or more trailing segments but not zero', () => {
    const match = matcherFor('ANY /files/{proxy+}');
    expect(match('PUT', '/files/a/b/c')).toBe('ANY /files/{proxy+}');
    expect(match('PUT', '/files')).toBeUndefined();
  });

  it('prefers a method over ANY on the same path', () => {
    const match = matcherFor('ANY /echo', 'POST /echo');
    expect(match('POST', '/echo')).toBe('POST /echo');
    expect(match('DELETE', '/echo')).toBe('ANY /echo');
  });

  it('ranks path specificity before method, as API Gateway picks resource then method', () => {
    const match = matcherFor('GET /a/{proxy+}', 'ANY /a/b');
    expect(match('GET', '/a/b')).toBe('ANY /a/b');
  });

  it('falls back to a less specific path when the specific one lacks the method', () => {
    const match = matcherFor('POST /orders/{id}', 'GET /orders/{proxy+}');
    expect(match('GET', '/orders/7')).toBe('GET /orders/{proxy+}');
  });

  it('matches no rule for an unknown route, so the request is denied', () => {
    expect(matcherFor('GET /echo')('GET', '/other')).toBeUndefined();
    expect(matcherFor('GET /echo')('POST', '/echo')).toBeUndefined();
  });

  it('matches the root route', () => {
    expect(matcherFor('GET /')('GET', '/')).toBe('GET /');
  });

  it('picks the same rule as a brute-force search for the most specific match (property)', () => {
    fc.assert(
      fc.property(
        arbitraryRuleSet().chain((rules) => fc.tuple(fc.constant(rules), arbitraryRequestFor(rules))),
        ([rules, request]) => {
          const compiled = compileRules(parseRuleDocument({ rules }, 'property'));
          const expected = bruteForceMatch(compiled, request.method, request.segments);
          expect(compiled.matcher.match(request.method, request.segments)).toBe(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('orders specificity as a strict ranking (antisymmetric)', () => {
    const routes = ['GET /a/b', 'GET /a/{x}', 'GET /a/{proxy+}', 'ANY /a/b'].map(
      (route) => compileRules(parseRuleDocument({ rules: [{ route, public: true }] }, 't')).rules[0]!.pattern,
    );
    for (const a of routes)
      for (const b of routes) expect(Math.sign(compareSpecificity(a, b)) + Math.sign(compareSpecificity(b, a))).toBe(0);
  });

  it('ranks a longer path above its prefix, whatever the methods', () => {
    // Prepare
    const [short, long] = ['GET /a', 'ANY /a/b'].map(
      (route) => compileRules(parseRuleDocument({ rules: [{ route, public: true }] }, 't')).rules[0]!.pattern,
    ) as [RoutePattern, RoutePattern];
    // Act
    const longOverShort = compareSpecificity(long, short);
    // Assess
    expect(longOverShort).toBeGreaterThan(0);
    expect(compareSpecificity(short, long)).toBeLessThan(0);
  });
});
