/**
 * API keys in the webmail (issue 13), as a person uses them in a real Chromium: Settings → API keys,
 * create a key (name, scopes, expiry), see the secret once and copy it, use it from a program
 * (plain fetch with `Authorization: Bearer`), revoke it after the confirmation, and see the program
 * refused at once. Controls are found by their accessible names; axe checks the page.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type ApiProcess, createTestDatabase, startApiProcess, type TestDatabase } from '@correio/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchBrowser } from './browser';
import { titleSettled } from './support/accessibility';
import { ARTIFACTS, addAccount, ensureWebBuild, type Person, startWeb, type WebProcess } from './support/web-stack';

const DOMAIN = 'ifsc.edu';
const ANA: Person = { address: `ana@${DOMAIN}`, password: 'ana-secret-pw-2' };

let db: TestDatabase;
let dataDir: string;
let api: ApiProcess;
let web: WebProcess;
let browser: LaunchedBrowser;
let apiOrigin: string;

beforeAll(async () => {
  await ensureWebBuild();
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'correio-api-keys-e2e-'));
  const env = {
    DATABASE_URL: db.url,
    CORREIO_DATA_DIR: dataDir,
    CORREIO_ROLES: 'http',
    CORREIO_DOMAIN: DOMAIN,
    CORREIO_ADMIN_ADDRESS: `postmaster@${DOMAIN}`,
    CORREIO_ADMIN_PASSWORD: 'admin-secret-pw-0',
  };
  api = await startApiProcess(env);
  apiOrigin = `http://127.0.0.1:${api.httpPort}`;
  await addAccount(env, ANA);
  web = await startWeb(apiOrigin, 'api-keys-e2e-web.log');
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  if (api) {
    await writeFile(path.join(ARTIFACTS, 'api-keys-e2e-api.log'), api.output()).catch(() => {});
    await api.stop();
  }
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function openAs(who: Person): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.origin });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${web.origin}/login`);
  await page.getByTestId('login-address').fill(who.address);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/mail\/\d+/);
  return { context, page };
}

/** A program using the key: no cookie, no CSRF token, straight to the API. */
const mailboxesWithKey = (key: string) => fetch(`${apiOrigin}/api/v1/mailboxes`, { headers: { authorization: `Bearer ${key}` } });

/**
 * The API docs page (Swagger UI at /api/docs, through the web origin's /api proxy), as a reader
 * with a key and no session: Authorize → bearer → the key, then "Try it out" on GET /api/v1/mailboxes.
 */
async function tryInDocs(key: string): Promise<void> {
  const context = await browser.newContext();
  const page = context.pages()[0] ?? (await context.newPage());
  try {
    await page.goto(`${web.origin}/api/docs`);
    await page.getByRole('button', { name: 'Authorize' }).first().click();
    await page.getByLabel('auth-bearer-value').fill(key);
    const bearerForm = page.locator('form').filter({ has: page.getByLabel('auth-bearer-value') });
    await bearerForm.getByRole('button', { name: 'Apply credentials' }).click();
    await page.getByRole('heading', { name: 'Authorized' }).waitFor();
    await page.getByRole('button', { name: 'Close' }).first().click();
    const op = page.locator('#operations-mailboxes-MailboxesController_list');
    await op.locator('.opblock-summary').first().click();
    await op.getByRole('button', { name: 'Try it out' }).click();
    await op.getByRole('button', { name: 'Execute' }).click();
    const status = op.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor();
    expect((await status.textContent())?.trim()).toMatch(/^200\b/);
  } finally {
    await page.screenshot({ path: path.join(ARTIFACTS, 'api-keys-e2e-docs.png'), fullPage: false }).catch(() => {});
    await context.close();
  }
}

describe('Settings → API keys', () => {
  it('creates a key shown once with a copy button, lists it, and revokes it so the program is refused at once', async () => {
    const { context, page } = await openAs(ANA);
    try {
      await page.getByTestId('settings-link').click();
      await page.getByRole('link', { name: 'Manage API keys' }).click();
      await page.waitForURL(/\/settings\/api-keys$/);
      await expect.poll(() => page.getByText('No API keys yet.').isVisible()).toBe(true);

      // A user account is not offered the admin scope.
      expect(await page.getByRole('checkbox', { name: /Administration/ }).count()).toBe(0);
      await page.getByRole('textbox', { name: 'Key name' }).fill('Helpdesk');
      await page.getByRole('checkbox', { name: /Send mail/ }).check();
      expect(await page.getByRole('checkbox', { name: /Read mail/ }).isChecked()).toBe(true);
      await page.getByLabel(/Expires on/).fill('2099-12-31');
      await page.getByRole('button', { name: 'Create key' }).click();

      const secret = page.getByRole('textbox', { name: 'New API key' });
      await secret.waitFor();
      const key = await secret.inputValue();
      expect(key).toMatch(/^cor_[0-9A-Za-z]{10}_[0-9A-Za-z]{43}$/);
      await page.getByRole('button', { name: 'Copy key' }).click();
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Copied to the clipboard.' }).count()).toBe(1);
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

      const row = page.getByTestId('api-key-row').filter({ hasText: 'Helpdesk' });
      await row.waitFor();
      expect(await row.textContent()).toContain(`cor_${key.slice(4, 14)}_…`);
      expect(await row.textContent()).toContain('mail:read, mail:send');
      expect(await row.textContent()).toContain('2099');

      await titleSettled(page);
      const axe = await new AxeBuilder({ page }).include('.settings-pane').withTags(['wcag2a', 'wcag2aa']).disableRules(['color-contrast']).analyze();
      expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

      // The program works with the key, and so does the docs page's "Try it out" with it.
      expect((await mailboxesWithKey(key)).status).toBe(200);
      await tryInDocs(key);

      // Shown once: after Done, and after a reload, the secret is nowhere on the page.
      await page.getByRole('button', { name: 'Done' }).click();
      expect(await secret.count()).toBe(0);
      await page.reload();
      await row.waitFor();
      expect(await page.content()).not.toContain(key.slice(15));
      await expect.poll(async () => (await row.textContent()) ?? '').toMatch(/from 127\.0\.0\.1/);

      // Revoke: asks first; Cancel keeps the key.
      await page.getByRole('button', { name: 'Revoke key Helpdesk' }).click();
      await page.getByRole('button', { name: 'Cancel' }).click();
      expect((await mailboxesWithKey(key)).status).toBe(200);
      await page.getByRole('button', { name: 'Revoke key Helpdesk' }).click();
      await page.getByRole('button', { name: 'Revoke Helpdesk' }).click();
      await expect.poll(() => page.getByText('No API keys yet.').isVisible()).toBe(true);
      expect((await mailboxesWithKey(key)).status).toBe(401);
    } finally {
      await page.screenshot({ path: path.join(ARTIFACTS, 'api-keys-e2e.png') }).catch(() => {});
      await context.close();
    }
  }, 120_000);
});
