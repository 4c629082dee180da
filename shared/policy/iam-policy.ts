import type { CompiledRule, CompiledRules } from '../rules/compile-rules.js';
import { globIntersectsPattern } from './iam-glob.js';

export interface PolicyStatement {
  readonly Action: 'execute-api:Invoke';
  readonly Effect: 'Allow' | 'Deny';
  readonly Resource: readonly string[];
}
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** Which routes a caller may call, as IAM wildcards, and whether one policy can say so exactly. */
export interface RoutePlan {
  readonly allow: readonly CompiledRule[];
  readonly deny: readonly CompiledRule[];
  /** True when every route's IAM answer equals the rule engine's: the policy is safe to cache for all routes. */
  readonly cacheSafe: boolean;
}

/** API Gateway's documented cap on one Resource ARN. */
export const MAX_RESOURCE_ARN_LENGTH = 512;
/** Past this many bytes of policy we answer for the current route only (see README, "Caching"). */
export const MAX_POLICY_BYTES = 8 * 1024;

/**
 * Plans the statements for one set of grants. IAM's `*` spans slashes and an explicit Deny beats every
 * Allow, so a rule set whose wildcards overlap in the wrong way cannot be stated exactly; the plan then says
 * cacheSafe: false and the caller answers for the current route only.
 */
export class PolicyPlanner {
  private readonly overlap = new Map<number, boolean>();
  private readonly plans = new Map<string, RoutePlan>();

  constructor(private readonly compiled: CompiledRules) {}

  /** Does the IAM glob of `outer` match some request that `inner` wins? */
  private globReaches(outer: CompiledRule, inner: CompiledRule): boolean {
    const count = this.compiled.rules.length;
    const memoKey = outer.index * count + inner.index;
    let answer = this.overlap.get(memoKey);
    if (answer === undefined) {
      const literalOuter = outer.pattern.method !== 'ANY' && outer.pattern.segments.every((s) => s.kind === 'literal');
      answer = literalOuter
        ? this.compiled.matcher.match(outer.pattern.method, outer.pattern.segments.map((s) => s.text)) === inner
        : globIntersectsPattern(outer.pattern, inner.pattern);
      this.overlap.set(memoKey, answer);
    }
    return answer;
  }

  /** `grantsKey` has one character per requirement, '1' for granted. */
  plan(grantsKey: string): RoutePlan {
    let plan = this.plans.get(grantsKey);
    if (plan) return plan;
    const allow: CompiledRule[] = [];
    const denied: CompiledRule[] = [];
    for (const rule of this.compiled.rules) (grantsKey[rule.requirementIndex] === '1' ? allow : denied).push(rule);
    const deny = denied.filter((d) => allow.some((a) => this.globReaches(a, d)));
    const cacheSafe = deny.every((d) => allow.every((a) => !this.globReaches(d, a)));
    plan = { allow, deny, cacheSafe };
    if (this.plans.size > 1024) this.plans.clear();
    this.plans.set(grantsKey, plan);
    return plan;
  }
}

function statement(effect: 'Allow' | 'Deny', resources: string[]): PolicyStatement {
  return { Action: 'execute-api:Invoke', Effect: effect, Resource: resources };
}

function resourcesOf(arnPrefix: string, rules: readonly CompiledRule[]): string[] {
  const resources: string[] = [];
  for (const rule of rules) for (const suffix of rule.iamSuffixes) resources.push(arnPrefix + suffix);
  return resources;
}

/** Every route of this API and stage that the plan allows, and nothing else. */
export function apiWidePolicy(arnPrefix: string, plan: RoutePlan): PolicyDocument {
  if (plan.allow.length === 0) return { Version: '2012-10-17', Statement: [statement('Deny', [`${arnPrefix}*`])] };
  const statements = [statement('Allow', resourcesOf(arnPrefix, plan.allow))];
  if (plan.deny.length > 0) statements.push(statement('Deny', resourcesOf(arnPrefix, plan.deny)));
  return { Version: '2012-10-17', Statement: statements };
}

/** The answer for one route only: correct when the route is part of the cache key, or caching is off. */
export function routePolicy(arnPrefix: string, rule: CompiledRule | undefined, allow: boolean, methodArn: string): PolicyDocument {
  const resources = rule ? resourcesOf(arnPrefix, [rule]) : [methodArn];
  return { Version: '2012-10-17', Statement: [statement(allow ? 'Allow' : 'Deny', resources)] };
}

export function policyBytes(policy: PolicyDocument): number {
  return JSON.stringify(policy).length;
}
