import { hash } from 'node:crypto';
import { type Requirement, requirementOf } from './requirement.js';
import { RouteMatcher } from './route-matcher.js';
import { iamResourceSuffixes, parseRoute, type RoutePattern } from './route-pattern.js';
import type { RuleDocument } from './rule-document.js';

export interface CompiledRule {
  readonly index: number;
  readonly pattern: RoutePattern;
  readonly requirement: Requirement;
  /** Index into CompiledRules.requirements. */
  readonly requirementIndex: number;
  /** `METHOD/path` with wildcards, each appended to `arn:...:apiId/stage/`. */
  readonly iamSuffixes: readonly string[];
}

export interface CompiledRules {
  readonly rules: readonly CompiledRule[];
  readonly requirements: readonly Requirement[];
  readonly matcher: RouteMatcher<CompiledRule>;
  /** A digest of the rule set: a cached decision is never used under a different one. */
  readonly version: string;
}

/** Cold-start work: everything that depends only on the rule file. */
export function compileRules(document: RuleDocument): CompiledRules {
  const requirements: Requirement[] = [];
  const requirementIndexByKey = new Map<string, number>();
  const matcher = new RouteMatcher<CompiledRule>();
  const rules = document.rules.map((spec, index) => {
    const requirement = requirementOf(spec);
    let requirementIndex = requirementIndexByKey.get(requirement.key);
    if (requirementIndex === undefined) {
      requirementIndex = requirements.push(requirement) - 1;
      requirementIndexByKey.set(requirement.key, requirementIndex);
    }
    const pattern = parseRoute(spec.route);
    const rule: CompiledRule = {
      index,
      pattern,
      requirement,
      requirementIndex,
      iamSuffixes: iamResourceSuffixes(pattern),
    };
    matcher.add(pattern, rule);
    return rule;
  });
  // One-shot hash(), as the decision cache uses: no Hash object to build and feed, and one crypto import fewer.
  const version = hash(
    'sha256',
    JSON.stringify(rules.map((rule) => [rule.pattern.route, rule.requirement.key])),
    'base64url',
  ).slice(0, 16);
  return { rules, requirements, matcher, version };
}
