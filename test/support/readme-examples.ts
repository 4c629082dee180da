import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CURL_STAND_IN = fileURLToPath(new URL('./curl-stand-in.mjs', import.meta.url));

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

/**
 * Runs a README shell block with `sh`, as a reader would paste it, except that `curl` is the Node stand-in
 * (so curl need not be installed); returns every request it made, in order.
 */
export async function runShellExamples(script: string): Promise<{ requests: ExampleRequest[]; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'cg-readme-'));
  const log = join(dir, 'requests.jsonl');
  try {
    const prelude = `curl() { node '${CURL_STAND_IN}' "$@"; }\n`;
    const child = spawn('sh', ['-c', prelude + script], {
      env: { ...process.env, CURL_LOG: log },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await new Promise((resolve) => child.once('close', resolve));
    const lines = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    return { requests: lines.map((line) => JSON.parse(line) as ExampleRequest), stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
