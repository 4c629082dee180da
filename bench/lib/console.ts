/// <reference lib="dom" />
// The functions given to page.evaluate run in the page: they are typed against the DOM.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConsole, type FileSize } from '../../scripts/console-build.js';
import { acceptsGzip, createStaticSite } from '../../shared/console/static-site.js';
import { launchBrowser } from '../../test/support/browser.js';

export interface ConsoleBench {
  readonly files: readonly FileSize[];
  readonly totalBytes: number;
  readonly totalGzipBytes: number;
  /** performance.getEntriesByName('first-contentful-paint'), per fresh browser context. */
  readonly firstPaintMs: { readonly median: number; readonly samples: readonly number[] };
  /** The console's own mark when its first page is drawn: script run, /auth/me answered, view rendered. */
  readonly readyMs: { readonly median: number; readonly samples: readonly number[] };
}

/** The limits the console is held to; first paint is the signed-out page from a local server, cold cache. */
export const CONSOLE_LIMITS = { gzipBytes: 30_000, firstPaintMs: 500 } as const;

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * `npm run console:build`'s files, their size raw and gzipped, and the first paint of the page in the browser tests'
 * Chromium (test/support/browser.ts: the npm one on a machine without its own),
 * served by the console function's own code (shared/console/static-site.ts) on 127.0.0.1, with /auth/me answering
 * 401 as for a browser that is not signed in. Each sample is a new browser context: no cache, no cookies.
 */
export async function measureConsole(samples: number): Promise<ConsoleBench> {
  const outDir = mkdtempSync(join(tmpdir(), 'cg-bench-console-'));
  const build = await buildConsole(outDir);
  const serve = createStaticSite([
    ...build.assets,
    { path: 'settings.json', contentType: 'application/json', body: '{"adminGroup":"admins"}', immutable: false },
  ]);
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/auth/me') {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end('{"error":{"code":"session_missing","message":"Nobody is signed in."}}');
      return;
    }
    const file = path.startsWith('/console/') ? path.slice('/console/'.length) : undefined;
    const answer = serve({
      rawPath: path,
      file,
      acceptsGzip: acceptsGzip(String(request.headers['accept-encoding'] ?? '')),
      ifNoneMatch: request.headers['if-none-match'],
    });
    response.writeHead(answer.statusCode ?? 200, answer.headers as Record<string, string>);
    response.end(answer.isBase64Encoded ? Buffer.from(String(answer.body), 'base64') : answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/console/`;
  // The browser tests' Chromium: the npm one on a machine with none of its own.
  const browser = await launchBrowser();
  const paints: number[] = [];
  const ready: number[] = [];
  try {
    for (let sample = 0; sample < samples + 1; sample++) {
      const context = await browser.newContext({ viewport: { width: 1000, height: 760 } });
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'load' });
      // The paint entry can arrive after the page is drawn (a busy compositor): wait for both.
      await page.waitForFunction(
        () =>
          !document.querySelector('main[aria-busy]') &&
          performance.getEntriesByName('first-contentful-paint').length > 0,
        undefined,
        { timeout: 10_000 },
      );
      const timing = await page.evaluate(() => ({
        paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
        ready: performance.getEntriesByName('console:first-page')[0]?.startTime,
        heading: document.querySelector('h1')?.textContent,
      }));
      await context.close();
      if (timing.paint === undefined || timing.ready === undefined || timing.heading !== 'Sign in') {
        throw new Error(`bench: the console did not paint its signed-out page (${JSON.stringify(timing)})`);
      }
      // The first sample warms the browser itself (its first context); it is not recorded.
      if (sample > 0) {
        paints.push(timing.paint);
        ready.push(timing.ready);
      }
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
  return {
    files: build.sizes,
    totalBytes: build.totalBytes,
    totalGzipBytes: build.totalGzipBytes,
    firstPaintMs: { median: median(paints), samples: paints },
    readyMs: { median: median(ready), samples: ready },
  };
}

/** The two rows of the targets table. */
export function consoleTargetRows(bench: ConsoleBench): string[][] {
  const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
  const files = bench.files.map((file) => `${file.path.replace(/-[A-Z0-9]+\./, '.')} ${kb(file.gzipBytes)}`).join(', ');
  return [
    [
      'Console bundle (index.html + JS + CSS), gzip',
      `≤ ${kb(CONSOLE_LIMITS.gzipBytes)}`,
      `${kb(bench.totalGzipBytes)} (${kb(bench.totalBytes)} raw; ${files})`,
      bench.totalGzipBytes <= CONSOLE_LIMITS.gzipBytes ? 'yes' : 'NO',
    ],
    [
      'Console first contentful paint (Chromium, local, cold cache)',
      `≤ ${CONSOLE_LIMITS.firstPaintMs} ms`,
      `${bench.firstPaintMs.median.toFixed(0)} ms (median of ${bench.firstPaintMs.samples.length}; page drawn at ${bench.readyMs.median.toFixed(0)} ms)`,
      bench.firstPaintMs.median <= CONSOLE_LIMITS.firstPaintMs ? 'yes' : 'NO',
    ],
  ];
}
