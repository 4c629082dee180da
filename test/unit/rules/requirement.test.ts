import { describe, expect, it } from 'vitest';
import { callerFromClaims, evaluate, requirementOf } from '../../../shared/rules/requirement.js';
import type { RuleSpec } from '../../../shared/rules/rule-document.js';

const access = (claims: Record<string, unknown>) => callerFromClaims('access', claims);
const id = (claims: Record<string, unknown>) => callerFromClaims('id', claims);
const decide = (rule: Omit<RuleSpec, 'route'>, caller: ReturnType<typeof access> | undefined) =>
  evaluate(requirementOf({ route: 'GET /x', ...rule }), caller);

describe('the decision table', () => {
  it.each([
    ['one of the listed scopes', { scopes: ['a/read', 'a/write'] }, { scope: 'openid a/write' }, { allow: true }],
    [
      'none of the listed scopes',
      { scopes: ['a/read'] },
      { scope: 'a/write' },
      { allow: false, reason: 'insufficient_scope' },
    ],
    ['no scope claim at all', { scopes: ['a/read'] }, {}, { allow: false, reason: 'insufficient_scope' }],
    ['all of allScopes', { allScopes: ['a/read', 'a/write'] }, { scope: 'a/write a/read' }, { allow: true }],
    [
      'only some of allScopes',
      { allScopes: ['a/read', 'a/write'] },
      { scope: 'a/read' },
      { allow: false, reason: 'insufficient_scope' },
    ],
    [
      'a scope that only shares a prefix',
      { scopes: ['a/read'] },
      { scope: 'a/readonly' },
      { allow: false, reason: 'insufficient_scope' },
    ],
    ['one of the groups', { groups: ['admins', 'ops'] }, { 'cognito:groups': ['users', 'ops'] }, { allow: true }],
    [
      'none of the groups',
      { groups: ['admins'] },
      { 'cognito:groups': ['users'] },
      { allow: false, reason: 'group_required' },
    ],
    ['no groups claim', { groups: ['admins'] }, {}, { allow: false, reason: 'group_required' }],
    [
      'a claim equal to the value',
      { claims: { 'custom:tenant': 'acme' } },
      { 'custom:tenant': 'acme' },
      { allow: true },
    ],
    [
      'a claim with another value',
      { claims: { 'custom:tenant': 'acme' } },
      { 'custom:tenant': 'evil' },
      { allow: false, reason: 'claim_mismatch' },
    ],
    [
      'a missing mandatory claim',
      { claims: { 'custom:tenant': 'acme' } },
      {},
      { allow: false, reason: 'claim_mismatch' },
    ],
    [
      'a claim among several values',
      { claims: { 'custom:tier': ['gold', 'silver'] } },
      { 'custom:tier': 'silver' },
      { allow: true },
    ],
    [
      'a missing optional claim',
      { claims: { 'custom:region': { equals: 'eu', optional: true } } },
      {},
      { allow: true },
    ],
    [
      'a present optional claim with a wrong value',
      { claims: { 'custom:region': { equals: 'eu', optional: true } } },
      { 'custom:region': 'us' },
      { allow: false, reason: 'claim_mismatch' },
    ],
    [
      'a boolean claim that Cognito sends as a string',
      { claims: { email_verified: true } },
      { email_verified: 'true' },
      { allow: true },
    ],
    ['a numeric claim equal to the number', { claims: { 'custom:level': 3 } }, { 'custom:level': 3 }, { allow: true }],
    [
      'a numeric claim that Cognito sends as a string',
      { claims: { 'custom:level': 3 } },
      { 'custom:level': '3' },
      { allow: true },
    ],
    [
      'a numeric claim with another number',
      { claims: { 'custom:level': 3 } },
      { 'custom:level': 4 },
      { allow: false, reason: 'claim_mismatch' },
    ],
    [
      'a boolean claim sent as a number, which is not the boolean',
      { claims: { email_verified: true } },
      { email_verified: 1 },
      { allow: false, reason: 'claim_mismatch' },
    ],
    [
      'a missing claim that must be one of several values',
      { claims: { 'custom:tier': ['gold', 'silver'] } },
      {},
      { allow: false, reason: 'claim_mismatch' },
    ],
    [
      'a present optional claim with the right value',
      { claims: { 'custom:region': { equals: 'eu', optional: true } } },
      { 'custom:region': 'eu' },
      { allow: true },
    ],
    [
      'a claim among several values in the long form',
      { claims: { 'custom:tier': { equals: ['gold', 'silver'] } } },
      { 'custom:tier': 'silver' },
      { allow: true },
    ],
    [
      'a missing claim that the long form does not mark optional',
      { claims: { 'custom:region': { equals: 'eu' } } },
      {},
      { allow: false, reason: 'claim_mismatch' },
    ],
    [
      'a missing claim marked optional: false',
      { claims: { 'custom:region': { equals: 'eu', optional: false } } },
      {},
      { allow: false, reason: 'claim_mismatch' },
    ],
    [
      'a second claim that fails after a first that passes',
      { claims: { 'custom:tenant': 'acme', 'custom:tier': 'gold' } },
      { 'custom:tenant': 'acme', 'custom:tier': 'bronze' },
      { allow: false, reason: 'claim_mismatch' },
    ],
    [
      'a scope claim that is not a string, which grants no scope',
      { scopes: ['a/read'] },
      { scope: ['a/read'] },
      { allow: false, reason: 'insufficient_scope' },
    ],
    [
      'scopes separated by more than one space',
      { allScopes: ['a/read', 'a/write'] },
      { scope: 'a/read  a/write' },
      { allow: true },
    ],
    [
      'a groups claim that is a string, not a list',
      { groups: ['admins'] },
      { 'cognito:groups': 'admins' },
      { allow: false, reason: 'group_required' },
    ],
    [
      'a groups claim with a name that is not a string beside one that matches',
      { groups: ['admins'] },
      { 'cognito:groups': [7, 'admins'] },
      { allow: true },
    ],
  ])('decides a token with %s', (_label, rule, claims, expected) => {
    expect(decide(rule as Omit<RuleSpec, 'route'>, access(claims))).toEqual(expected);
  });

  it('checks scopes before groups, so the reason is stable when both fail', () => {
    expect(decide({ scopes: ['a/read'], groups: ['admins'] }, access({}))).toEqual({
      allow: false,
      reason: 'insufficient_scope',
    });
  });

  it('requires an access token by default and refuses an ID token', () => {
    expect(decide({}, id({}))).toEqual({ allow: false, reason: 'token_use_not_allowed' });
    expect(decide({}, access({}))).toEqual({ allow: true });
  });

  it('accepts an ID token only where the rule says tokenUse id or any', () => {
    expect(decide({ tokenUse: 'id' }, id({}))).toEqual({ allow: true });
    expect(decide({ tokenUse: 'id' }, access({}))).toEqual({ allow: false, reason: 'token_use_not_allowed' });
    expect(decide({ tokenUse: 'any' }, id({}))).toEqual({ allow: true });
  });

  it('allows a public route without any caller', () => {
    expect(decide({ public: true }, undefined)).toEqual({ allow: true });
  });

  it('denies a protected route without a caller', () => {
    expect(decide({ scopes: ['a/read'] }, undefined).allow).toBe(false);
  });

  it('passes an anyOf rule when one alternative passes: a group for users, a scope for M2M', () => {
    const rule = { anyOf: [{ groups: ['admins'] }, { scopes: ['gate/admin'] }] };
    expect(decide(rule, access({ 'cognito:groups': ['admins'] }))).toEqual({ allow: true });
    expect(decide(rule, access({ scope: 'gate/admin' }))).toEqual({ allow: true });
    expect(decide(rule, access({ scope: 'gate/read', 'cognito:groups': ['users'] }))).toEqual({
      allow: false,
      reason: 'group_required',
    });
  });

  it('shares one requirement between rules that ask the same thing in another order', () => {
    expect(requirementOf({ route: 'GET /a', scopes: ['x', 'y'] }).key).toBe(
      requirementOf({ route: 'GET /b', scopes: ['y', 'x'] }).key,
    );
  });

  it('shares one requirement between rules that list the same claims in another order', () => {
    // Prepare
    const first = requirementOf({ route: 'GET /a', claims: { 'custom:tenant': 'acme', 'custom:tier': 'gold' } });
    // Act
    const second = requirementOf({ route: 'GET /b', claims: { 'custom:tier': 'gold', 'custom:tenant': 'acme' } });
    // Assess
    expect(second.key).toBe(first.key);
  });

  it.each<[string, Omit<RuleSpec, 'route'>, Omit<RuleSpec, 'route'>]>([
    ['any of the scopes', { scopes: ['x'] }, { allScopes: ['x'] }],
    ['another group', { groups: ['admins'] }, { groups: ['users'] }],
    ['another claim value', { claims: { tenant: 'a' } }, { claims: { tenant: 'b' } }],
    ['an optional claim', { claims: { tenant: 'a' } }, { claims: { tenant: { equals: 'a', optional: true } } }],
    ['another token use', { tokenUse: 'id' }, { tokenUse: 'any' }],
    [
      'other anyOf alternatives',
      { anyOf: [{ groups: ['a'] }, { scopes: ['b'] }] },
      { anyOf: [{ groups: ['a'] }, { scopes: ['c'] }] },
    ],
  ])('keeps apart requirements that differ only in %s', (_difference, first, second) => {
    expect(requirementOf({ route: 'GET /a', ...first }).key).not.toBe(
      requirementOf({ route: 'GET /a', ...second }).key,
    );
  });

  it('reports the first failing alternative of an anyOf rule, whatever the later ones say', () => {
    // Prepare: the token lacks the scope of the first alternative and the group of the second
    const rule = { anyOf: [{ scopes: ['gate/admin'] }, { groups: ['admins'] }] };
    // Act
    const verdict = decide(rule, access({ scope: 'gate/read' }));
    // Assess
    expect(verdict).toEqual({ allow: false, reason: 'insufficient_scope' });
  });

  it('passes an anyOf rule on its last alternative', () => {
    const rule = { anyOf: [{ groups: ['admins'] }, { tokenUse: 'id' as const }, { scopes: ['gate/admin'] }] };
    expect(decide(rule, access({ scope: 'gate/admin' }))).toEqual({ allow: true });
  });

  it('denies an anyOf rule without a caller', () => {
    expect(decide({ anyOf: [{ tokenUse: 'any' }, { tokenUse: 'id' }] }, undefined)).toEqual({
      allow: false,
      reason: 'no_rule',
    });
  });
});
