import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPortFree, findFreePort } from '../stack/ports.js';
import { bashBlockAfter, documentedRoutes, routeOf, runShellExamples } from '../support/readme-examples.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** `npm run dev` as a developer runs it: a child process, its banner, its commands, then Ctrl-C. */
describe('npm run dev', () => {
  let child: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;
  const stateDir = mkdtempSync(join(tmpdir(), 'cognito-gate-dev-'));
  const ports: Record<string, number> = {};

  beforeAll(async () => {
    for (const name of [
      'GATE_COGNITO_PORT',
      'GATE_HOSTED_UI_PORT',
      'GATE_HTTP_PORT',
      'GATE_LAMBDA_PORT',
      'GATE_WEBSOCKET_PORT',
    ])
      ports[name] = await findFreePort();
    child = spawn('npm', ['run', 'dev'], {
      cwd: REPO,
      env: {
        ...process.env,
        ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
        GATE_STATE_DIR: stateDir,
        GATE_ESBUILD_DIR: '.esbuild-devtest',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so the test can send Ctrl-C to all of it like a terminal does
    });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within 60 s:\n${output}`)), 60_000);
      const check = setInterval(() => {
        if (output.includes('Ctrl-C stops everything')) {
          clearInterval(check);
          clearTimeout(timer);
          resolve();
        }
      }, 100);
    });
  }, 90_000);

  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    }
    rmSync(stateDir, { recursive: true, force: true });
  });

  // serverless-offline turns every authorizer failure into a bare 401; its log says which it was.
  const offlineLogTail = () =>
    readFileSync(join(stateDir, 'serverless-offline.log'), 'utf8').split('\n').slice(-40).join('\n');

  const bannerLine = (marker: string) =>
    output
      .split('\n')
      .find((line) => line.includes(marker))
      ?.trim() ?? '';

  it('prints the URLs, the console first, and the demo users', () => {
    const firstUrl = output.split('\n').find((line) => line.includes('http://'));
    expect(firstUrl).toMatch(
      new RegExp(`^\\s*Console \\(browser\\)\\s+http://127\\.0\\.0\\.1:${ports.GATE_HTTP_PORT}/console/`),
    );
    expect(output).toContain(`http://127.0.0.1:${ports.GATE_HTTP_PORT}`);
    expect(output).toMatch(/alice\s+\S+\s+groups: admins, users/);
    expect(output).toMatch(/bob\s+\S+\s+groups: users/);
  });

  it('serves the console at the URL the banner names', async () => {
    // Act
    const consoleUrl = /(http:\/\/\S+\/console\/)/.exec(bannerLine('Console (browser)'))?.[1] ?? '';
    const response = await fetch(consoleUrl);
    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await response.text()).toContain('<script type="module" src="/console/app-');
  });

  it('runs the banner commands as printed: an M2M token, then a protected call with it, then the login link', async () => {
    // Prepare: read the commands off the banner
    const getToken = bannerLine('TOKEN=$(curl');
    const [, clientId, clientSecret] = /-u '([^:]+):([^']+)'/.exec(getToken)!;
    const form = [...getToken.matchAll(/-d (\S+)/g)].map((match) => match[1]).join('&');
    const tokenUrl = /(http:\/\/\S+\/oauth2\/token)/.exec(getToken)![1]!;
    const apiUrl = /(http:\/\/\S+)$/.exec(bannerLine('Authorization: Bearer $TOKEN'))![1]!;
    const loginUrl = bannerLine('/auth/login?return_to=');
    // Act
    const tokenResponse = await fetch(tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form,
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const apiResponse = await fetch(apiUrl, { headers: { authorization: `Bearer ${token}` } });
    const loginResponse = await fetch(loginUrl, { redirect: 'manual' });
    // Assess
    expect(tokenResponse.status).toBe(200);
    expect(apiResponse.status, offlineLogTail()).toBe(200);
    expect(((await apiResponse.json()) as { identity: { clientId: string } }).identity.clientId).toBe(clientId);
    expect(loginResponse.status).toBe(302);
    expect(loginResponse.headers.get('location')).toContain(`127.0.0.1:${ports.GATE_HOSTED_UI_PORT}/oauth2/authorize`);
  });

  it("runs every admin API example of README as written, each answering with the status of README's table", async () => {
    // Prepare: README's block with the banner's client id and secret and this run's ports
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const [, clientId, clientSecret] = /-u '([^:]+):([^']+)'/.exec(bannerLine('TOKEN=$(curl'))!;
    const script = bashBlockAfter(readme, 'Examples against `npm run dev`')
      .replaceAll('<m2m-client-id>:<m2m-client-secret>', `${clientId}:${clientSecret}`)
      .replaceAll('http://127.0.0.1:9230', `http://127.0.0.1:${ports.GATE_HOSTED_UI_PORT}`)
      .replaceAll('http://127.0.0.1:3000', `http://127.0.0.1:${ports.GATE_HTTP_PORT}`);
    const routes = documentedRoutes(readme);
    // Act
    const { requests, stderr } = await runShellExamples(script);
    // Assess: one request per curl, the token first, then each API call with its documented status
    expect(stderr).toBe('');
    expect(requests).toHaveLength(script.match(/\bcurl /g)?.length ?? 0);
    const [token, ...calls] = requests;
    expect(token).toMatchObject({ method: 'POST', status: 200 });
    const answers = calls.map((call) => ({
      call: `${call.method} ${new URL(call.url).pathname}${new URL(call.url).search}`,
      status: call.status,
    }));
    const documented = calls.map((call) => ({
      call: `${call.method} ${new URL(call.url).pathname}${new URL(call.url).search}`,
      status: routeOf(routes, call.method, call.url)?.status,
    }));
    expect(answers).toEqual(documented);
    const nextPage = calls.find((call) => call.url.includes('next='));
    expect(new URL(nextPage!.url).searchParams.get('next')).toMatch(/^[A-Za-z0-9_-]+$/);
  }, 60_000);

  it('stops every process it started on Ctrl-C', async () => {
    // Act
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    // Assess: every port is free again, so nothing it started is still listening
    for (const [name, port] of Object.entries(ports)) await expect(assertPortFree(name, port)).resolves.toBeUndefined();
  }, 30_000);
});
