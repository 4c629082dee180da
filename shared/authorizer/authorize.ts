import { GateError, type GateReason, TokenMissingError, UnauthorizedResponse } from '../errors/gate-error.js';
import { isPayloadV2 } from '../http/proxy-event.js';
import type { Logger } from '../logging/logger.js';
import { type DecisionMetrics, NO_METRICS } from '../metrics/decision-metrics.js';
import { ANONYMOUS_CONTEXT, type AuthorizerContext, contextOf } from '../policy/authorizer-context.js';
import {
  apiWidePolicy,
  MAX_POLICY_BYTES,
  type PolicyDocument,
  PolicyPlanner,
  policyBytes,
  routePolicy,
} from '../policy/iam-policy.js';
import { type RevocationCheck, type RevocationSubject, revocationSubjectOf } from '../revocation/revocation-list.js';
import type { CompiledRule } from '../rules/compile-rules.js';
import { callerFromClaims, evaluate, type Requirement, type Verdict } from '../rules/requirement.js';
import { bearerCandidate, type FoundToken, findToken } from '../tokens/token-source.js';
import type { TokenVerifier, VerifiedToken } from '../tokens/verifier.js';
import type { AuthorizerConfig } from './authorizer-config.js';
import { isSafeMethod, originEvidenceOf, provesAppOrigin } from './csrf-guard.js';
import { DecisionCache } from './decision-cache.js';
import { type AuthorizerEvent, type RequestRoute, requestMethodOf, requestRouteOf } from './request-route.js';

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
  /** Whose token this is, for the revocation check on every answer (anonymous callers have none). */
  readonly revocation?: RevocationSubject;
}

export interface Authorizer {
  (event: AuthorizerEvent): Promise<AuthorizerResponse>;
  /**
   * The same decision without a promise when none is needed (a cached decision, or a cached JWKS): returns the
   * response or throws as the promise would reject; a promise only when the JWKS must be fetched.
   */
  readonly decide: (event: AuthorizerEvent) => AuthorizerResponse | Promise<AuthorizerResponse>;
}

/** A route with the rule that answers it (undefined: none, so denied). */
type Routed = RequestRoute & { readonly rule: CompiledRule | undefined };

const keyOfVerdicts = (verdicts: readonly Verdict[]) => verdicts.map((verdict) => (verdict.allow ? 1 : 0)).join('');

/** Every claim name that some requirement (or one of its anyOf alternatives) compares. */
const claimNamesOf = (requirements: readonly Requirement[]): string[] =>
  requirements.flatMap((requirement) => [
    ...requirement.claims.map((claim) => claim.name),
    ...claimNamesOf(requirement.anyOf ?? []),
  ]);

/**
 * The authorizer's core, without middy or AWS: event -> route -> token -> grants -> response. Denials log one
 * line with a stable reason; nothing here ever logs a token.
 */
export function createAuthorizer(
  config: AuthorizerConfig,
  verifier: TokenVerifier,
  logger: Logger,
  metrics: DecisionMetrics = NO_METRICS,
  revocations?: RevocationCheck,
): Authorizer {
  const { rules } = config;
  const planner = new PolicyPlanner(rules);
  const cache = new DecisionCache<CallerGrants>(config.decisionCacheSize);
  const anonymousVerdicts = rules.requirements.map((requirement) => evaluate(requirement, undefined));
  const anonymous: CallerGrants = {
    principalId: 'anonymous',
    context: ANONYMOUS_CONTEXT,
    verdicts: anonymousVerdicts,
    grantsKey: keyOfVerdicts(anonymousVerdicts),
  };
  const policies = new Map<string, PolicyDocument>();
  // Rule-only work per route, once per ARN instead of per request: the route parsed from it, and its rule.
  const routes = [new Map<string, Routed | undefined>(), new Map<string, Routed | undefined>()]; // REST and WebSocket, HTTP API
  // The bearer candidate may answer from the cache only when bearer is the first source: else a malformed token
  // in an earlier source must be refused first.
  // Mutants equivalent below: false only skips a shortcut (findToken finds the same token in the cache after it),
  // and TOKEN_SOURCES is never empty.
  // Stryker disable next-line ConditionalExpression,OptionalChaining,StringLiteral: equivalent, see above
  const bearerFirst = config.tokenSources[0]?.kind === 'bearer';

  function routeOf(event: AuthorizerEvent): Routed | undefined {
    const http = isPayloadV2(event);
    const arn = http ? event.routeArn : event.methodArn;
    // Stryker disable next-line ConditionalExpression: equivalent, requestRouteOf answers undefined too
    if (typeof arn !== 'string') return undefined; // as requestRouteOf answers
    const known = routes[+http]!;
    // Stryker disable next-line ConditionalExpression: equivalent when true, the memo only saves parsing the ARN again
    if (!known.has(arn)) {
      const route = requestRouteOf(event);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent in answers: it caps memory
      if (known.size >= 1024) known.clear();
      const rule =
        route?.kind === 'websocket'
          ? rules.webSocketConnect
          : route && rules.matcher.match(route.method, route.segments);
      known.set(arn, route && { ...route, rule });
    }
    return known.get(arn);
  }

  // Rule-only work, done once: the claims the rules read. Callers who agree on token use, scope, groups and
  // these claims get the same verdicts (evaluate() reads nothing else), so verdicts are shared per such caller
  // shape instead of evaluated for every requirement per token.
  const claimNames = [...new Set(claimNamesOf(rules.requirements))];
  const verdictsByShape = new Map<string, { verdicts: Verdict[]; grantsKey: string }>();

  function verdictsFor({ tokenUse, claims }: VerifiedToken): { verdicts: Verdict[]; grantsKey: string } {
    // One JSON text: unambiguous. An absent claim is 0, a present one [value], so the two never meet.
    const values = claims as Record<string, unknown>;
    const shape = JSON.stringify([
      tokenUse,
      claims.scope,
      claims['cognito:groups'],
      ...claimNames.map((name) => (values[name] === undefined ? 0 : [values[name]])),
    ]);
    let shared = verdictsByShape.get(shape);
    // Stryker disable next-line ConditionalExpression: equivalent when true, the memo only saves evaluating again
    if (!shared) {
      const caller = callerFromClaims(tokenUse, claims);
      const verdicts = rules.requirements.map((requirement) => evaluate(requirement, caller));
      shared = { verdicts, grantsKey: keyOfVerdicts(verdicts) };
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent in answers: it caps memory
      if (verdictsByShape.size >= 1024) verdictsByShape.clear();
      verdictsByShape.set(shape, shared);
    }
    return shared;
  }

  function deny(reason: GateReason, route: RequestRoute | undefined, fields?: object): never {
    metrics.denied(reason);
    logger.warn('denied', {
      reason,
      route: route ? `${route.method} /${route.segments.join('/')}` : undefined,
      ...fields,
    });
    throw new UnauthorizedResponse(reason);
  }

  function policyFor(route: RequestRoute, grants: CallerGrants, verdict: Verdict): PolicyDocument {
    const memoKey = route.arnPrefix + grants.grantsKey;
    let policy = policies.get(memoKey);
    // Stryker disable next-line ConditionalExpression: equivalent when false, the memo only saves planning again
    if (policy) return policy;
    const plan = planner.plan(grants.grantsKey);
    if (plan.cacheSafe) {
      policy = apiWidePolicy(route.arnPrefix, plan);
      if (policyBytes(policy) <= MAX_POLICY_BYTES) {
        // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent in answers: it caps memory
        if (policies.size > 1024) policies.clear();
        policies.set(memoKey, policy);
        return policy;
      }
    }
    logger.warn('policy answers for this route only', {
      reason: plan.cacheSafe ? 'policy_too_large' : 'rules_overlap',
      rulesVersion: rules.version,
    });
    return routePolicy(verdict.allow, route.arn);
  }

  function respond(route: Routed, grants: CallerGrants, fromCookie = false): AuthorizerResponse {
    const { rule } = route;
    const verdict: Verdict = rule ? grants.verdicts[rule.requirementIndex]! : { allow: false, reason: 'no_rule' };
    if (verdict.allow) metrics.allowed();
    else {
      metrics.denied(verdict.reason);
      logger.warn('denied', {
        reason: verdict.reason,
        route: rule?.pattern.route ?? `${route.method} /${route.segments.join('/')}`,
        principalId: grants.principalId,
      });
    }
    if (route.kind === 'http' && config.httpApiResponse === 'simple') {
      return { isAuthorized: verdict.allow, context: grants.context };
    }
    return {
      principalId: grants.principalId,
      // A cookie token's policy names this request's ARN only: should API Gateway cache it under a key that lacks
      // the Origin (a REST identity source on the Cookie header), it cannot carry to another method or route.
      // A WebSocket API has one route to authorize, $connect: its policy names just that.
      policyDocument:
        fromCookie || route.kind === 'websocket'
          ? routePolicy(verdict.allow, route.arn)
          : policyFor(route, grants, verdict),
      context: grants.context,
    };
  }

  /** 403: the session cookie came with a state-changing request that no page of the app is proven to have sent. */
  function refuseCrossOrigin(route: Routed, event: AuthorizerEvent): AuthorizerResponse {
    metrics.denied('csrf_origin_refused');
    logger.warn('denied', {
      reason: 'csrf_origin_refused' satisfies GateReason,
      route: `${requestMethodOf(event, route)} /${route.segments.join('/')}`,
      ...originEvidenceOf(event),
    });
    if (route.kind === 'http' && config.httpApiResponse === 'simple') {
      return { isAuthorized: false, context: ANONYMOUS_CONTEXT };
    }
    return {
      principalId: anonymous.principalId,
      policyDocument: routePolicy(false, route.arn),
      context: ANONYMOUS_CONTEXT,
    };
  }

  function refuse(error: unknown, route: RequestRoute): never {
    const reason = error instanceof GateError ? error.reason : 'token_invalid';
    if (reason === 'jwks_unavailable' || reason === 'revocation_unavailable') {
      metrics.denied(reason);
      logger.error('denied', { reason });
      throw error; // fails closed; API Gateway answers 500, never Allow
    }
    return deny(reason, route);
  }

  /** respond(), unless the token has been revoked since it was issued: checked on every answer, cached or not. */
  function admit(
    route: Routed,
    grants: CallerGrants,
    fromCookie = false,
  ): AuthorizerResponse | Promise<AuthorizerResponse> {
    const subject = grants.revocation;
    // Stryker disable next-line LogicalOperator: equivalent, grants hold a subject exactly when revocations are on
    if (!revocations || !subject) return respond(route, grants, fromCookie);
    let revoked: ReturnType<RevocationCheck['revokedBy']>;
    try {
      revoked = revocations.revokedBy(subject);
    } catch (error) {
      return refuse(error, route);
    }
    const answer = (by: string | undefined) =>
      by ? deny('token_revoked', route, { revokedBy: by, sub: subject.sub }) : respond(route, grants, fromCookie);
    if (!(revoked instanceof Promise)) return answer(revoked);
    return revoked.then(answer, (error: unknown) => refuse(error, route));
  }

  function grant(
    verified: VerifiedToken,
    cacheKey: string,
    route: Routed,
    fromCookie: boolean,
  ): AuthorizerResponse | Promise<AuthorizerResponse> {
    const { verdicts, grantsKey } = verdictsFor(verified);
    const context = contextOf(verified);
    const grants: CallerGrants = {
      principalId: context.sub || verified.clientId,
      context,
      verdicts,
      grantsKey,
      ...(revocations ? { revocation: revocationSubjectOf(verified.claims) } : {}),
    };
    cache.set(cacheKey, grants, verified.exp, rules.version);
    return admit(route, grants, fromCookie);
  }

  function decide(event: AuthorizerEvent): AuthorizerResponse | Promise<AuthorizerResponse> {
    const route = routeOf(event);
    if (!route) return deny('bad_event', route);
    // A bearer token seen before is answered before findToken's checks: only tokens that passed them are cached.
    const candidate = bearerFirst ? bearerCandidate(event) : undefined;
    let candidateKey: string | undefined;
    if (candidate !== undefined) {
      candidateKey = DecisionCache.keyOf(candidate);
      const cached = cache.get(candidateKey, rules.version);
      if (cached) return admit(route, cached);
    }
    let found: FoundToken;
    try {
      found = findToken(event, config, route.kind === 'websocket');
    } catch (error) {
      if (error instanceof TokenMissingError && route.rule?.requirement.isPublic) return respond(route, anonymous);
      return deny(error instanceof GateError ? error.reason : 'token_malformed', route);
    }
    const { token } = found;
    const fromCookie = found.origin === 'cookie';
    // Per request, before the decision cache, which holds a token's grants and never this request's origin.
    if (
      fromCookie &&
      !isSafeMethod(requestMethodOf(event, route)) &&
      !provesAppOrigin(event, config.csrfAllowedOrigins)
    )
      return refuseCrossOrigin(route, event);
    let cacheKey: string;
    // Stryker disable next-line ConditionalExpression: equivalent when false, the lookup below misses as above
    if (token === candidate) {
      cacheKey = candidateKey!; // looked up above, and missed
    } else {
      cacheKey = DecisionCache.keyOf(token);
      const cached = cache.get(cacheKey, rules.version);
      if (cached) return admit(route, cached, fromCookie);
    }
    let verified: VerifiedToken | Promise<VerifiedToken>;
    try {
      verified = verifier.verifyNow ? verifier.verifyNow(token, 'any') : verifier.verify(token, 'any');
    } catch (error) {
      return refuse(error, route);
    }
    if (!(verified instanceof Promise)) return grant(verified, cacheKey, route, fromCookie);
    return verified.then(
      (later) => grant(later, cacheKey, route, fromCookie),
      (error: unknown) => refuse(error, route),
    );
  }

  return Object.assign(async (event: AuthorizerEvent) => decide(event), { decide });
}
