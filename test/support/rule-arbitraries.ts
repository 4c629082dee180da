import fc from 'fast-check';
import type { CompiledRule, CompiledRules } from '../../shared/rules/compile-rules.js';
import { compareSpecificity } from '../../shared/rules/route-pattern.js';
import type { RuleSpec } from '../../shared/rules/rule-document.js';

const LITERALS = ['a', 'b', 'ab', 'orders'];
const METHODS = ['GET', 'POST', 'ANY'];
export const SCOPES = ['s/read', 's/write', 's/admin'];
export const GROUPS = ['admins', 'users'];

const segment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...LITERALS) },
  { weight: 2, arbitrary: fc.constant('{id}') },
);

const route = fc
  .tuple(fc.constantFrom(...METHODS), fc.array(segment, { minLength: 0, maxLength: 3 }), fc.boolean())
  .map(([method, segments, proxy]) => `${method} /${[...segments, ...(proxy ? ['{proxy+}'] : [])].join('/')}`);

const requirement: fc.Arbitrary<Omit<RuleSpec, 'route'>> = fc.oneof(
  fc.constant({ public: true }),
  fc.record({ scopes: fc.subarray(SCOPES, { minLength: 1 }) }),
  fc.record({ groups: fc.subarray(GROUPS, { minLength: 1 }) }),
  fc.record({ allScopes: fc.subarray(SCOPES, { minLength: 2 }) }),
  fc.record({ tokenUse: fc.constant('id' as const) }),
  fc.constant({}),
);

/** Random rule sets over a small alphabet, so that routes overlap often. */
export function arbitraryRuleSet(): fc.Arbitrary<RuleSpec[]> {
  return fc
    .uniqueArray(route, { minLength: 1, maxLength: 8 })
    .chain((routes) => fc.tuple(...routes.map((r) => requirement.map((req) => ({ route: r, ...req }) as RuleSpec))));
}

export interface Request {
  method: string;
  segments: string[];
}

/** A request that some rule of the set matches: API Gateway sends only those to the authorizer. */
export function arbitraryRequestFor(rules: RuleSpec[]): fc.Arbitrary<Request> {
  return fc.constantFrom(...rules).chain((rule) => {
    const [method, path] = rule.route.split(' ') as [string, string];
    const parts = path === '/' ? [] : path.slice(1).split('/');
    const concrete = parts.map((part) =>
      part === '{proxy+}'
        ? fc.array(fc.constantFrom(...LITERALS, 'x'), { minLength: 1, maxLength: 3 })
        : part.startsWith('{')
          ? fc.constantFrom(...LITERALS, 'x').map((s) => [s])
          : fc.constant([part]),
    );
    return fc
      .tuple(method === 'ANY' ? fc.constantFrom('GET', 'POST', 'DELETE') : fc.constant(method), fc.tuple(...concrete))
      .map(([m, segs]) => ({
        method: m,
        segments: segs.flat(),
      }));
  });
}

function patternMatches(rule: CompiledRule, method: string, segments: readonly string[]): boolean {
  if (rule.pattern.method !== 'ANY' && rule.pattern.method !== method) return false;
  const parts = rule.pattern.segments;
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    if (part.kind === 'proxy') return segments.length > index;
    if (index >= segments.length) return false;
    if (part.kind === 'literal' && part.text !== segments[index]) return false;
  }
  return segments.length === parts.length;
}

export function bruteForceMatch(
  compiled: CompiledRules,
  method: string,
  segments: readonly string[],
): CompiledRule | undefined {
  let best: CompiledRule | undefined;
  for (const rule of compiled.rules) {
    if (!patternMatches(rule, method, segments)) continue;
    if (!best || compareSpecificity(rule.pattern, best.pattern) > 0) best = rule;
  }
  return best;
}
