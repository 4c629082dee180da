import { hash } from 'node:crypto';
import { type Requirement, requirementOf } from './requirement.js';
import { RouteMatcher } from './route-matcher.js';
import { iamResourceSuffixes, parseRoute, type RoutePattern, WEBSOCKET_CONNECT } from './route-pattern.js';
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
  /** The HTTP rules (REST and HTTP API): the matcher's, and the policy planner's. */
  readonly rules: readonly CompiledRule[];
  /** The `$connect` rule of WebSocket APIs: kept apart, so that no `ANY` rule or IAM glob ever covers it. */
  readonly webSocketConnect: CompiledRule | undefined;
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
  const compiled = document.rules.map((spec, index) => {
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
    // Stryker disable next-line ConditionalExpression: equivalent when true, no request asks the matcher for $connect
    if (pattern.method !== WEBSOCKET_CONNECT) matcher.add(pattern, rule);
    return rule;
  });
  const rules = compiled.filter((rule) => rule.pattern.method !== WEBSOCKET_CONNECT);
  const webSocketConnect = compiled.find((rule) => rule.pattern.method === WEBSOCKET_CONNECT);
  // One-shot hash(), as the decision cache uses: no Hash object to build and feed, and one crypto import fewer.
  const version = hash(
    'sha256',
    JSON.stringify(compiled.map((rule) => [rule.pattern.route, rule.requirement.key])),
    'base64url',
  ).slice(0, 16);
  return { rules, webSocketConnect, requirements, matcher, version };
}
