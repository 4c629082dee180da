import type { DenyReason } from '../errors/gate-error.js';
import type { ClaimCondition, ClaimValue, RequirementSpec, RuleSpec, RuleTokenUse } from './rule-document.js';

/** What a caller must hold. Rules that ask the same thing share one Requirement, evaluated once per token. */
export interface Requirement {
  readonly key: string;
  readonly isPublic: boolean;
  readonly tokenUse: RuleTokenUse;
  readonly anyScopes: readonly string[];
  readonly allScopes: readonly string[];
  readonly anyGroups: readonly string[];
  readonly claims: readonly { name: string; values: readonly ClaimValue[]; optional: boolean }[];
  /** When set, the requirement passes if any alternative passes; the fields above are then empty. */
  readonly anyOf?: readonly Requirement[];
}

/** The parts of a verified token that rules look at, parsed once per token. */
export interface Caller {
  readonly tokenUse: 'access' | 'id';
  readonly scopes: ReadonlySet<string>;
  readonly groups: ReadonlySet<string>;
  readonly claims: Readonly<Record<string, unknown>>;
}

export type Verdict = { readonly allow: true } | { readonly allow: false; readonly reason: DenyReason };

const ALLOW: Verdict = Object.freeze({ allow: true });
const denied = (reason: DenyReason): Verdict => ({ allow: false, reason });

function normaliseCondition(condition: ClaimCondition): { values: ClaimValue[]; optional: boolean } {
  if (Array.isArray(condition)) return { values: condition, optional: false };
  // Stryker disable next-line ConditionalExpression: equivalent, the rule file check refuses a null condition
  if (condition !== null && typeof condition === 'object') {
    const values = Array.isArray(condition.equals) ? condition.equals : [condition.equals];
    return { values, optional: condition.optional === true };
  }
  return { values: [condition], optional: false };
}

const sorted = (list: readonly string[] | undefined) => [...(list ?? [])].sort();

function singleRequirement(spec: RequirementSpec, isPublic: boolean): Omit<Requirement, 'key'> {
  const claims = Object.entries(spec.claims ?? {})
    .map(([name, condition]) => ({ name, ...normaliseCondition(condition) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    isPublic,
    tokenUse: spec.tokenUse ?? 'access',
    anyScopes: sorted(spec.scopes),
    allScopes: sorted(spec.allScopes),
    anyGroups: sorted(spec.groups),
    claims,
  };
}

export function requirementOf(rule: RuleSpec): Requirement {
  const base = singleRequirement(rule, rule.public === true);
  if (!rule.anyOf) return { key: JSON.stringify(base), ...base };
  const anyOf = rule.anyOf.map((alternative) => {
    const single = singleRequirement(alternative, false);
    return { key: JSON.stringify(single), ...single };
  });
  return { key: JSON.stringify({ anyOf: anyOf.map((alternative) => alternative.key) }), ...base, anyOf };
}

function claimMatches(actual: unknown, values: readonly ClaimValue[]): boolean {
  // Cognito may deliver custom attributes as strings: "true" and "42" match true and 42 (and only a string can).
  return values.some((expected) => actual === expected || actual === String(expected));
}

/** Checks in a fixed order so that the denial reason is stable: token use, scopes, groups, claims. */
export function evaluate(requirement: Requirement, caller: Caller | undefined): Verdict {
  if (requirement.isPublic) return ALLOW;
  if (!caller) return denied('no_rule');
  if (requirement.anyOf) {
    let first: Verdict | undefined;
    for (const alternative of requirement.anyOf) {
      const verdict = evaluate(alternative, caller);
      if (verdict.allow) return verdict;
      first ??= verdict;
    }
    return first!;
  }
  if (requirement.tokenUse !== 'any' && requirement.tokenUse !== caller.tokenUse)
    return denied('token_use_not_allowed');
  if (requirement.anyScopes.length > 0 && !requirement.anyScopes.some((scope) => caller.scopes.has(scope))) {
    return denied('insufficient_scope');
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, every() of no scopes is true anyway
  if (requirement.allScopes.length > 0 && !requirement.allScopes.every((scope) => caller.scopes.has(scope))) {
    return denied('insufficient_scope');
  }
  if (requirement.anyGroups.length > 0 && !requirement.anyGroups.some((group) => caller.groups.has(group))) {
    return denied('group_required');
  }
  for (const { name, values, optional } of requirement.claims) {
    const actual = caller.claims[name];
    if (actual === undefined) {
      if (!optional) return denied('claim_mismatch');
    } else if (!claimMatches(actual, values)) return denied('claim_mismatch');
  }
  return ALLOW;
}

export function callerFromClaims(tokenUse: 'access' | 'id', claims: Readonly<Record<string, unknown>>): Caller {
  const scope = claims.scope;
  const groups = claims['cognito:groups'];
  // The filters and empty sets below have equivalent mutants: an empty scope, a non-string group or Stryker's
  // placeholder in the set is never what a rule asks for (the rule file allows only non-empty string names).
  return {
    tokenUse,
    // Stryker disable next-line MethodExpression,ArrayDeclaration: equivalent, see above
    scopes: new Set(typeof scope === 'string' ? scope.split(' ').filter(Boolean) : []),
    // Stryker disable next-line MethodExpression,ConditionalExpression,ArrayDeclaration: equivalent, see above
    groups: new Set(Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : []),
    claims,
  };
}
