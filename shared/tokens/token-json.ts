import { TokenInvalidError } from '../errors/gate-error.js';

const QUOTE = '"';
const BACKSLASH = 92;

/** Names that pollute a prototype once an object is merged or spread: refused, never quietly dropped. */
const isForbiddenName = (name: string) => name === '__proto__' || name === 'constructor';

/** A quote at `at` that closes nothing: an odd run of backslashes precedes it. */
function isEscaped(text: string, at: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
  return backslashes % 2 === 1;
}

/**
 * The string literals in JSON text, member names and string values alike. Only for text that JSON.parse
 * accepted: outside a string there is no quote and no backslash, so every unescaped quote opens or closes one.
 */
function stringLiteralsIn(text: string): number {
  let count = 0;
  for (let open = text.indexOf(QUOTE); open !== -1; count++) {
    let close = text.indexOf(QUOTE, open + 1);
    while (close !== -1 && isEscaped(text, close)) close = text.indexOf(QUOTE, close + 1);
    if (close === -1) return -1; // unreachable for parsed text; the caller then refuses
    open = text.indexOf(QUOTE, close + 1);
  }
  return count;
}

/**
 * The member names and string values that survived parsing; -1 when a member has a forbidden name. Each string
 * literal of the text lands here once, unless JSON.parse dropped it along with an earlier duplicate member.
 */
function stringsKept(value: unknown): number {
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === 'string') count++;
      else if (typeof item === 'object' && item !== null) {
        const inner = stringsKept(item);
        if (inner < 0) return inner;
        count += inner;
      }
    }
    return count;
  }
  const members = value as Record<string, unknown>;
  for (const name in members) {
    if (isForbiddenName(name)) return -1;
    const item = members[name];
    count++;
    if (typeof item === 'string') count++;
    else if (typeof item === 'object' && item !== null) {
      const inner = stringsKept(item);
      if (inner < 0) return inner;
      count += inner;
    }
  }
  return count;
}

/**
 * A JWT header or payload, parsed as JSON.parse does, but refusing what JSON.parse resolves silently: a member
 * name given twice in one object (the last would win, so two readers could disagree on the claims), and members
 * named `__proto__` or `constructor` at any depth (aws-jwt-verify's own parse deletes them, which accepts the
 * token). Cognito never issues either. Duplicates are found by counting: every string literal of the text
 * survives parsing unless its member was overwritten, so fewer strings kept than written means a duplicate.
 * Costs one indexOf per quote and one walk over the parsed value, well under a microsecond for a Cognito token.
 */
export function parseTokenJson(text: string, part: 'header' | 'payload'): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TokenInvalidError(`JWT ${part} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TokenInvalidError(`JWT ${part} is not a JSON object`);
  const kept = stringsKept(value);
  if (kept < 0) throw new TokenInvalidError(`JWT ${part} has a member named __proto__ or constructor`);
  if (kept !== stringLiteralsIn(text)) throw new TokenInvalidError(`JWT ${part} has a duplicate member name`);
  return value as Record<string, unknown>;
}
