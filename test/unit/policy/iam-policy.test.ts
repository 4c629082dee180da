import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiWidePolicy, PolicyPlanner, policyBytes, routePolicy } from '../../../shared/policy/iam-policy.js';
import { type CompiledRules, compileRules } from '../../../shared/rules/compile-rules.js';
import { type Caller, callerFromClaims, evaluate } from '../../../shared/rules/requirement.js';
import { parseRuleDocument, type RuleSpec } from '../../../shared/rules/rule-document.js';
import { iamAllows } from '../../support/iam-evaluator.js';
import { arbitraryRequestFor, arbitraryRuleSet, GROUPS, type Request, SCOPES } from '../../support/rule-arbitraries.js';

const PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/';
const arnOf = (request: Request) => `${PREFIX}${request.method}/${request.segments.join('/')}`;

function grantsKeyFor(compiled: CompiledRules, caller: Caller | undefined): string {
  return compiled.requirements.map((requirement) => (evaluate(requirement, caller).allow ? '1' : '0')).join('');
}

function directDecision(compiled: CompiledRules, caller: Caller | undefined, request: Request): boolean {
  const rule = compiled.matcher.match(request.method, request.segments);
  return rule ? evaluate(rule.requirement, caller).allow : false;
}

const compile = (rules: RuleSpec[]) => compileRules(parseRuleDocument({ rules }, 'test'));

const arbitraryCaller = fc.oneof(
  fc.constant(undefined),
  fc
    .record({
      scopes: fc.subarray(SCOPES),
      groups: fc.subarray(GROUPS),
      tokenUse: fc.constantFrom('access' as const, 'id' as const),
    })
    .map(({ scopes, groups, tokenUse }) =>
      callerFromClaims(tokenUse, { scope: scopes.join(' '), 'cognito:groups': groups }),
    ),
);

describe('the IAM policy builder', () => {
  it('lists every route the caller may call and nothing else', () => {
    // Prepare
    const compiled = compile([
      { route: 'GET /echo', scopes: ['s/read'] },
      { route: 'POST /echo', scopes: ['s/write'] },
      { route: 'GET /health', public: true },
      { route: 'ANY /admin/{proxy+}', groups: ['admins'] },
    ]);
    const planner = new PolicyPlanner(compiled);
    const caller = callerFromClaims('access', { scope: 's/read' });
    // Act
    const policy = apiWidePolicy(PREFIX, planner.plan(grantsKeyFor(compiled, caller)));
    // Assess
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${PREFIX}GET/echo`, `${PREFIX}GET/health`] },
      ],
    });
  });

  it('answers with an explicit Deny of the whole stage when the caller may call nothing', () => {
    const compiled = compile([{ route: 'GET /echo', scopes: ['s/read'] }]);
    const plan = new PolicyPlanner(compiled).plan(grantsKeyFor(compiled, callerFromClaims('access', {})));
    expect(apiWidePolicy(PREFIX, plan)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${PREFIX}*`] }],
    });
  });

  it('adds no Deny for a denied route that an allowed wildcard of another method cannot reach', () => {
    // Prepare
    const compiled = compile([
      { route: 'GET /orders/{id}', scopes: ['s/read'] },
      { route: 'POST /orders/export', groups: ['admins'] },
      { route: 'ANY /status', scopes: ['s/read'] },
      { route: 'GET /status/{id}', groups: ['admins'] },
    ]);
    const caller = callerFromClaims('access', { scope: 's/read' });
    // Act
    const plan = new PolicyPlanner(compiled).plan(grantsKeyFor(compiled, caller));
    // Assess
    expect(plan.deny).toEqual([]);
    expect(plan.cacheSafe).toBe(true);
  });

  it('denies a literal route that a wider allowed wildcard would otherwise grant', () => {
    // Prepare
    const compiled = compile([
      { route: 'GET /orders/{id}', scopes: ['s/read'] },
      { route: 'GET /orders/export', groups: ['admins'] },
    ]);
    const caller = callerFromClaims('access', { scope: 's/read' });
    // Act
    const plan = new PolicyPlanner(compiled).plan(grantsKeyFor(compiled, caller));
    const policy = apiWidePolicy(PREFIX, plan);
    // Assess
    expect(plan.cacheSafe).toBe(true);
    expect(iamAllows(policy, `${PREFIX}GET/orders/42`)).toBe(true);
    expect(iamAllows(policy, `${PREFIX}GET/orders/export`)).toBe(false);
  });

  it('reports a rule set that IAM wildcards cannot state exactly as not cache-safe', () => {
    // A {proxy+} allowed beneath a denied {param}: Deny GET/a/* would also deny GET/a/x/y.
    const compiled = compile([
      { route: 'GET /a/{proxy+}', public: true },
      { route: 'GET /a/{id}', scopes: ['s/read'] },
    ]);
    const plan = new PolicyPlanner(compiled).plan(grantsKeyFor(compiled, callerFromClaims('access', {})));
    expect(plan.cacheSafe).toBe(false);
  });

  it('answers for one route only with its exact method ARN, never the glob of the rule that matched it', () => {
    expect(routePolicy(true, `${PREFIX}GET/orders/1`)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${PREFIX}GET/orders/1`] }],
    });
  });

  it('denies a request whose path holds an IAM wildcard, which an Allow of its ARN would stretch to other routes', () => {
    for (const path of ['GET/a/*', 'GET/a/x?', 'GET/*/admin'])
      expect(routePolicy(true, `${PREFIX}${path}`).Statement).toEqual([
        { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${PREFIX}${path}`] },
      ]);
  });

  it('denies exactly the called method ARN when no rule matches the route', () => {
    const methodArn = `${PREFIX}DELETE/unknown`;
    expect(routePolicy(false, methodArn)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [methodArn] }],
    });
  });

  it('measures a policy by the length of the JSON that API Gateway receives', () => {
    const policy = routePolicy(false, `${PREFIX}GET/x`);
    expect(policyBytes(policy)).toBe(JSON.stringify(policy).length);
  });

  it('plans each set of grants once, and forgets every plan past 1,024 of them, so memory stays bounded', () => {
    // Prepare: 11 requirements, so 1,026 distinct grant keys exist
    const compiled = compile(Array.from({ length: 11 }, (_, n) => ({ route: `GET /r${n}`, scopes: [`s/${n}`] })));
    const planner = new PolicyPlanner(compiled);
    const keys = Array.from({ length: 1026 }, (_, n) => n.toString(2).padStart(11, '0'));
    const first = planner.plan(keys[0]!);
    // Act
    for (const key of keys.slice(1, 1025)) planner.plan(key);
    const heldAt1025 = planner.plan(keys[0]!);
    planner.plan(keys[1025]!);
    const heldAt1026 = planner.plan(keys[0]!);
    // Assess
    expect(heldAt1025).toBe(first);
    expect(heldAt1026).not.toBe(first);
    expect(heldAt1026).toEqual(first);
  });

  it('states the shipped rule file exactly for every kind of caller', () => {
    const compiled = compileRules(
      parseRuleDocument(
        JSON.parse(readFileSync(new URL('../../../rules.json', import.meta.url), 'utf8')),
        'rules.json',
      ),
    );
    const planner = new PolicyPlanner(compiled);
    const keys = new Set<string>();
    for (let mask = 0; mask < 1 << compiled.requirements.length; mask++) {
      keys.add(compiled.requirements.map((_, index) => ((mask >> index) & 1 ? '1' : '0')).join(''));
    }
    for (const key of keys) expect(planner.plan(key).cacheSafe, key).toBe(true);
  });

  it('allows route B under the policy returned for route A exactly when a direct decision for B allows it (property)', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        arbitraryRuleSet().chain((rules) =>
          fc.tuple(fc.constant(rules), arbitraryCaller, arbitraryRequestFor(rules), arbitraryRequestFor(rules)),
        ),
        ([rules, caller, requestA, requestB]) => {
          // Prepare
          const compiled = compile(rules);
          const plan = new PolicyPlanner(compiled).plan(grantsKeyFor(compiled, caller));
          // Act: the policy for A is what API Gateway caches; it then judges B with it
          const policy = plan.cacheSafe
            ? apiWidePolicy(PREFIX, plan)
            : routePolicy(directDecision(compiled, caller, requestA), arnOf(requestA));
          // Assess
          expect(iamAllows(policy, arnOf(requestA))).toBe(directDecision(compiled, caller, requestA));
          if (plan.cacheSafe) {
            checked++;
            expect(iamAllows(policy, arnOf(requestB))).toBe(directDecision(compiled, caller, requestB));
          } else if (iamAllows(policy, arnOf(requestB))) {
            // A policy for A alone may deny B wrongly (fail closed), never allow it wrongly.
            expect(directDecision(compiled, caller, requestB)).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
    // Most random rule sets must be stateable exactly, or the guarantee would be vacuous.
    expect(checked).toBeGreaterThan(1500);
  });
});
