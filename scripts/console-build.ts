/**
 * npm run console:build: the web console (console/) as one script and one stylesheet with content-hashed names,
 * and index.html linking them (a template: the function fills in the directory). Writes them to
 * .console-build/public/ to look at, and .console-build/
 * console-assets.js, the module the console function imports as `#console-assets` (package.json "imports").
 * serverless.yml's local plugin (plugins/console.mjs) runs this before every package and offline start.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { CONSOLE_DIR_PLACEHOLDER, type ConsoleAsset } from '../shared/console/static-site.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CONSOLE_BUILD_DIR = join(ROOT, '.console-build');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

export interface FileSize {
  readonly path: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface ConsoleBuild {
  readonly assets: readonly ConsoleAsset[];
  readonly sizes: readonly FileSize[];
  readonly totalBytes: number;
  readonly totalGzipBytes: number;
  readonly outDir: string;
}

/** Builds the console and writes it; concurrent builds (tests beside `npm run dev`) each rename whole files. */
export async function buildConsole(outDir: string = CONSOLE_BUILD_DIR): Promise<ConsoleBuild> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { app: 'console/src/main.ts' },
    tsconfig: 'console/tsconfig.json',
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022', 'chrome111', 'firefox111', 'safari16.4'],
    charset: 'utf8',
    legalComments: 'none',
    entryNames: '[name]-[hash]',
    outdir: join(outDir, 'public'),
    write: false,
    logLevel: 'error',
  });
  const built: ConsoleAsset[] = result.outputFiles.map((file) => {
    const path = file.path.slice(file.path.lastIndexOf('/') + 1);
    return { path, contentType: contentTypeOf(path), body: file.text, immutable: true };
  });
  const script = built.find((asset) => asset.path.endsWith('.js'));
  const stylesheet = built.find((asset) => asset.path.endsWith('.css'));
  if (!script || !stylesheet || built.length !== 2) {
    throw new Error(`console build: expected one .js and one .css, got ${built.map((a) => a.path).join(', ')}`);
  }
  const template = readFileSync(join(ROOT, 'console/index.html'), 'utf8');
  // Absolute paths, from wherever the page is reached: the console function fills in the directory.
  const html = linkAsset(
    linkAsset(template, 'href="app.css"', `href="${CONSOLE_DIR_PLACEHOLDER}${stylesheet.path}"`),
    'src="app.js"',
    `src="${CONSOLE_DIR_PLACEHOLDER}${script.path}"`,
  );
  const assets: ConsoleAsset[] = [
    { path: 'index.html', contentType: CONTENT_TYPES['.html']!, body: html, immutable: false },
    script,
    stylesheet,
  ];

  const publicDir = join(outDir, 'public');
  mkdirSync(publicDir, { recursive: true });
  for (const asset of assets) writeAtomically(join(publicDir, asset.path), asset.body);
  const current = new Set(assets.map((asset) => asset.path));
  for (const stale of readdirSync(publicDir)) {
    if (!current.has(stale) && !stale.endsWith('.tmp')) rmSync(join(publicDir, stale), { force: true });
  }
  writeAtomically(
    join(outDir, 'console-assets.js'),
    `// Written by npm run console:build from console/; do not edit.\nexport default ${JSON.stringify(assets, null, 1)};\n`,
  );

  const sizes = assets.map((asset) => ({
    path: asset.path,
    bytes: Buffer.byteLength(asset.body),
    gzipBytes: gzipSync(asset.body, { level: 9 }).length,
  }));
  return {
    assets,
    sizes,
    totalBytes: sizes.reduce((sum, size) => sum + size.bytes, 0),
    totalGzipBytes: sizes.reduce((sum, size) => sum + size.gzipBytes, 0),
    outDir,
  };
}

function contentTypeOf(path: string): string {
  const type = CONTENT_TYPES[path.slice(path.lastIndexOf('.'))];
  if (!type) throw new Error(`console build: no content type for ${path}`);
  return type;
}

/** index.html names app.css and app.js; the built names carry a hash. Exactly one of each, or the build fails. */
function linkAsset(html: string, placeholder: string, replacement: string): string {
  const parts = html.split(placeholder);
  if (parts.length !== 2) throw new Error(`console/index.html must contain ${placeholder} exactly once`);
  return parts.join(replacement);
}

function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

async function main(): Promise<void> {
  const started = Date.now();
  const result = await buildConsole();
  for (const size of result.sizes) {
    console.log(`  ${size.path.padEnd(24)} ${String(size.bytes).padStart(7)} B   gzip ${size.gzipBytes} B`);
  }
  console.log(
    `console built in ${Date.now() - started} ms: ${result.totalBytes} B, gzip ${result.totalGzipBytes} B -> ${result.outDir}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
