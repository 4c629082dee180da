import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionEnv } from '../stack/local-stack.js';
import { type Offline, startOffline } from '../stack/offline.js';
import { findFreePort } from '../stack/ports.js';
import { ALICE_PASSWORD } from '../stack/seed.js';
import { type IdentityStack, startIdentityStack } from '../stack/stack.js';
import { launchBrowser } from '../support/browser.js';

/**
 * A real browser through the whole backend-for-frontend flow: a headless Chromium (from npm unless the machine
 * has one), the hosted-UI stand-in's sign-in form, the auth function and the authorizer under serverless-offline.
 */
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const RETURN_PATH = '/echo?from=login';

describe('signing in with a browser', () => {
  let stateDir: string;
  let stack: IdentityStack;
  let offline: Offline;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'cg-browser-login-'));
    const httpPort = await findFreePort();
    base = `http://127.0.0.1:${httpPort}`;
    stack = await startIdentityStack({
      stateDir,
      cognitoPort: 0,
      hostedUiPort: 0,
      callbackUrls: [`${base}/auth/callback`],
      logoutUrls: [`${base}/health`],
    });
    offline = await startOffline({
      httpPort,
      lambdaPort: 0,
      esbuildDir: '.esbuild-auth-e2e',
      logFile: join(stateDir, 'offline.log'),
      env: {
        ...functionEnv(stack, base),
        // rules.json gives GET /echo to cognito-gate/read.
        OIDC_SCOPES: 'openid email profile cognito-gate/read',
        COOKIE_SECRET: 'browser-test-cookie-secret-0123456789abcdef',
        POST_LOGIN_PATHS: '/echo',
        POST_LOGOUT_PATHS: '/health',
      },
    });
    browser = await launchBrowser();
    context = await browser.newContext();
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await offline?.stop();
    await stack?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('signs in at the hosted UI and lands back on the return path, which echo serves to the signed-in user', async () => {
    // Act
    await page.goto(`${base}/auth/login?return_to=${encodeURIComponent(RETURN_PATH)}`);
    await page.fill('#username', 'alice');
    await page.fill('#password', ALICE_PASSWORD);
    await Promise.all([page.waitForURL(`${base}${RETURN_PATH}`), page.click('button[type=submit]')]);
    // Assess
    const echo = JSON.parse((await page.textContent('body')) ?? '{}') as {
      path: string;
      identity: Record<string, unknown>;
    };
    expect(echo.path).toBe('/echo');
    expect(echo.identity).toMatchObject({ username: 'alice', tokenUse: 'access', groups: ['admins', 'users'] });
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'browser-login-signed-in.png'), fullPage: true });
  });

  it('keeps every token cookie away from page JavaScript', async () => {
    // Act
    const cookies = await context.cookies(base);
    const visibleToScript = await page.evaluate<string>('document.cookie');
    // Assess
    const session = cookies.find((cookie) => cookie.name === 'cg_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    for (const name of ['cg_session', 'cg_id', 'cg_refresh']) expect(visibleToScript).not.toContain(`${name}=`);
  });

  it('shows the user at /auth/me', async () => {
    // Act
    const response = await page.goto(`${base}/auth/me`);
    // Assess
    expect(response?.status()).toBe(200);
    expect(JSON.parse((await page.textContent('body')) ?? '{}')).toMatchObject({
      username: 'alice',
      email: 'alice@example.com',
      groups: ['admins', 'users'],
    });
  });

  it('refreshes the session from page script with the X-Requested-With header', async () => {
    // Act
    const status = await page.evaluate(
      async () => (await fetch('/auth/refresh', { method: 'POST', headers: { 'X-Requested-With': 'fetch' } })).status,
    );
    // Assess
    expect(status).toBe(200);
    expect((await page.goto(`${base}/echo`))?.status()).toBe(200);
  });

  it("signs out through Cognito's logout, after which echo answers 401", async () => {
    // Act
    await page.goto(`${base}/auth/logout`);
    await page.waitForURL(`${base}/health`);
    const echo = await page.goto(`${base}/echo`);
    // Assess
    expect(echo?.status()).toBe(401);
    expect((await context.cookies(base)).map((cookie) => cookie.name)).not.toContain('cg_session');
  });
});
