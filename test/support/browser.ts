import { existsSync } from 'node:fs';
import sparticuzChromium from '@sparticuz/chromium';
import { type Browser, chromium } from 'playwright-core';
import { packagedChromium } from './packaged-chromium.js';

/** Where a Chromium already on the machine is looked for when CHROMIUM_PATH is not set. */
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** Flags for every launch: quiet, no network chatter, nothing that a test's requests could race with. */
const COMMON_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** @sparticuz/chromium's Lambda flags that switch off browser security; tests of cookies and CORS need it on. */
const WEAKENING_ARGS = new Set(['--disable-web-security', '--allow-running-insecure-content']);

export interface BrowserExecutable {
  /** `CHROMIUM_PATH`, the system Chromium, or the one inside the @sparticuz/chromium package. */
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
  executablePath: string;
  args: string[];
}

/** The CHROMIUM_PATH value that asks for the npm package's browser even where the system has one. */
export const PACKAGED = '@sparticuz/chromium';

/**
 * Picks the Chromium to drive: CHROMIUM_PATH (a file, or `@sparticuz/chromium`), else the system's, else the
 * one shipped on npm.
 */
export async function resolveBrowserExecutable(env: NodeJS.ProcessEnv = process.env): Promise<BrowserExecutable> {
  const explicit = env.CHROMIUM_PATH;
  if (explicit !== undefined && explicit !== '' && explicit !== PACKAGED) {
    if (!existsSync(explicit)) {
      throw new Error(`CHROMIUM_PATH is ${explicit}, which does not exist; set it to ${PACKAGED} for the npm one`);
    }
    return { source: 'CHROMIUM_PATH', executablePath: explicit, args: COMMON_ARGS };
  }
  if (explicit !== PACKAGED && existsSync(SYSTEM_CHROMIUM)) {
    return { source: 'system', executablePath: SYSTEM_CHROMIUM, args: COMMON_ARGS };
  }
  // Unpacked on first use (about 3 s), then reused by every later run.
  const executablePath = await packagedChromium();
  const args = [...sparticuzChromium.args.filter((arg) => !WEAKENING_ARGS.has(arg)), ...COMMON_ARGS];
  return { source: '@sparticuz/chromium', executablePath, args: [...new Set(args)] };
}

/** A headless Chromium driven by playwright-core; nothing is installed from apt or downloaded. */
export async function launchBrowser(): Promise<Browser> {
  const { source, executablePath, args } = await resolveBrowserExecutable();
  const browser = await chromium.launch({ executablePath, args, headless: true });
  // One line in the test output, so a run shows which browser it proved (the npm one on a fresh machine).
  console.info(`[browser] Chromium ${browser.version()} from ${source} (${executablePath})`);
  return browser;
}
