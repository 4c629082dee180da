/**
 * Where to send the browser after login or logout. Only a relative path on this site is ever accepted, in
 * the canonical form the WHATWG URL parser gives it, so what we check is exactly what the browser follows.
 *
 * Refused, at every level of percent-decoding (attackers double-encode; see oauth2-proxy's advisories
 * GHSA-5m6c-jp6f-2vcv and GHSA-j7px-6hwj-hpjg): anything that is not `/…`; `//host` and `/\host` (browsers
 * read `\` as `/`); any backslash; control characters (browsers drop tab and newline, so `/\t/host` is
 * `//host`); whitespace in the path; schemes and userinfo (`https://ok@evil`, `javascript:`); and dot
 * segments that collapse into `//host` (`/.//evil.com`). Undecodable `%` escapes are refused too.
 */
export type ReturnPathCheck =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly why: string };

const MAX_LENGTH = 2048;
const MAX_DECODE_LAYERS = 4;
// Stryker disable next-line StringLiteral: not a survivor, new URL('') throws on import, which Stryker's vitest runner
// counts as no test failing
const BASE = new URL('https://return-path.invalid');
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point of this check
const CONTROL = /[\u0000-\u001f\u007f]/;
const WHITESPACE = /\s/;

function pathPart(value: string): string {
  const end = value.search(/[?#]/);
  // Stryker disable next-line EqualityOperator: equivalent, every value checked starts with '/', so end is never 0
  return end < 0 ? value : value.slice(0, end);
}

function layerProblem(value: string): string | undefined {
  if (CONTROL.test(value)) return 'control character';
  if (value.includes('\\')) return 'backslash';
  if (/^\/\//.test(value)) return 'protocol-relative URL';
  if (WHITESPACE.test(pathPart(value))) return 'whitespace in the path';
  // Defence in depth, unreachable once the checks above pass: a value that starts with one '/' and holds no '\'
  // always parses, on this origin, without userinfo.
  // Stryker disable BlockStatement,StringLiteral: equivalent, unreachable (see above)
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return 'not a URL';
  }
  // Stryker restore BlockStatement,StringLiteral
  // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: equivalent, unreachable (see above)
  if (url.origin !== BASE.origin || url.username !== '' || url.password !== '') return 'another origin';
  if (url.pathname.startsWith('//')) return 'dot segments that make a protocol-relative URL';
  return undefined;
}

/** Accepts a same-site relative path and returns its canonical form (`pathname + search + hash`). */
export function checkReturnPath(raw: string | undefined | null): ReturnPathCheck {
  if (typeof raw !== 'string' || raw === '') return { ok: false, why: 'empty' };
  if (raw.length > MAX_LENGTH) return { ok: false, why: 'too long' };
  if (!raw.startsWith('/')) return { ok: false, why: 'not a path that starts with /' };
  let layer = raw;
  for (let depth = 0; ; depth++) {
    const problem = layerProblem(layer);
    if (problem) return { ok: false, why: depth === 0 ? problem : `${problem} after percent-decoding` };
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return { ok: false, why: 'malformed percent-encoding' };
    }
    if (decoded === layer) break;
    if (depth >= MAX_DECODE_LAYERS) return { ok: false, why: 'encoded too many times' };
    layer = decoded;
  }
  const url = new URL(raw, BASE);
  const canonical = `${url.pathname}${url.search}${url.hash}`;
  const problem = layerProblem(canonical);
  // Defence in depth, unreachable: the URL parser only percent-encodes, and the first layer checked the raw path's
  // pathname, so the canonical form of a path that passed every layer passes again.
  // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral,ObjectLiteral,BooleanLiteral: ditto
  if (problem || !canonical.startsWith('/')) return { ok: false, why: problem ?? 'not a path' };
  if (canonical.length > MAX_LENGTH) return { ok: false, why: 'too long' };
  return { ok: true, path: canonical };
}

/** True when `path`'s pathname is `prefix` or below it (`/app` allows `/app`, `/app/x`, `/app?x`, not `/apple`). */
export function isUnderPrefix(path: string, prefix: string): boolean {
  // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, '/' becomes the base '', as below
  if (prefix === '/') return true;
  const pathname = new URL(path, BASE).pathname;
  const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return pathname === base || pathname.startsWith(`${base}/`);
}

export interface ReturnPathPolicy {
  readonly allowedPrefixes: readonly string[];
  readonly fallback: string;
}

export interface ChosenReturnPath {
  readonly path: string;
  /** Why the requested path was not used, when one was given and refused. */
  readonly refused?: string;
}

/** The post-login destination: the requested path if it is safe and under an allowed prefix, else the fallback. */
export function chooseReturnPath(raw: string | undefined | null, policy: ReturnPathPolicy): ChosenReturnPath {
  if (raw === undefined || raw === null || raw === '') return { path: policy.fallback };
  const checked = checkReturnPath(raw);
  if (!checked.ok) return { path: policy.fallback, refused: checked.why };
  if (!policy.allowedPrefixes.some((prefix) => isUnderPrefix(checked.path, prefix))) {
    return { path: policy.fallback, refused: 'not under an allowed path' };
  }
  return { path: checked.path };
}

/** The post-logout destination: exactly one of the allowed paths (Cognito must know each as a sign-out URL). */
export function chooseLogoutPath(
  raw: string | undefined | null,
  allowed: readonly [string, ...string[]],
): ChosenReturnPath {
  if (raw === undefined || raw === null || raw === '') return { path: allowed[0] };
  const checked = checkReturnPath(raw);
  if (!checked.ok) return { path: allowed[0], refused: checked.why };
  return allowed.includes(checked.path)
    ? { path: checked.path }
    : { path: allowed[0], refused: 'not an allowed sign-out path' };
}
