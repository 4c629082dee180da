import { ConfigError } from '../errors/gate-error.js';
import { WEBSOCKET_CONNECT } from './route-pattern.js';

export type ClaimValue = string | number | boolean;
/** A value, one of several values, or the long form that can mark the claim optional. */
export type ClaimCondition = ClaimValue | ClaimValue[] | { equals: ClaimValue | ClaimValue[]; optional?: boolean };
export type RuleTokenUse = 'access' | 'id' | 'any';

/** What a caller must hold; every field that is set must pass. */
export interface RequirementSpec {
  scopes?: string[];
  allScopes?: string[];
  groups?: string[];
  claims?: Record<string, ClaimCondition>;
  tokenUse?: RuleTokenUse;
}

export interface RuleSpec extends RequirementSpec {
  route: string;
  description?: string;
  public?: boolean;
  /** Alternatives: the rule passes when any one of them passes (e.g. a group for users OR a scope for M2M). */
  anyOf?: RequirementSpec[];
}

export interface RuleDocument {
  rules: RuleSpec[];
}

const REQUIREMENT_KEYS = new Set(['scopes', 'allScopes', 'groups', 'claims', 'tokenUse']);
const RULE_KEYS = new Set(['route', 'description', 'public', 'anyOf', ...REQUIREMENT_KEYS]);
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY']);
const SEGMENT = /^(?:[A-Za-z0-9._~!$&'()*+,;=:@-]+|\{[A-Za-z_][A-Za-z0-9_]*\}|\{[A-Za-z_][A-Za-z0-9_]*\+\})$/;

function fail(where: string, message: string): never {
  throw new ConfigError(`${where}: ${message}`);
}

function isClaimValue(value: unknown): value is ClaimValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function checkStringList(where: string, value: unknown): void {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((item) => typeof item === 'string' && item.length > 0)
  ) {
    fail(where, 'must be a non-empty list of strings');
  }
}

function checkClaimCondition(where: string, condition: unknown): void {
  if (isClaimValue(condition)) return;
  if (Array.isArray(condition)) {
    if (condition.length === 0 || !condition.every(isClaimValue))
      fail(where, 'must list one or more strings, numbers or booleans');
    return;
  }
  // Stryker disable next-line ConditionalExpression: equivalent, in JSON a truthy value that is none of the above is
  // an object
  if (condition && typeof condition === 'object') {
    const { equals, optional, ...unknown } = condition as Record<string, unknown>;
    if (Object.keys(unknown).length > 0)
      fail(where, `unknown key "${Object.keys(unknown)[0]}" (allowed: equals, optional)`);
    if (optional !== undefined && typeof optional !== 'boolean') fail(`${where}.optional`, 'must be true or false');
    checkClaimCondition(`${where}.equals`, equals);
    if (equals && typeof equals === 'object' && !Array.isArray(equals))
      fail(`${where}.equals`, 'must be a value or a list of values');
    return;
  }
  fail(where, 'must be a value, a list of values, or { equals, optional }');
}

/** Validates a route string, `METHOD /path` in API Gateway's syntax, or a WebSocket API's `$connect`. */
export function checkRoute(where: string, route: unknown): void {
  if (typeof route !== 'string') fail(where, 'must be a string "METHOD /path"');
  if (route === WEBSOCKET_CONNECT) return;
  const match = /^(\S+) (\/\S*)$/.exec(route);
  if (!match) fail(where, `"${route}" is not "METHOD /path" or "$connect"`);
  const [, method, path] = match as unknown as [string, string, string];
  if (!METHODS.has(method)) fail(where, `"${method}" is not an HTTP method or ANY`);
  if (path === '/') return;
  const segments = path.slice(1).split('/');
  segments.forEach((segment, index) => {
    if (!SEGMENT.test(segment)) fail(where, `path segment "${segment}" is neither literal, {param} nor {proxy+}`);
    if (segment.endsWith('+}') && index !== segments.length - 1) fail(where, `"${segment}" must be the last segment`);
  });
}

/** An object whose keys are all allowed. */
function checkObject(where: string, value: unknown, allowed: ReadonlySet<string>): void {
  if (!value || typeof value !== 'object') fail(where, 'must be an object');
  for (const key of Object.keys(value)) if (!allowed.has(key)) fail(where, `unknown key "${key}"`);
}

function checkRequirement(where: string, rule: RequirementSpec): void {
  for (const list of ['scopes', 'allScopes', 'groups'] as const)
    if (rule[list] !== undefined) checkStringList(`${where}.${list}`, rule[list]);
  if (rule.tokenUse !== undefined && !['access', 'id', 'any'].includes(rule.tokenUse)) {
    fail(`${where}.tokenUse`, 'must be access, id or any');
  }
  if (rule.claims !== undefined) {
    if (!rule.claims || typeof rule.claims !== 'object' || Array.isArray(rule.claims))
      fail(`${where}.claims`, 'must be an object');
    for (const [name, condition] of Object.entries(rule.claims))
      checkClaimCondition(`${where}.claims.${name}`, condition);
  }
}

/** Validates the whole document; every message names the rule and the field at fault. */
export function parseRuleDocument(input: unknown, source: string): RuleDocument {
  // Stryker disable next-line ConditionalExpression: equivalent, a string or number has no "rules" list either
  if (!input || typeof input !== 'object' || !Array.isArray((input as RuleDocument).rules)) {
    fail(source, 'must be an object with a "rules" list');
  }
  const extra = Object.keys(input as object).filter(
    (key) => key !== 'rules' && key !== '$schema' && key !== 'description',
  );
  if (extra.length > 0) fail(source, `unknown key "${extra[0]}"`);
  const rules = (input as RuleDocument).rules;
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    const where = `${source} rules[${index}]`;
    checkObject(where, rule, RULE_KEYS);
    checkRoute(`${where}.route`, rule.route);
    if (seen.has(rule.route)) fail(`${where}.route`, `"${rule.route}" appears twice`);
    seen.add(rule.route);
    if (rule.public !== undefined && typeof rule.public !== 'boolean') fail(`${where}.public`, 'must be true or false');
    checkRequirement(where, rule);
    const requiresSomething = rule.scopes || rule.allScopes || rule.groups || rule.claims || rule.tokenUse;
    if (rule.anyOf !== undefined) {
      if (!Array.isArray(rule.anyOf) || rule.anyOf.length < 2)
        fail(`${where}.anyOf`, 'must list two or more alternatives');
      if (requiresSomething)
        fail(where, 'put scopes, groups, claims and tokenUse inside each anyOf alternative, not beside anyOf');
      rule.anyOf.forEach((alternative, at) => {
        const altWhere = `${where}.anyOf[${at}]`;
        checkObject(altWhere, alternative, REQUIREMENT_KEYS);
        checkRequirement(altWhere, alternative);
      });
    }
    if (rule.public && (requiresSomething || rule.anyOf))
      fail(where, 'a public rule cannot also require scopes, groups, claims or tokenUse');
  });
  return { rules };
}
