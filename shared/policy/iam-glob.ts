import type { RoutePattern, Segment } from '../rules/route-pattern.js';

/*
 * Does the IAM resource glob of one route (where `*` spans any characters, slashes included) match a request
 * path that another route's pattern (where {param} is one segment) matches? Decided by a product automaton
 * walk over a small alphabet: every literal character, '/', and one stand-in for "any other character".
 */

type GlobAtom = string | null; // a character, or null for `*`
const SEG = 1; // one non-empty segment: {param}
const PROXY = 2; // one or more segments: {proxy+}
type PatternAtom = string | typeof SEG | typeof PROXY;
const OTHER = '\u0000';

// Only the path part: ANY is written out as one resource per method (see iamResources), so a method
// never turns into a `*` that could span into the path. `wildcard` stands for a non-literal segment.
function atomsOf<W>(pattern: RoutePattern, wildcard: (segment: Segment) => W): (string | W)[] {
  const atoms: (string | W)[] = [];
  for (const segment of pattern.segments) {
    atoms.push('/');
    if (segment.kind === 'literal') atoms.push(...segment.text);
    else atoms.push(wildcard(segment));
  }
  if (atoms.length === 0) atoms.push('/');
  return atoms;
}

const globAtoms = (pattern: RoutePattern): GlobAtom[] => atomsOf(pattern, () => null);
const patternAtoms = (pattern: RoutePattern): PatternAtom[] =>
  atomsOf(pattern, (segment) => (segment.kind === 'param' ? SEG : PROXY));

export function methodsOverlap(a: string, b: string): boolean {
  return a === b || a === 'ANY' || b === 'ANY';
}

export function globIntersectsPattern(globRoute: RoutePattern, patternRoute: RoutePattern): boolean {
  if (!methodsOverlap(globRoute.method, patternRoute.method)) return false;
  const glob = globAtoms(globRoute);
  const pattern = patternAtoms(patternRoute);
  const alphabet = new Set<string>(['/', OTHER]);
  for (const atom of glob) if (atom !== null) alphabet.add(atom);
  for (const atom of pattern) if (typeof atom === 'string') alphabet.add(atom);

  // state: glob index, pattern index, and whether the current segment/proxy atom has consumed a character
  const seen = new Set<number>();
  const width = pattern.length + 1;
  const key = (g: number, p: number, inside: number) => (g * width + p) * 2 + inside;
  const stack: [number, number, number][] = [];
  const push = (g: number, p: number, inside: number) => {
    const k = key(g, p, inside);
    if (seen.has(k)) return;
    seen.add(k);
    stack.push([g, p, inside]);
  };
  push(0, 0, 0);
  while (stack.length > 0) {
    const [g, p, inside] = stack.pop()!;
    if (g === glob.length && p === pattern.length) return true;
    if (g < glob.length && glob[g] === null) push(g + 1, p, inside); // `*` may match nothing
    const atom = pattern[p];
    if (inside === 1 && (atom === SEG || atom === PROXY)) push(g, p + 1, 0); // a segment may end here
    if (g === glob.length || p === pattern.length) continue;
    for (const char of alphabet) {
      const globAtom = glob[g];
      let nextG: number;
      if (globAtom === null) nextG = g;
      else if (globAtom === char) nextG = g + 1;
      else continue;
      if (typeof atom === 'string') {
        if (atom === char) push(nextG, p + 1, 0);
      } else if (char !== '/') push(nextG, p, 1);
      else if (atom === PROXY && inside === 1) push(nextG, p, 0);
    }
  }
  return false;
}
