import { randomInt } from 'node:crypto';

/**
 * A temporary password that satisfies Cognito's default policy (8+ characters with a lowercase letter, an
 * uppercase letter, a digit and a symbol). Used when no invitation is sent, so that we can hand it back once.
 * Look-alike characters are left out because a person may have to type it.
 */
const CLASSES = ['abcdefghijkmnopqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '!#%*+-=?@^_'] as const;
const ALL = CLASSES.join('');
export const TEMPORARY_PASSWORD_LENGTH = 20;

export function generateTemporaryPassword(length = TEMPORARY_PASSWORD_LENGTH): string {
  if (length < CLASSES.length) throw new Error(`temporary password length must be at least ${CLASSES.length}`);
  const chars = CLASSES.map(pick);
  while (chars.length < length) chars.push(pick(ALL));
  // Fisher-Yates, so the guaranteed characters are not always first.
  for (let i = chars.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)] as string;
}
