/**
 * npm run rules:check [-- other/serverless.yml ...]
 * Validates rules.json (or AUTH_RULES), then compares it with the routes of serverless.yml files:
 * - a route that cognito-gate's authorizer protects but no rule covers (it would be denied: no_rule);
 * - a rule that matches no route (a typo, or a route that was removed).
 * A route is protected by this authorizer when it names it in any form: this service's `authorizer` function,
 * an HTTP API authorizer whose functionName or functionArn points to it (whatever that authorizer is called),
 * or its ARN (`${cf:cognito-gate-<stage>.AuthorizerFunctionArn}`, the `cognito-gate-<stage>-authorizer-arn`
 * export through Fn::ImportValue or !ImportValue, a REST authorizerId whose resource points to it, the literal
 * function ARN). RULES_CHECK_AUTHORIZERS may name further HTTP API authorizers to treat as this one.
 * Exits 1 when it finds a problem, 2 when it cannot read its input (a YAML or rule error, with file and line).
 * Also warns about rule sets whose REST policies cannot be cached safely, and about authorizers it cannot place.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { ConfigError } from '../shared/errors/gate-error.js';
import { PolicyPlanner } from '../shared/policy/iam-policy.js';
import { compileRules } from '../shared/rules/compile-rules.js';
import { RouteMatcher } from '../shared/rules/route-matcher.js';
import { ANY_METHODS, parseRoute, type RoutePattern } from '../shared/rules/route-pattern.js';
import { parseRuleDocument } from '../shared/rules/rule-document.js';

/** Which authorizer is "ours": the service that defines it, and its function's name there. */
export interface GateIdentity {
  readonly service: string;
  readonly functionName: string;
  /** More HTTP API authorizer names to count as ours (RULES_CHECK_AUTHORIZERS). */
  readonly extraNames: readonly string[];
}

export interface ServiceRoute {
  readonly route: string;
  /** How the route names its authorizer (a name, or `arn`), or undefined for a public route. */
  readonly authorizer: string | undefined;
  /** True when that authorizer is cognito-gate's. */
  readonly gated: boolean;
  readonly source: string;
}

export interface ServiceReading {
  readonly routes: ServiceRoute[];
  /** Authorizers that may or may not be cognito-gate's (an HTTP API authorizer id, say): checked by hand. */
  readonly unresolved: string[];
}

/** A YAML file that does not parse: the check cannot say anything true about it. */
export class YamlError extends Error {}

type Yaml = Record<string, unknown>;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Any value (a string, Fn::ImportValue, !ImportValue, Fn::GetAtt ...) that names the gate's exported ARN. */
function namesGateArn(value: unknown, gate: GateIdentity): boolean {
  if (value === undefined || value === null) return false;
  const service = escapeRegExp(gate.service);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return new RegExp(
    `${service}-[^\\s"'.]*\\.AuthorizerFunctionArn|${service}-[^\\s"']*-authorizer-arn|:function:${service}-[\\w-]+-${escapeRegExp(gate.functionName)}\\b`,
  ).test(text);
}

/** Inside the gate's own service, a GetAtt of its function (the Lambda logical id osls gives it). */
function namesOwnFunction(value: unknown, gate: GateIdentity): boolean {
  const logicalId = `${gate.functionName[0]!.toUpperCase()}${gate.functionName.slice(1)}LambdaFunction`;
  return JSON.stringify(value ?? null).includes(logicalId);
}

/** A YAML file parsed, or a YamlError naming the file, line and column of its first error. */
export function parseServiceYaml(yamlText: string, source: string): Yaml {
  // Unknown tags (CloudFormation's !Ref, !ImportValue ...) resolve as plain values: their text is kept.
  const document = parseDocument(yamlText, { logLevel: 'silent', merge: true });
  const [first] = document.errors;
  if (first) {
    const position = first.linePos?.[0];
    const where = position ? `${source}:${position.line}:${position.col}` : source;
    throw new YamlError(`${where}: ${first.message.split('\n')[0]}`);
  }
  const parsed = document.toJS({ maxAliasCount: -1 }) as unknown;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new YamlError(`${source}: not a serverless.yml (no top-level mapping)`);
  return parsed as Yaml;
}

/** Every http (REST) and httpApi route of a serverless.yml, in rule syntax, and whether the gate protects it. */
export function routesOfService(yamlText: string, source: string, gate: GateIdentity): ServiceReading {
  const document = parseServiceYaml(yamlText, source);
  const isGateService = document.service === gate.service;
  const provider = (document.provider ?? {}) as Yaml;
  const httpApiAuthorizers = (((provider.httpApi ?? {}) as Yaml).authorizers ?? {}) as Record<string, Yaml>;
  const resources = (((document.resources ?? {}) as Yaml).Resources ?? {}) as Record<string, Yaml>;
  const functions = (document.functions ?? {}) as Record<string, { events?: Yaml[] } | null>;
  const routes: ServiceRoute[] = [];
  const unresolved: string[] = [];

  const pointsToGate = (target: { functionName?: unknown; arn?: unknown }): boolean =>
    (isGateService && target.functionName === gate.functionName) ||
    namesGateArn(target.arn, gate) ||
    (isGateService && namesOwnFunction(target.arn, gate));

  /** REST: `authorizer: name-or-arn`, `{ name, arn? }`, `{ arn }`, or `{ authorizerId: !Ref SomeAuthorizer }`. */
  function restAuthorizer(authorizer: unknown, where: string): { name?: string; gated: boolean } {
    // As osls reads it: AWS_IAM, an ARN (anything with a colon, ${cf:...} included), or a function name.
    if (typeof authorizer === 'string') {
      if (authorizer.toUpperCase() === 'AWS_IAM') return { name: 'AWS_IAM', gated: false };
      if (authorizer.includes(':')) return { name: 'arn', gated: pointsToGate({ arn: authorizer }) };
      return { name: authorizer, gated: pointsToGate({ functionName: authorizer }) };
    }
    if (!authorizer || typeof authorizer !== 'object') return { gated: false };
    const { name, arn, authorizerId } = authorizer as { name?: unknown; arn?: unknown; authorizerId?: unknown };
    if (arn !== undefined) return { name: typeof name === 'string' ? name : 'arn', gated: pointsToGate({ arn }) };
    if (authorizerId !== undefined) {
      const ref = (authorizerId as { Ref?: unknown }).Ref ?? authorizerId;
      const resource = typeof ref === 'string' ? resources[ref] : undefined;
      const uri = (resource?.Properties as Yaml | undefined)?.AuthorizerUri;
      if (uri === undefined) unresolved.push(`${where}: REST authorizerId ${JSON.stringify(authorizerId)}`);
      return { name: typeof ref === 'string' ? ref : 'authorizerId', gated: pointsToGate({ arn: uri }) };
    }
    if (typeof name === 'string') return { name, gated: pointsToGate({ functionName: name }) };
    return { gated: false };
  }

  /** HTTP API: `authorizer: { name }` looked up in provider.httpApi.authorizers, or `{ id }`. */
  function httpApiAuthorizer(authorizer: unknown, where: string): { name?: string; gated: boolean } {
    const name = typeof authorizer === 'string' ? authorizer : (authorizer as { name?: unknown } | undefined)?.name;
    const id = (authorizer as { id?: unknown } | undefined)?.id;
    if (id !== undefined) {
      unresolved.push(`${where}: HTTP API authorizer id ${JSON.stringify(id)}`);
      return { name: 'id', gated: false };
    }
    if (typeof name !== 'string') return { gated: false };
    if (gate.extraNames.includes(name)) return { name, gated: true };
    const definition = httpApiAuthorizers[name];
    if (!definition) {
      unresolved.push(`${where}: HTTP API authorizer "${name}" is not defined under provider.httpApi.authorizers`);
      return { name, gated: false };
    }
    return { name, gated: pointsToGate({ functionName: definition.functionName, arn: definition.functionArn }) };
  }

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
      const route = `${normalisedMethod} ${normalisedPath === '/' ? '/' : normalisedPath.replace(/\/$/, '')}`;
      const where = `${source} functions.${functionName} ${route}`;
      const found = rest ? restAuthorizer(authorizer, where) : httpApiAuthorizer(authorizer, where);
      routes.push({
        route,
        authorizer: found.name,
        gated: found.gated,
        source: `${source} functions.${functionName} (${rest ? 'REST' : 'HTTP API'})`,
      });
    }
  }
  return { routes, unresolved };
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

export function checkRules(ruleDocument: unknown, ruleSource: string, routes: ServiceRoute[]): RulesReport {
  const compiled = compileRules(parseRuleDocument(ruleDocument, ruleSource));
  const uncovered = routes
    .filter((route) => route.gated)
    .filter((route) => {
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

/** The gate as this repository's serverless.yml defines it. */
export function gateIdentity(env: Readonly<Record<string, string | undefined>>): GateIdentity {
  const own = fileURLToPath(new URL('../serverless.yml', import.meta.url));
  const document = parseServiceYaml(readFileSync(own, 'utf8'), own);
  return {
    service: String(document.service),
    functionName: 'authorizer',
    extraNames: (env.RULES_CHECK_AUTHORIZERS ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  };
}

export function main(argv: string[], env = process.env): number {
  const files = argv.length > 0 ? argv : ['serverless.yml'];
  const ruleSource = env.AUTH_RULES ? 'AUTH_RULES' : 'rules.json';
  let report: RulesReport;
  const unresolved: string[] = [];
  try {
    const gate = gateIdentity(env);
    const routes: ServiceRoute[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new YamlError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      const reading = routesOfService(text, file, gate);
      routes.push(...reading.routes);
      unresolved.push(...reading.unresolved);
    }
    report = checkRules(JSON.parse(env.AUTH_RULES || readFileSync('rules.json', 'utf8')), ruleSource, routes);
  } catch (error) {
    if (error instanceof YamlError || error instanceof ConfigError || error instanceof SyntaxError) {
      console.error(`rules:check: ${error instanceof SyntaxError ? `${ruleSource}: ${error.message}` : error.message}`);
      return 2;
    }
    throw error;
  }
  for (const route of report.uncovered)
    console.log(`uncovered: ${route.route} (${route.source}) is protected by the authorizer but no rule covers it`);
  for (const rule of report.unused) console.log(`unused: rule "${rule}" matches no route in ${files.join(', ')}`);
  for (const warning of report.cacheWarnings) console.log(`warning: ${warning}`);
  for (const item of unresolved)
    console.log(`warning: ${item}: cannot tell whether it is cognito-gate (list its name in RULES_CHECK_AUTHORIZERS)`);
  const problems = report.uncovered.length + report.unused.length;
  console.log(
    problems === 0
      ? `rules:check: ${ruleSource} is valid and covers every protected route`
      : `rules:check: ${problems} problem(s)`,
  );
  return problems === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
