import { describe, expect, it } from 'vitest';
import { globIntersectsPattern } from '../../../shared/policy/iam-glob.js';
import { parseRoute } from '../../../shared/rules/route-pattern.js';

/**
 * Can the IAM resource of route A (its {param} and {proxy+} written as `*`, which spans slashes) match a request
 * that route B's pattern matches (where {param} is one non-empty segment)? Each case names the request or why none.
 */
describe('IAM glob against route pattern', () => {
  it.each<[string, string, boolean, string]>([
    ['GET /a/{id}', 'GET /a/b', true, 'GET /a/b'],
    ['GET /{id}', 'GET /a/b', true, 'GET /a/b: the * spans the slash'],
    ['GET /a/{id}/c', 'GET /a/{x}/{y}/c', true, 'GET /a/p/q/c'],
    ['GET /a/{id}', 'GET /a/{proxy+}', true, 'GET /a/p'],
    ['GET /{id}/b', 'GET /a/{proxy+}', true, 'GET /a/b'],
    ['GET /x/{proxy+}', 'GET /{a}/{b}', true, 'GET /x/q'],
    ['GET /{proxy+}', 'GET /', true, 'GET /, with * matching nothing'],
    ['ANY /a/{id}', 'POST /a/b', true, 'POST /a/b: ANY is every method'],
    ['GET /a/{id}', 'ANY /a/b', true, 'GET /a/b'],
    ['GET /a/{id}', 'POST /a/b', false, 'the methods differ'],
    ['GET /a/{id}', 'GET /b/{id}', false, 'the first segments differ'],
    ['GET /a/{id}', 'GET /a', false, 'the glob needs /a/ and the route has no trailing slash'],
    ['GET /a/{id}/c', 'GET /a/{x}', false, 'one segment cannot end in /c'],
    ['GET /ab/{id}', 'GET /a/{id}', false, '/a/ is not /ab/'],
    ['ANY /a', 'GET /a/{id}', false, 'the glob ends where the route goes on'],
    ['ANY /ab', 'GET /a', false, 'the route ends where the glob goes on'],
    ['ANY /ab', 'GET /b', false, 'a literal character of the glob cannot be skipped'],
    ['ANY /b', 'GET /a', false, 'literal characters must be equal'],
    ['ANY /a/b/c', 'GET /a/{id}', false, 'a {param} is one segment and holds no slash'],
    ['ANY /', 'GET /{id}', false, 'the root resource is the root alone, and a {param} is never empty'],
  ])('%s against %s is %s (%s)', (glob, pattern, expected) => {
    expect(globIntersectsPattern(parseRoute(glob), parseRoute(pattern))).toBe(expected);
  });
});
