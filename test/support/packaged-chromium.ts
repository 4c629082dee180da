import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const entry = require.resolve('@sparticuz/chromium');
const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };

/** A staging folder this old belongs to a run that was killed while unpacking. */
const STALE_STAGING_MS = 10 * 60_000;

/** Unpacks the package's browser in a child whose temp dir is `dir`, where the package writes it. */
function unpackInto(dir: string): Promise<void> {
  const script = `const { default: chromium } = await import(${JSON.stringify(pathToFileURL(entry).href)});
await chromium.executablePath();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, TMPDIR: dir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`unpacking @sparticuz/chromium failed (${code}): ${stderr}`)),
    );
  });
}

async function removeStaleStaging(target: string): Promise<void> {
  const prefix = `${basename(target)}.unpacking-`;
  for (const name of await readdir(dirname(target))) {
    if (!name.startsWith(prefix)) continue;
    const path = join(dirname(target), name);
    const { mtimeMs } = await stat(path).catch(() => ({ mtimeMs: Date.now() }));
    if (Date.now() - mtimeMs > STALE_STAGING_MS) await rm(path, { recursive: true, force: true });
  }
}

/**
 * The Chromium inside @sparticuz/chromium, unpacked once per machine and version. The package unpacks in
 * place into the temp dir, so a second test process, or a run killed half-way, could find a half-written
 * binary; here a child unpacks into a private folder that is then renamed into place, whole or not at all.
 */
export async function packagedChromium(): Promise<string> {
  const target = join(tmpdir(), `cognito-gate-chromium-${version}`);
  const binary = join(target, 'chromium');
  if (existsSync(binary)) return binary;
  await removeStaleStaging(target);
  const staging = await mkdtemp(`${target}.unpacking-`);
  try {
    await unpackInto(staging);
    // Another process may have won the race: its browser is as good as ours.
    await rename(staging, target).catch((error: unknown) => {
      if (!existsSync(binary)) throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return binary;
}
