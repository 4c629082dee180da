import type { AuthorizerConfig } from '../config/authorizer-config.js';
import { GateError, TokenMissingError } from '../errors/gate-error.js';
import type { Logger } from '../logging/logger.js';
import { ANONYMOUS_CONTEXT, contextOf, type AuthorizerContext } from '../policy/authorizer-context.js';
import { apiWidePolicy, PolicyPlanner, policyBytes, MAX_POLICY_BYTES, routePolicy, type PolicyDocument } from '../policy/iam-policy.js';
import type { CompiledRule } from '../rules/compile-rules.js';
import { callerFromClaims, evaluate, type Verdict } from '../rules/requirement.js';
import { findToken } from '../tokens/token-source.js';
import type { TokenVerifier } from '../tokens/verifier.js';
import { DecisionCache } from './decision-cache.js';
import { requestRouteOf, type AuthorizerEvent, type RequestRoute } from './request-route.js';

export interface IamAuthorizerResponse {
  principalId: string;
  policyDocument: PolicyDocument;
  context: AuthorizerContext;
}
export interface SimpleAuthorizerResponse {
  isAuthorized: boolean;
  context: AuthorizerContext;
}
export type AuthorizerResponse = IamAuthorizerResponse | SimpleAuthorizerResponse;

/** What the authorizer knows about a caller after one verification; this is what the decision cache holds. */
export interface CallerGrants {
  readonly principalId: string;
  readonly context: AuthorizerContext;
  /** One verdict per distinct requirement of the rule set. */
  readonly verdicts: readonly Verdict[];
  /** '1' or '0' per requirement: the key under which policies are shared between callers. */
  readonly grantsKey: string;
}

/** The one error API Gateway turns into 401. Its message is fixed by API Gateway. */
export class UnauthorizedResponse extends Error {
  constructor(readonly reason: string) {
    super('Unauthorized');
  }
}

export interface Authorizer {
  (event: AuthorizerEvent): Promise<AuthorizerResponse>;
}

function grantsFor(verdicts: Verdict[], principalId: string, context: AuthorizerContext): CallerGrants {
  let grantsKey = '';
  for (const verdict of verdicts) grantsKey += verdict.allow ? '1' : '0';
  return { principalId, context, verdicts, grantsKey };
}

/**
 * The authorizer's core, without middy or AWS: event -> route -> token -> grants -> response. Denials log one
 * line with a stable reason; nothing here ever logs a token.
 */
export function createAuthorizer(config: AuthorizerConfig, verifier: TokenVerifier, logger: Logger): Authorizer {
  const { rules } = config;
  const planner = new PolicyPlanner(rules);
  const cache = new DecisionCache<CallerGrants>(config.decisionCacheSize);
  const anonymous = grantsFor(
    rules.requirements.map((requirement) => evaluate(requirement, undefined)),
    'anonymous',
    ANONYMOUS_CONTEXT,
  );
  const policies = new Map<string, PolicyDocument>();

  function deny(reason: string, route: RequestRoute | undefined, event: AuthorizerEvent): never {
    logger.warn('denied', { reason, route: route ? `${route.method} /${route.segments.join('/')}` : undefined, requestId: event.requestContext?.requestId });
    throw new UnauthorizedResponse(reason);
  }

  function policyFor(route: RequestRoute, grants: CallerGrants, rule: CompiledRule | undefined, verdict: Verdict): PolicyDocument {
    const memoKey = route.arnPrefix + grants.grantsKey;
    let policy = policies.get(memoKey);
    if (policy) return policy;
    const plan = planner.plan(grants.grantsKey);
    if (plan.cacheSafe) {
      policy = apiWidePolicy(route.arnPrefix, plan);
      if (policyBytes(policy) <= MAX_POLICY_BYTES) {
        if (policies.size > 1024) policies.clear();
        policies.set(memoKey, policy);
        return policy;
      }
    }
    logger.warn('policy answers for this route only', { reason: plan.cacheSafe ? 'policy_too_large' : 'rules_overlap', rulesVersion: rules.version });
    return routePolicy(route.arnPrefix, rule, verdict.allow, route.arn);
  }

  function respond(route: RequestRoute, grants: CallerGrants, event: AuthorizerEvent): AuthorizerResponse {
    const rule = rules.matcher.match(route.method, route.segments);
    const verdict: Verdict = rule ? grants.verdicts[rule.requirementIndex]! : { allow: false, reason: 'no_rule' };
    if (!verdict.allow) {
      logger.warn('denied', { reason: verdict.reason, route: rule?.pattern.route ?? `${route.method} /${route.segments.join('/')}`, principalId: grants.principalId, requestId: event.requestContext?.requestId });
    }
    if (route.kind === 'http' && config.httpApiResponse === 'simple') {
      return { isAuthorized: verdict.allow, context: grants.context };
    }
    return { principalId: grants.principalId, policyDocument: policyFor(route, grants, rule, verdict), context: grants.context };
  }

  return async function authorize(event) {
    const route = requestRouteOf(event);
    if (!route) return deny('bad_event', route, event);
    let token: string;
    try {
      token = findToken(event, config.sessionCookieName).token;
    } catch (error) {
      if (error instanceof TokenMissingError) {
        const rule = rules.matcher.match(route.method, route.segments);
        if (rule?.requirement.isPublic) return respond(route, anonymous, event);
      }
      return deny(error instanceof GateError ? error.reason : 'token_malformed', route, event);
    }
    const cacheKey = DecisionCache.keyOf(token);
    let grants = cache.get(cacheKey, rules.version);
    if (!grants) {
      let verified;
      try {
        verified = await verifier.verify(token, 'any');
      } catch (error) {
        const reason = error instanceof GateError ? error.reason : 'token_invalid';
        if (reason === 'jwks_unavailable') {
          logger.error('denied', { reason, requestId: event.requestContext?.requestId });
          throw error; // fails closed; API Gateway answers 500, never Allow
        }
        return deny(reason, route, event);
      }
      const caller = callerFromClaims(verified.tokenUse, verified.claims);
      const verdicts = rules.requirements.map((requirement) => evaluate(requirement, caller));
      const context = contextOf(verified);
      grants = grantsFor(verdicts, context.sub || verified.clientId, context);
      cache.set(cacheKey, grants, verified.exp, rules.version);
    }
    return respond(route, grants, event);
  };
}

