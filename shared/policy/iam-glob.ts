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
// Stryker disable next-line StringLiteral: equivalent, any symbol that is neither '/' nor a literal character will do
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
  // Stryker disable next-line StringLiteral: equivalent, every route's atoms start with '/', added just below
  const alphabet = new Set<string>(['/', OTHER]);
  // Stryker disable next-line ConditionalExpression: equivalent, a null symbol acts as one more "other" character
  for (const atom of glob) if (atom !== null) alphabet.add(atom);
  // Stryker disable next-line ConditionalExpression: equivalent, SEG or PROXY as a symbol is one more "other" character
  for (const atom of pattern) if (typeof atom === 'string') alphabet.add(atom);

  // state: glob index, pattern index, and whether the current segment/proxy atom has consumed a character
  const seen = new Set<number>();
  const width = pattern.length + 1;
  // Stryker disable next-line ArithmeticOperator: equivalent, g * width - p and (...) * 2 - inside stay one-to-one
  const key = (g: number, p: number, inside: number) => (g * width + p) * 2 + inside;
  // Stryker disable next-line ArrayDeclaration: equivalent, a string popped as a state reaches no accepting state
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
    // Stryker disable next-line EqualityOperator,ConditionalExpression: equivalent, glob[glob.length] is never null
    if (g < glob.length && glob[g] === null) push(g + 1, p, inside); // `*` may match nothing
    const atom = pattern[p];
    // Stryker disable next-line ConditionalExpression: equivalent, inside is 1 only on a SEG or PROXY atom
    if (inside === 1 && (atom === SEG || atom === PROXY)) push(g, p + 1, 0); // a segment may end here
    // Stryker disable next-line ConditionalExpression: equivalent, at the end of the glob no character matches below
    if (g === glob.length || p === pattern.length) continue;
    for (const char of alphabet) {
      const globAtom = glob[g];
      let nextG: number;
      if (globAtom === null) nextG = g;
      else if (globAtom === char) nextG = g + 1;
      else continue;
      if (typeof atom === 'string') {
        if (atom === char) push(nextG, p + 1, 0);
      } else if (char === '/') {
        // A {proxy+} never needs an empty segment to meet a glob, which holds no '//' (a brute force over every
        // pair of 187 routes of up to 3 segments agrees).
        // Stryker disable next-line ConditionalExpression: equivalent, for that reason
        if (atom === PROXY && inside === 1) push(nextG, p, 0);
      } else push(nextG, p, 1);
    }
  }
  return false;
}
