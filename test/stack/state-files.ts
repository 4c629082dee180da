import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ACCOUNT_STATE_FILE } from './account-state.js';

/** What atomic-write.cjs leaves behind when its process is killed between writing and renaming. */
const TEMP_FILE = /\.json\.\d+\.\d+\.tmp$/;

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Why a state file cannot be used, or undefined when it can; empty counts (StormDB would read a pool as new). */
async function unreadableBecause(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    return code === 'ENOENT' ? undefined : `cannot be read: ${code ?? 'unknown error'}`;
  }
  if (text.trim() === '') return 'empty';
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? undefined : 'not a JSON object';
  } catch {
    // Not the parser's message: it can quote the file, and cognito-local keeps passwords there.
    return 'not valid JSON';
  }
}

/**
 * Moves every state file that the next start could not load to `<file>.unreadable-<time>`, saying which, so the
 * stack starts (and seeds) afresh instead of dying; also removes temp files of writes cut short.
 */
export async function setAsideUnreadableStateFiles(
  stateDir: string,
  warn: (message: string) => void = console.warn,
): Promise<string[]> {
  const cognitoDir = join(stateDir, '.cognito');
  const dbDir = join(cognitoDir, 'db');
  const candidates = [join(stateDir, ACCOUNT_STATE_FILE), join(cognitoDir, 'config.json')];
  candidates.push(...(await namesIn(dbDir)).filter((name) => name.endsWith('.json')).map((name) => join(dbDir, name)));
  for (const dir of [stateDir, cognitoDir, dbDir]) {
    for (const name of (await namesIn(dir)).filter((entry) => TEMP_FILE.test(entry))) {
      await rm(join(dir, name), { force: true });
    }
  }
  const stamp = new Date().toISOString().replace(/[-:]|\.\d+/g, '');
  const movedAside: string[] = [];
  for (const file of candidates) {
    const reason = await unreadableBecause(file);
    if (reason === undefined) continue;
    const aside = `${file}.unreadable-${stamp}`;
    await rename(file, aside);
    movedAside.push(aside);
    warn(`[local stack] ${file} is unreadable (${reason}); moved it to ${aside} and starting from a fresh seed`);
  }
  return movedAside;
}
