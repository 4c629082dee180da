/**
 * npm run rules:check [-- other/serverless.yml ...]
 * Validates rules.json (or AUTH_RULES), then compares it with the routes of serverless.yml files:
 * - a route that the authorizer protects but no rule covers (it would be denied: no_rule);
 * - a rule that matches no route (a typo, or a route that was removed).
 * Exits 1 when it finds either. Also warns about rule sets whose REST policies cannot be cached safely.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ConfigError } from '../shared/errors/gate-error.js';
import { PolicyPlanner } from '../shared/policy/iam-policy.js';
import { compileRules } from '../shared/rules/compile-rules.js';
import { RouteMatcher } from '../shared/rules/route-matcher.js';
import { ANY_METHODS, parseRoute, type RoutePattern } from '../shared/rules/route-pattern.js';
import { parseRuleDocument } from '../shared/rules/rule-document.js';

export interface ServiceRoute {
  readonly route: string;
  readonly protectedBy: string | undefined;
  readonly source: string;
}

type Yaml = Record<string, unknown>;

function authorizerNameOf(authorizer: unknown): string | undefined {
  if (typeof authorizer === 'string') return authorizer;
  if (authorizer && typeof authorizer === 'object') {
    const { name, arn } = authorizer as { name?: unknown; arn?: unknown };
    if (typeof name === 'string') return name;
    if (arn !== undefined) return 'arn';
  }
  return undefined;
}

/** Every http (REST) and httpApi route of a serverless.yml, in rule syntax. */
export function routesOfService(yamlText: string, source: string): ServiceRoute[] {
  const document = parseDocument(yamlText, { logLevel: 'silent', uniqueKeys: false }).toJS({
    maxAliasCount: -1,
  }) as Yaml;
  const routes: ServiceRoute[] = [];
  const functions = (document.functions ?? {}) as Record<string, { events?: Yaml[] }>;
  for (const [functionName, definition] of Object.entries(functions)) {
    for (const event of definition?.events ?? []) {
      const rest = event.http as Yaml | string | undefined;
      const http = event.httpApi as Yaml | string | undefined;
      const spec = rest ?? http;
      if (!spec) continue;
      let method: string;
      let path: string;
      let authorizer: unknown;
      if (typeof spec === 'string') [method, path] = spec.split(' ') as [string, string];
      else ({ method, path, authorizer } = spec as { method: string; path: string; authorizer?: unknown });
      const normalisedMethod = method === '*' ? 'ANY' : method.toUpperCase();
      const normalisedPath = `/${String(path).replace(/^\/+/, '')}`;
      routes.push({
        route: `${normalisedMethod} ${normalisedPath === '/' ? '/' : normalisedPath.replace(/\/$/, '')}`,
        protectedBy: authorizerNameOf(authorizer),
        source: `${source} functions.${functionName} (${rest ? 'REST' : 'HTTP API'})`,
      });
    }
  }
  return routes;
}

const sample = (pattern: RoutePattern) =>
  pattern.segments.map((segment) => (segment.kind === 'literal' ? segment.text : 'x'));
const methodsOf = (pattern: RoutePattern): readonly string[] =>
  pattern.method === 'ANY' ? ANY_METHODS : [pattern.method];

export interface RulesReport {
  uncovered: ServiceRoute[];
  unused: string[];
  cacheWarnings: string[];
}

export function checkRules(
  ruleDocument: unknown,
  ruleSource: string,
  routes: ServiceRoute[],
  authorizerNames: readonly string[],
): RulesReport {
  const compiled = compileRules(parseRuleDocument(ruleDocument, ruleSource));
  const protectedRoutes = routes.filter((route) => route.protectedBy && authorizerNames.includes(route.protectedBy));
  const uncovered = protectedRoutes.filter((route) => {
    const pattern = parseRoute(route.route);
    return methodsOf(pattern).some((method) => !compiled.matcher.match(method, sample(pattern)));
  });
  const routeMatcher = new RouteMatcher<string>();
  for (const route of routes) routeMatcher.add(parseRoute(route.route), route.route);
  const unused = compiled.rules
    .filter((rule) => methodsOf(rule.pattern).every((method) => !routeMatcher.match(method, sample(rule.pattern))))
    .map((rule) => rule.pattern.route);
  const cacheWarnings: string[] = [];
  const count = compiled.requirements.length;
  if (count <= 12) {
    const planner = new PolicyPlanner(compiled);
    for (let mask = 0; mask < 1 << count; mask++) {
      const key = compiled.requirements.map((_, index) => ((mask >> index) & 1 ? '1' : '0')).join('');
      if (!planner.plan(key).cacheSafe) {
        cacheWarnings.push(
          `callers granted requirements ${key} get a policy for the current route only: put the route into the REST identity source, or set resultTtlInSeconds: 0`,
        );
      }
    }
  } else {
    cacheWarnings.push(`${count} distinct requirements: too many to check cache safety exhaustively`);
  }
  return { uncovered, unused, cacheWarnings };
}

function main(argv: string[]): number {
  const files = argv.length > 0 ? argv : ['serverless.yml'];
  const authorizerNames = (process.env.RULES_CHECK_AUTHORIZERS ?? 'authorizer,gate,arn').split(',');
  const ruleSource = process.env.AUTH_RULES ? 'AUTH_RULES' : 'rules.json';
  const ruleText = process.env.AUTH_RULES ?? readFileSync('rules.json', 'utf8');
  let report: RulesReport;
  try {
    const routes = files.flatMap((file) => routesOfService(readFileSync(file, 'utf8'), file));
    report = checkRules(JSON.parse(ruleText), ruleSource, routes, authorizerNames);
  } catch (error) {
    console.error(
      error instanceof ConfigError || error instanceof SyntaxError ? `rules:check: ${error.message}` : error,
    );
    return 1;
  }
  for (const route of report.uncovered)
    console.log(`uncovered: ${route.route} (${route.source}) is protected by the authorizer but no rule covers it`);
  for (const rule of report.unused) console.log(`unused: rule "${rule}" matches no route in ${files.join(', ')}`);
  for (const warning of report.cacheWarnings) console.log(`warning: ${warning}`);
  const problems = report.uncovered.length + report.unused.length;
  console.log(
    problems === 0
      ? `rules:check: ${ruleSource} is valid and covers every protected route`
      : `rules:check: ${problems} problem(s)`,
  );
  return problems === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
