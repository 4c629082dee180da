import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, type ConsoleBuild } from '../../../scripts/console-build.js';
import { CONSOLE_DIR_PLACEHOLDER } from '../../../shared/console/static-site.js';

describe('npm run console:build', () => {
  let outDir: string;
  let result: ConsoleBuild;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'cg-console-build-'));
    result = await buildConsole(outDir);
  });

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('produces index.html, one script and one stylesheet, the last two named by their content hash', () => {
    expect(result.assets.map((asset) => asset.path)).toEqual([
      'index.html',
      expect.stringMatching(/^app-[A-Z0-9]{8}\.js$/),
      expect.stringMatching(/^app-[A-Z0-9]{8}\.css$/),
    ]);
    expect(result.assets.map((asset) => asset.immutable)).toEqual([false, true, true]);
  });

  it('links them from index.html, with no inline script, style or event handler for the CSP to refuse', () => {
    const [index, script, stylesheet] = result.assets;
    expect(index?.body).toContain(`<script type="module" src="${CONSOLE_DIR_PLACEHOLDER}${script?.path}">`);
    expect(index?.body).toContain(`href="${CONSOLE_DIR_PLACEHOLDER}${stylesheet?.path}"`);
    expect(index?.body).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+=/i);
  });

  it('builds a script that never writes HTML from strings and loads nothing from another origin', () => {
    const script = result.assets[1]?.body ?? '';
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    expect(script).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it('writes the module the console function imports, holding the same files', async () => {
    const module = (await import(join(outDir, 'console-assets.js'))) as { default: unknown };
    expect(module.default).toEqual(result.assets);
    expect(await readFile(join(outDir, 'public', 'index.html'), 'utf8')).toBe(result.assets[0]?.body);
  });

  it('gives the same names for the same sources, so rebuilding does not bust caches', async () => {
    const again = await buildConsole(outDir);
    expect(again.assets.map((asset) => asset.path)).toEqual(result.assets.map((asset) => asset.path));
  });
});
