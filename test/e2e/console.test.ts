/// <reference lib="dom" />
// The functions given to page.evaluate run in the page: they are typed against the DOM.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { revocationRefreshSeconds } from '../stack/revocation-refresh.js';
import { ALICE_PASSWORD, BOB_PASSWORD } from '../stack/seed.js';
import { getM2mToken } from '../stack/token-client.js';
import { launchBrowser } from '../support/browser.js';

/**
 * The web console in a real browser (the npm-shipped Chromium) against the local stack: the hosted-UI
 * stand-in's sign-in form, the token service, the authorizer and the admin API under serverless-offline.
 * Every page is photographed into test-artifacts/.
 */
const stack = inject('stack');
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
/** How long the authorizer may take to learn of a revocation; the test waits this plus a second. */
const REVOCATION_REFRESH_SECONDS = revocationRefreshSeconds();
const NEW_USER = `dana-${Date.now().toString(36).slice(-5)}`;

const NEW_USER_PASSWORD = 'Passw0rd!dana';
/** 21 users created for the paging test: one more than a page. */
const PAGE_PREFIX = `page-${Date.now().toString(36).slice(-5)}-`;

async function photograph(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });
}

/** Through the console's Sign in link, the hosted UI's form, and back to the console. */
async function signIn(page: Page, consoleUrl: string, username: string, password: string): Promise<void> {
  await page.goto(consoleUrl);
  await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${consoleUrl}**`);
  await page.getByRole('heading', { name: 'Who am I', level: 1 }).waitFor();
}

/** "Try the API": the status the page shows, and the identity list under it. */
async function tryRoute(page: Page, route: string): Promise<{ verdict: string; identity: string }> {
  await page.getByLabel('Route').selectOption(route);
  await page.getByRole('button', { name: 'Call the API' }).click();
  const verdict = page.locator('#api-answer .verdict');
  await verdict.waitFor();
  return {
    verdict: (await verdict.textContent()) ?? '',
    identity: (await page.locator('#api-answer dl').allTextContents()).join(''),
  };
}

/**
 * `act` leads to the page of `hash`, and that page is drawn: the shell marks <main> busy while a page loads its data,
 * and each drawing puts a new heading in it. The heading on screen before `act` is marked, because the hash changes
 * a moment before the shell hears of it: until then the old page shows, not busy, under the new hash.
 */
async function settled(page: Page, hash: string, act: () => Promise<unknown>): Promise<void> {
  await page.evaluate(() => document.querySelector('#main h1')?.setAttribute('data-drawn-before', ''));
  await act();
  await page.waitForFunction(
    (expected) =>
      location.hash === expected &&
      !document.querySelector('main[aria-busy]') &&
      document.querySelector('#main h1') !== null &&
      !document.querySelector('#main h1[data-drawn-before]'),
    hash,
  );
}

/** An account action has answered: its result announced, or an error shown; then the page drawn again. */
async function actionSettled(page: Page, announcement: string): Promise<void> {
  await page
    .locator(`#announcer:has-text(${JSON.stringify(announcement)}), [data-form-error]:not([hidden])`)
    .first()
    .waitFor({ state: 'attached' });
  await page.locator('main[aria-busy]').waitFor({ state: 'detached' });
}

async function headingHasFocus(page: Page): Promise<string | null> {
  return page.evaluate(() => (document.activeElement?.tagName === 'H1' ? document.activeElement.textContent : null));
}

describe('the web console in a browser', () => {
  const consoleUrl = stack.consoleUrl ?? '';
  let browser: Browser;
  let alice: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // Never skip quietly: the stack serves the console unless CONSOLE=off was set for the test run.
    if (!stack.consoleUrl) throw new Error('the local stack serves no console: unset CONSOLE (or set it to on)');
    browser = await launchBrowser();
    alice = await browser.newContext({ viewport: { width: 1000, height: 760 } });
    page = await alice.newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('serves the page with a strict CSP, nosniff and its hashed script and stylesheet cached for a year', async () => {
    // Act
    const pageResponse = await fetch(consoleUrl);
    const html = await pageResponse.text();
    const scriptPath = /<script type="module" src="([^"]+)"/.exec(html)?.[1] ?? '';
    const script = await fetch(new URL(scriptPath, consoleUrl));
    const withoutSlash = await fetch(consoleUrl.replace(/\/$/, ''));
    // Assess
    expect(pageResponse.status).toBe(200);
    expect(pageResponse.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(pageResponse.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(pageResponse.headers.get('x-content-type-options')).toBe('nosniff');
    expect(pageResponse.headers.get('cache-control')).toBe('no-cache');
    expect(html).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+=/i);
    expect(scriptPath).toMatch(/^\/console\/app-[A-Z0-9]+\.js$/);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(withoutSlash.status).toBe(200);
    expect(await withoutSlash.text()).toBe(html);
  });

  it('shows a signed-out browser the way to sign in', async () => {
    // Act
    await page.goto(consoleUrl);
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    // Assess
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
    await photograph(page, 'signed-out');
  });

  it('signs alice in through the hosted UI and shows who she is and when her session ends', async () => {
    // Act
    await signIn(page, consoleUrl, 'alice', ALICE_PASSWORD);
    const facts = await page.locator('main dl.facts').first().textContent();
    // Assess
    expect(facts).toContain('alice@example.com');
    expect(facts).toContain('admins, users');
    expect(facts).toMatch(/Session ends.*\(in \d+ min/);
    expect(await page.evaluate(() => document.cookie)).not.toMatch(/cg_session|cg_id|cg_refresh/);
    await photograph(page, 'home');
  });

  it("shows the authorizer's answer and the identity the backend received for a protected route", async () => {
    // Act
    const allowed = await tryRoute(page, 'GET /echo');
    // Assess
    expect(allowed.verdict).toContain('200');
    expect(allowed.identity).toMatch(/username\s*alice/);
    expect(allowed.identity).toMatch(/groups\s*admins, users/);
    await photograph(page, 'try-the-api');
    // The web client holds no write scope: the rule for POST /echo refuses the same session.
    expect((await tryRoute(page, 'POST /echo')).verdict).toContain('403');
  });

  it('renews the session through POST /auth/refresh', async () => {
    // Act
    await page.getByRole('button', { name: 'Renew the session now' }).click();
    // Assess
    await page.getByText(/^Session renewed: it now ends at/).waitFor();
  });

  it('can be used with the keyboard alone: a skip link, and focus on the heading of each page reached', async () => {
    // Act: from the top of the page, the first Tab reaches the skip link
    await page.goto(consoleUrl);
    await page.getByRole('heading', { name: 'Who am I', level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    const firstStop = await page.evaluate(() => document.activeElement?.textContent);
    await page.keyboard.press('Enter');
    const afterSkip = await headingHasFocus(page);
    await page.getByRole('link', { name: 'Users' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    // Assess
    expect(firstStop).toBe('Skip to content');
    expect(afterSkip).toBe('Who am I');
    expect(await headingHasFocus(page)).toBe('Users');
  });

  it('lists users, and finds them by username prefix', async () => {
    // Act
    await page.getByLabel('Username prefix or exact email').fill('bo');
    await settled(page, '#/users?search=bo', () => page.getByRole('button', { name: 'Search' }).click());
    // Assess
    const usernames = await page.locator('tbody th').allTextContents();
    expect(usernames).toEqual(['bob']);
    await page.goto(`${consoleUrl}#/users`);
    await page.getByRole('link', { name: 'alice', exact: true }).waitFor();
    await photograph(page, 'users');
  });

  it('pages through users 20 at a time, and filters by exact email and by status', async () => {
    // Prepare: 21 users with a prefix of their own, through the admin API with an M2M admin token
    const token = await getM2mToken(
      { hostedUiBaseUrl: stack.hostedUiBaseUrl, seed: { webClient: stack.webClient, m2mClient: stack.m2mClient } },
      'cognito-gate/admin',
    );
    for (let n = 0; n < 21; n++) {
      const created = await fetch(`${stack.apiBaseUrl}/admin/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          username: `${PAGE_PREFIX}${String(n).padStart(2, '0')}`,
          email: `${PAGE_PREFIX}${n}@example.com`,
          // Verified, so that Cognito has somewhere to send a reset code (the reset test uses one of them).
          attributes: { email_verified: 'true' },
          sendInvite: false,
        }),
      });
      expect(created.status).toBe(201);
    }
    const rows = () => page.locator('tbody th').allTextContents();
    // Act
    await settled(page, `#/users?search=${PAGE_PREFIX}`, () => page.goto(`${consoleUrl}#/users?search=${PAGE_PREFIX}`));
    const first = await rows();
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.getByRole('link', { name: 'First page' }).waitFor();
    const second = await rows();
    await page.getByLabel('Username prefix or exact email').fill('bob@example.com');
    await settled(page, '#/users?search=bob%40example.com', () => page.getByRole('button', { name: 'Search' }).click());
    const byEmail = await rows();
    await page.getByLabel('Username prefix or exact email').fill('');
    await page.getByLabel('Status').selectOption('FORCE_CHANGE_PASSWORD');
    await settled(page, '#/users?status=FORCE_CHANGE_PASSWORD', () =>
      page.getByRole('button', { name: 'Search' }).click(),
    );
    const statuses = await page.locator('tbody td:nth-child(3)').allTextContents();
    // Assess
    expect(first).toHaveLength(20);
    expect(second).toHaveLength(1);
    expect(new Set([...first, ...second]).size).toBe(21);
    expect(byEmail).toEqual(['bob']);
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['FORCE_CHANGE_PASSWORD']));
  });

  it("resets a user's password after asking, and shows the new state", async () => {
    // Prepare
    const username = `${PAGE_PREFIX}00`;
    await page.goto(`${consoleUrl}#/users/${username}`);
    await page.getByRole('heading', { name: username, level: 1 }).waitFor();
    // Act
    await page.getByRole('button', { name: 'Reset password' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reset password' }).click();
    await actionSettled(page, `${username}'s password is reset`);
    // Assess
    expect(await page.locator('[data-form-error]:not([hidden])').allTextContents()).toEqual([]);
    expect(await page.locator('[data-account-state]').textContent()).toBe('RESET_REQUIRED');
  });

  it("puts the admin API's error next to the field it names, and moves focus there", async () => {
    // Prepare
    await page.goto(`${consoleUrl}#/new-user`);
    await page.getByRole('heading', { name: 'Create a user', level: 1 }).waitFor();
    // Act
    await page.getByLabel('Username', { exact: true }).fill('has space');
    await page.getByRole('textbox', { name: 'Email' }).fill(`${NEW_USER}@example.com`);
    await page.getByRole('button', { name: 'Create user' }).click();
    const error = page.locator('[data-error-for="username"]');
    await error.waitFor();
    // Assess
    expect(await error.textContent()).toContain('username');
    const focused = await page.evaluate(() => ({
      name: document.activeElement?.getAttribute('name'),
      invalid: document.activeElement?.getAttribute('aria-invalid'),
      describedBy: document.activeElement?.getAttribute('aria-describedby') ?? '',
    }));
    expect(focused).toMatchObject({ name: 'username', invalid: 'true' });
    expect(focused.describedBy.split(' ')).toContain(await error.getAttribute('id'));
    await photograph(page, 'field-error');
  });

  it('creates a user in a group, showing the temporary password once', async () => {
    // Act
    await page.getByLabel('Username', { exact: true }).fill(NEW_USER);
    await page.getByLabel('users', { exact: true }).check();
    await page.getByLabel(/Show a temporary password here/).check();
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('heading', { name: `Created ${NEW_USER}` }).waitFor();
    // Assess
    expect(await page.locator('[data-temporary-password]').textContent()).toMatch(/^\S{8,}$/);
    expect(await page.getByText('groups: users.').count()).toBe(1);
    await photograph(page, 'user-created');
    await page.getByRole('link', { name: `Open ${NEW_USER}'s page` }).click();
    await page.getByRole('heading', { name: NEW_USER, level: 1 }).waitFor();
    expect(await page.locator('[data-temporary-password]').count()).toBe(0);
  });

  it("sets the new user's permanent password from the user's page", async () => {
    // Act
    await page.getByLabel('New password').fill(NEW_USER_PASSWORD);
    await page.getByLabel('Permanent').check();
    await page.getByRole('button', { name: 'Set password', exact: true }).click();
    // Assess
    await page.locator('[data-account-state]', { hasText: 'CONFIRMED' }).waitFor();
    expect(await page.getByRole('link', { name: 'users', exact: true }).count()).toBe(1);
    await photograph(page, 'user');
  });

  it('asks before a change, and Escape leaves everything as it was', async () => {
    // Act
    const remove = page.getByRole('button', { name: 'Delete user' });
    await remove.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Delete user: ${NEW_USER}?` });
    await dialog.waitFor();
    const focusInDialog = await page.evaluate(() => document.activeElement?.textContent);
    await photograph(page, 'confirm');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Assess
    expect(focusInDialog).toBe('Cancel');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Delete user');
    const stillThere = await page.evaluate(
      async (name) => (await fetch(`/admin/users/${encodeURIComponent(name)}`)).status,
      NEW_USER,
    );
    expect(stillThere).toBe(200);
  });

  it('lists the groups, and a group with its members', async () => {
    // Act
    await page.getByRole('link', { name: 'Groups', exact: true }).click();
    await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    await photograph(page, 'groups');
    await page.getByRole('link', { name: 'users', exact: true }).click();
    await page.getByRole('heading', { name: 'Group users', level: 1 }).waitFor();
    // Assess
    const members = await page.locator('ul.members li a').allTextContents();
    expect(members).toEqual(expect.arrayContaining(['alice', 'bob', NEW_USER]));
    await photograph(page, 'group');
  });

  it('creates a group, and names the field the admin API refuses', async () => {
    // Prepare
    const group = `team-${Date.now().toString(36).slice(-5)}`;
    await page.goto(`${consoleUrl}#/groups`);
    await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    // Act: a comma is refused (the authorizer passes groups comma-separated), then a good name
    await page.getByLabel('Name', { exact: true }).fill(`${group},admins`);
    await page.getByRole('button', { name: 'Create group' }).click();
    const error = page.locator('[data-error-for="name"]');
    await error.waitFor();
    const refusal = await error.textContent();
    await page.getByLabel('Name', { exact: true }).fill(group);
    await page.getByRole('button', { name: 'Create group' }).click();
    // Assess
    expect(refusal).toMatch(/^name /);
    await page.getByRole('heading', { name: `Group ${group}`, level: 1 }).waitFor();
  });

  describe('the new user, in a second browser context', () => {
    let second: BrowserContext;
    let userPage: Page;

    beforeAll(async () => {
      second = await browser.newContext({ viewport: { width: 390, height: 844 } });
      userPage = await second.newPage();
    });

    afterAll(async () => {
      await second?.close();
    });

    it('signs in and calls the API, and sees no admin pages', async () => {
      // Act
      await signIn(userPage, consoleUrl, NEW_USER, NEW_USER_PASSWORD);
      const answer = await tryRoute(userPage, 'GET /echo');
      // Assess
      expect(answer.verdict).toContain('200');
      expect(answer.identity).toContain(NEW_USER);
      expect(await userPage.getByRole('link', { name: 'Users' }).count()).toBe(0);
      // Readable on a phone: nothing wider than the screen.
      expect(await userPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await photograph(userPage, 'phone');
    });

    it("is refused at its next API call once alice disables the user (within the authorizer's revocation refresh)", async () => {
      // Act: alice disables the user from the user's page
      await page.goto(`${consoleUrl}#/users/${encodeURIComponent(NEW_USER)}`);
      await page.getByRole('heading', { name: NEW_USER, level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Disable', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Disable', exact: true }).click();
      await actionSettled(page, `${NEW_USER} is disabled and signed out everywhere.`);
      expect(await page.locator('[data-form-error]:not([hidden])').allTextContents()).toEqual([]);
      expect(await page.locator('[data-account-state]').textContent()).toBe('CONFIRMED, disabled');
      await photograph(page, 'user-disabled');
      // Act: the user's page calls the API until refused, for at most the revocation refresh period and a second
      const deadline = Date.now() + (REVOCATION_REFRESH_SECONDS + 1) * 1000;
      let verdict = '';
      do {
        verdict = (await tryRoute(userPage, 'GET /echo')).verdict;
        if (verdict.includes('401')) break;
        await userPage.waitForTimeout(250);
      } while (Date.now() < deadline);
      // Assess
      expect(verdict).toContain('401');
      await userPage.getByText('Your session has ended.').waitFor();
      await photograph(userPage, 'session-ended');
    });

    it('lets alice enable the user again and sign them out everywhere, each after asking', async () => {
      // Act
      await page.getByRole('button', { name: 'Enable', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Enable', exact: true }).click();
      await actionSettled(page, `${NEW_USER} is enabled.`);
      expect(await page.locator('[data-account-state]').textContent()).toBe('CONFIRMED');
      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Sign out everywhere' }).click();
      await actionSettled(page, `${NEW_USER} is signed out everywhere.`);
      // Assess
      expect(await page.locator('[data-form-error]:not([hidden])').allTextContents()).toEqual([]);
      expect(await page.locator('[data-account-state]').textContent()).toBe('CONFIRMED');
    });
  });

  describe('bob, who is not an admin', () => {
    let third: BrowserContext;
    let bobPage: Page;

    beforeAll(async () => {
      third = await browser.newContext({ viewport: { width: 1000, height: 760 } });
      bobPage = await third.newPage();
      await signIn(bobPage, consoleUrl, 'bob', BOB_PASSWORD);
    });

    afterAll(async () => {
      await third?.close();
    });

    it('sees no admin links, and an admin page says it is not available', async () => {
      // Act
      await bobPage.goto(`${consoleUrl}#/users`);
      await bobPage.getByRole('heading', { name: 'Not available', level: 1 }).waitFor();
      // Assess
      expect(await bobPage.getByRole('link', { name: 'Users' }).count()).toBe(0);
      expect(await bobPage.getByRole('link', { name: 'Groups' }).count()).toBe(0);
      expect(await bobPage.getByRole('table').count()).toBe(0);
      await photograph(bobPage, 'not-available');
    });

    it("is refused 403 when his page forces the admin API's create-user call", async () => {
      // Act: the attacker's request in full, sent from bob's signed-in page with his session cookie
      const status = await bobPage.evaluate(async () => {
        const response = await fetch('/admin/users', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({
            username: 'mallory',
            email: 'mallory@example.com',
            groups: ['admins'],
            sendInvite: false,
          }),
        });
        return response.status;
      });
      const listing = await bobPage.evaluate(async () => (await fetch('/admin/users')).status);
      // Assess
      expect(status).toBe(403);
      expect(listing).toBe(403);
      const mallory = await page.evaluate(async () => (await fetch('/admin/users/mallory')).status);
      expect(mallory).toBe(404);
    });
  });

  it('runs no inline script: the browser enforces the Content-Security-Policy', async () => {
    // Act: an inline script added to the page, as an injection would
    await page.goto(consoleUrl);
    await page.getByRole('heading', { name: 'Who am I', level: 1 }).waitFor();
    const outcome = await page.evaluate(
      () =>
        new Promise<{ ran: boolean; violated: string }>((resolve) => {
          document.addEventListener('securitypolicyviolation', (event) =>
            resolve({ ran: 'injected' in window, violated: event.effectiveDirective }),
          );
          const script = document.createElement('script');
          script.textContent = 'window.injected = true';
          document.body.append(script);
        }),
    );
    // Assess
    expect(outcome).toEqual({ ran: false, violated: 'script-src-elem' });
  });

  it('signs alice out with a form post and comes back to the console, signed out', async () => {
    // Act
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(consoleUrl);
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    // Assess
    const names = (await alice.cookies(consoleUrl)).map((cookie) => cookie.name);
    expect(names.filter((name) => /session|refresh/.test(name))).toEqual([]);
    expect(await page.evaluate(async () => (await fetch('/echo')).status)).toBe(401);
  });
});
