import { describe, expect, it } from 'vitest';
import { compileRules } from '../../../shared/rules/compile-rules.js';
import { callerFromClaims, evaluate } from '../../../shared/rules/requirement.js';
import { pathSegments } from '../../../shared/rules/route-pattern.js';
import { parseRuleDocument, type RuleSpec } from '../../../shared/rules/rule-document.js';

const compile = (rules: RuleSpec[]) => compileRules(parseRuleDocument({ rules }, 'test'));

/** The verdict the authorizer reaches: the matched rule's shared requirement, looked up by its index. */
function decide(rules: RuleSpec[], method: string, path: string, claims: Record<string, unknown>) {
  const compiled = compile(rules);
  const rule = compiled.matcher.match(method, pathSegments(path));
  if (!rule) return undefined;
  return evaluate(compiled.requirements[rule.requirementIndex]!, callerFromClaims('access', claims));
}

describe('the rule compiler', () => {
  it('keeps two different anyOf rules apart, so the alternatives of one never grant the other', () => {
    // Prepare: auditors may read reports, only admins may delete them
    const rules: RuleSpec[] = [
      { route: 'GET /reports', anyOf: [{ groups: ['auditors'] }, { scopes: ['reports/read'] }] },
      { route: 'DELETE /reports', anyOf: [{ groups: ['admins'] }, { scopes: ['reports/admin'] }] },
    ];
    const auditor = { 'cognito:groups': ['auditors'], scope: 'reports/read' };
    // Act
    const read = decide(rules, 'GET', '/reports', auditor);
    const remove = decide(rules, 'DELETE', '/reports', auditor);
    // Assess
    expect(read).toEqual({ allow: true });
    expect(remove).toEqual({ allow: false, reason: 'group_required' });
  });

  it('gives each distinct requirement one entry, in rule order, and points every rule at its own', () => {
    // Prepare
    const compiled = compile([
      { route: 'GET /a', scopes: ['s/read'] },
      { route: 'GET /b', groups: ['admins'] },
      { route: 'GET /c', scopes: ['s/read'] },
      { route: 'GET /d', anyOf: [{ groups: ['admins'] }, { scopes: ['s/read'] }] },
    ]);
    // Act
    const indexes = compiled.rules.map((rule) => rule.requirementIndex);
    // Assess
    expect(indexes).toEqual([0, 1, 0, 2]);
    expect(compiled.requirements).toHaveLength(3);
    expect(compiled.rules.map((rule) => compiled.requirements[rule.requirementIndex])).toEqual(
      compiled.rules.map((rule) => rule.requirement),
    );
  });

  it('keeps the version of the same rule file, however often it is compiled', () => {
    const rules: RuleSpec[] = [{ route: 'GET /a', scopes: ['s/read'] }];
    expect(compile(rules).version).toBe(compile(structuredClone(rules)).version);
  });

  it.each<[string, RuleSpec[]]>([
    ['a rule asks for another scope', [{ route: 'GET /a', scopes: ['s/write'] }]],
    ['a rule moves to another route', [{ route: 'GET /b', scopes: ['s/read'] }]],
    ['a rule becomes public', [{ route: 'GET /a', public: true }]],
    [
      'a rule is added',
      [
        { route: 'GET /a', scopes: ['s/read'] },
        { route: 'GET /b', scopes: ['s/read'] },
      ],
    ],
  ])('changes the version when %s, so no cached decision outlives the rules it was made under', (_change, changed) => {
    // Prepare
    const before = compile([{ route: 'GET /a', scopes: ['s/read'] }]);
    // Act
    const after = compile(changed);
    // Assess
    expect(after.version).not.toBe(before.version);
  });

  it('changes the version when only the alternatives of an anyOf rule change', () => {
    const before = compile([{ route: 'GET /a', anyOf: [{ groups: ['admins'] }, { scopes: ['s/read'] }] }]);
    const after = compile([{ route: 'GET /a', anyOf: [{ groups: ['admins'] }, { scopes: ['s/write'] }] }]);
    expect(after.version).not.toBe(before.version);
  });

  it('writes the version as 16 base64url characters, short and safe to log', () => {
    expect(compile([{ route: 'GET /a', scopes: ['s/read'] }]).version).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });
});
