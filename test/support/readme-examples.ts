import { execFileSync, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { curlRequest } from './curl-request.js';

/** The first ```bash block after the heading line that contains `heading`. */
export function bashBlockAfter(markdown: string, heading: string): string {
  const start = markdown.split('\n').findIndex((line) => line.startsWith('#') && line.includes(heading));
  if (start < 0) throw new Error(`README has no heading with "${heading}"`);
  const rest = markdown
    .split('\n')
    .slice(start + 1)
    .join('\n');
  const block = /```bash\n([\s\S]*?)```/.exec(rest);
  if (block?.[1] === undefined) throw new Error(`README has no bash block after "${heading}"`);
  return block[1];
}

export interface DocumentedRoute {
  method: string;
  /** The path with `{param}` segments, without the query. */
  path: string;
  /** The status the table's answer column starts with. */
  status: number;
}

/** The rows of a README table whose first cell is `` `METHOD /path` `` and whose answer cell names a status. */
export function documentedRoutes(markdown: string): DocumentedRoute[] {
  const routes: DocumentedRoute[] = [];
  for (const line of markdown.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
    const route = /^`(GET|POST|PUT|DELETE|PATCH) (\/[^`?]*)/.exec(cells[1] ?? '');
    const status = /^(\d{3})\b/.exec(cells[3] ?? '');
    if (route?.[1] !== undefined && route[2] !== undefined && status?.[1] !== undefined) {
      routes.push({ method: route[1], path: route[2], status: Number(status[1]) });
    }
  }
  return routes;
}

/** The documented route that a request matches, `{param}` standing for one path segment. */
export function routeOf(routes: DocumentedRoute[], method: string, url: string): DocumentedRoute | undefined {
  const { pathname } = new URL(url);
  return routes.find((route) => {
    const pattern = route.path.replace(/\{[^}]+\}/g, '[^/]+');
    return route.method === method && new RegExp(`^${pattern}$`).test(decodeURIComponent(pathname));
  });
}

export interface ExampleRequest {
  method: string;
  url: string;
  status: number;
  body: string;
}

const EXITED = Symbol('exited');

/** Opens a FIFO's other end without waiting, so that a peer blocked opening it goes on; with no peer, nothing. */
async function releasePeer(pipe: string, flags: number): Promise<void> {
  const handle = await open(pipe, flags | constants.O_NONBLOCK).catch(() => undefined);
  await handle?.close();
}

/**
 * Runs a README shell block with `sh`, as a reader would paste it, except that `curl` hands its arguments to
 * this process through a FIFO and prints the answer it gets back (so curl need not be installed, and no process
 * starts per request); returns every request, in order.
 */
export async function runShellExamples(script: string): Promise<{ requests: ExampleRequest[]; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'cg-readme-'));
  const requestPipe = join(dir, 'request');
  const responsePipe = join(dir, 'response');
  try {
    execFileSync('mkfifo', [requestPipe, responsePipe]);
    const prelude = `curl() { printf '%s\\0' "$@" > '${requestPipe}'; cat '${responsePipe}'; }\n`;
    const child = spawn('sh', ['-c', prelude + script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<typeof EXITED>((resolve) => child.once('close', () => resolve(EXITED)));
    const requests: ExampleRequest[] = [];
    for (;;) {
      const incoming = readFile(requestPipe, 'utf8');
      const raw = await Promise.race([incoming, exited]);
      if (raw === EXITED) {
        await releasePeer(requestPipe, constants.O_WRONLY);
        await incoming.catch(() => '');
        break;
      }
      let answer = '';
      try {
        const { method, url, init } = curlRequest(raw.split('\0').slice(0, -1));
        const response = await fetch(url, init);
        answer = await response.text();
        requests.push({ method, url, status: response.status, body: answer });
      } catch (error) {
        child.kill();
        await releasePeer(responsePipe, constants.O_WRONLY);
        throw error;
      }
      await writeFile(responsePipe, answer);
    }
    return { requests, stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
