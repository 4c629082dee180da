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

/** A rule's first segment when it is literal, else '' (a wildcard first, or `/`), which no literal can be. */
// Stryker disable next-line ArrowFunction: equivalent, with one key for all, candidates() offers every rule (slower)
const firstLiteral = (rule: CompiledRule) =>
  // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, as above: '' for all offers every rule
  rule.pattern.segments[0]?.kind === 'literal' ? rule.pattern.segments[0].text : '';

/**
 * Plans the statements for one set of grants. IAM's `*` spans slashes and an explicit Deny beats every
 * Allow, so a rule set whose wildcards overlap in the wrong way cannot be stated exactly; the plan then says
 * cacheSafe: false and the caller answers for the current route only.
 */
export class PolicyPlanner {
  /** Per literal rule (no wildcard, not ANY): the rule that wins the one request its glob matches, or null. */
  private readonly winners = new Map<CompiledRule, CompiledRule | null>();
  private readonly byFirstLiteral = new Map<string, CompiledRule[]>();
  private readonly plans = new Map<string, RoutePlan>();

  constructor(private readonly compiled: CompiledRules) {
    for (const rule of compiled.rules)
      this.byFirstLiteral.set(firstLiteral(rule), [...(this.byFirstLiteral.get(firstLiteral(rule)) ?? []), rule]);
  }

  /** Does the IAM glob of `outer` match some request that `inner` wins? */
  private globReaches(outer: CompiledRule, inner: CompiledRule): boolean {
    const { pattern } = outer;
    if (pattern.method !== 'ANY' && pattern.segments.every((s) => s.kind === 'literal')) {
      // A literal glob matches one request: one match() per rule answers for every inner rule.
      // The matcher gives that request to the literal route itself, so the answer is outer === inner, false
      // wherever plan() asks (outer and inner differ in grant).
      // Stryker disable all: equivalent, for that reason
      let winner = this.winners.get(outer);
      if (winner === undefined)
        this.winners.set(
          outer,
          (winner =
            this.compiled.matcher.match(
              pattern.method,
              pattern.segments.map((s) => s.text),
            ) ?? null),
        );
      return winner === inner;
    }
    // Stryker restore all
    return globIntersectsPattern(pattern, inner.pattern);
  }

  /**
   * The rules that the glob of `outer` might reach. When both first segments are literals and differ, the two
   * paths part right there (a segment holds no '/'), so only the rules sharing the first segment, and those
   * without a literal one, can be reached. Most pairs of a real rule file part there: the first plan, which
   * runs at cold start, does not try every pair.
   */
  private candidates(outer: CompiledRule): readonly CompiledRule[] {
    const first = firstLiteral(outer);
    return first ? [...this.byFirstLiteral.get(first)!, ...(this.byFirstLiteral.get('') ?? [])] : this.compiled.rules;
  }

  /** `grantsKey` has one character per requirement, '1' for granted. */
  plan(grantsKey: string): RoutePlan {
    let plan = this.plans.get(grantsKey);
    if (plan) return plan;
    const granted = (rule: CompiledRule) => grantsKey[rule.requirementIndex] === '1';
    const allow = this.compiled.rules.filter(granted);
    // A denied route that an allowed glob reaches needs an explicit Deny...
    const reached = new Set<CompiledRule>();
    for (const rule of allow)
      for (const inner of this.candidates(rule))
        if (!granted(inner) && this.globReaches(rule, inner)) reached.add(inner);
    const deny = this.compiled.rules.filter((rule) => reached.has(rule));
    // ...and the policy is exact unless such a Deny glob also reaches an allowed route.
    const cacheSafe = deny.every(
      (rule) => !this.candidates(rule).some((inner) => granted(inner) && this.globReaches(rule, inner)),
    );
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

/**
 * The answer for this request only: its exact method ARN. A rule's glob would reach further (IAM's `*` spans
 * slashes), so a copy cached by token alone could allow a route that the rules deny; this one cannot.
 */
export function routePolicy(allow: boolean, methodArn: string): PolicyDocument {
  // IAM reads `*` and `?` in a Resource as wildcards: an Allow of a path that holds one (GET /a/* sent literally)
  // would reach other routes, so such a request is denied; a Deny may reach further, which only fails closed.
  const effect = allow && !IAM_WILDCARD.test(methodArn) ? 'Allow' : 'Deny';
  return { Version: '2012-10-17', Statement: [statement(effect, [methodArn])] };
}

const IAM_WILDCARD = /[*?]/;

export function policyBytes(policy: PolicyDocument): number {
  return JSON.stringify(policy).length;
}
