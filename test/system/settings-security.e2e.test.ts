/**
 * Settings and account security (issue 15) as a person uses them in a real Chromium: the display
 * name, a signature and the theme taking effect; changing the password (another browser signed
 * out); signing out another session; turning on 2-Step Verification (codes computed with otplib
 * from the key shown), then signing in with a code and with a recovery code; an app password
 * working for IMAP (imapflow) while a wrong one does not. axe-core checks every settings page.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type ApiProcess, createTestDatabase, startApiProcess, type TestDatabase } from '@correio/testing';
import { ImapFlow } from 'imapflow';
import { generateSync } from 'otplib';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchBrowser } from './browser';
import { titleSettled } from './support/accessibility';
import { ARTIFACTS, addAccount, ensureWebBuild, type Person, startWeb, type WebProcess } from './support/web-stack';

const DOMAIN = 'ifsc.edu';
const ANA: Person = { address: `ana@${DOMAIN}`, password: 'ana-secret-pw-15' };
const BIA: Person = { address: `bia@${DOMAIN}`, password: 'bia-secret-pw-15' };
const CAIO: Person = { address: `caio@${DOMAIN}`, password: 'caio-secret-pw-15' };
const DORA: Person = { address: `dora@${DOMAIN}`, password: 'dora-secret-pw-15' };

/** The machine is shared: give the page time to answer. */
const POLL = { timeout: 15_000 };

let db: TestDatabase;
let dataDir: string;
let api: ApiProcess;
let web: WebProcess;
let browser: LaunchedBrowser;

beforeAll(async () => {
  await ensureWebBuild();
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'correio-settings-e2e-'));
  const env = {
    DATABASE_URL: db.url,
    CORREIO_DATA_DIR: dataDir,
    CORREIO_ROLES: 'http,imap',
    CORREIO_DOMAIN: DOMAIN,
    CORREIO_ADMIN_ADDRESS: `postmaster@${DOMAIN}`,
    CORREIO_ADMIN_PASSWORD: 'admin-secret-pw-0',
  };
  api = await startApiProcess(env);
  for (const who of [ANA, BIA, CAIO, DORA]) await addAccount(env, who);
  web = await startWeb(`http://127.0.0.1:${api.httpPort}`, 'settings-e2e-web.log');
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  if (api) {
    await writeFile(path.join(ARTIFACTS, 'settings-e2e-api.log'), api.output()).catch(() => {});
    await api.stop();
  }
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  return { context, page: context.pages()[0] ?? (await context.newPage()) };
}

async function passwordStep(page: Page, who: Person, password = who.password): Promise<void> {
  await page.goto(`${web.origin}/login`);
  await page.getByTestId('login-address').fill(who.address);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

async function openAs(who: Person, password = who.password): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await newPage();
  await passwordStep(page, who, password);
  await page.waitForURL(/\/mail\/\d+/);
  return { context, page };
}

async function settings(page: Page, section: 'General' | 'Security' | 'App passwords'): Promise<void> {
  await page.getByTestId('settings-link').click();
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: section, exact: true }).click();
  await expect.poll(() => page.getByRole('link', { name: section, exact: true }).getAttribute('aria-current'), POLL).toBe('page');
}

async function expectAccessible(page: Page, view: string): Promise<void> {
  await titleSettled(page);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).exclude('iframe').analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map(
      (v) =>
        `${view}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    ),
  ).toEqual([]);
}

/** A page of this browser is signed out when the webmail sends it to the login form. */
async function expectSignedOut(page: Page): Promise<void> {
  await page.goto(`${web.origin}/mail`);
  await page.waitForURL(/\/login/);
  await page.getByTestId('login-form').waitFor();
}

async function imapLogin(user: string, pass: string): Promise<boolean> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: api.imapsPort,
    secure: true,
    tls: { rejectUnauthorized: false },
    auth: { user, pass },
    logger: false,
  });
  try {
    await client.connect();
    await client.mailboxOpen('INBOX');
    await client.logout();
    return true;
  } catch (err) {
    if ((err as { authenticationFailed?: boolean }).authenticationFailed) return false;
    throw err;
  }
}

describe('Settings and account security', () => {
  it('General: display name, signature and theme take effect; every settings page passes axe', async () => {
    const { context, page } = await openAs(ANA);
    try {
      await settings(page, 'General');
      await expectAccessible(page, 'settings/general');
      await page.getByLabel('Name', { exact: true }).fill('Ana Souza');
      await page.getByRole('button', { name: 'Save name' }).click();
      await page.getByText('Name saved').waitFor();
      // The signature: the compose window opens with it.
      const editor = page.getByRole('textbox', { name: `Signature for ${ANA.address}` });
      await editor.click();
      await page.keyboard.type('Ana Souza, secretaria');
      await editor.locator('xpath=ancestor::div[contains(@class,"signature-block")]').getByRole('button', { name: 'Save' }).click();
      await page.getByText('Signature saved').waitFor();
      await page.getByRole('radio', { name: 'Dark', exact: true }).check();
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme), POLL).toBe('dark');

      await page.reload();
      await expect.poll(() => page.locator('.account-name').textContent(), POLL).toBe('Ana Souza');
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme), POLL).toBe('dark');
      // The saved signature is back in its editor (the compose settings have loaded), and a new message starts with it.
      await page
        .getByRole('textbox', { name: `Signature for ${ANA.address}` })
        .getByText('Ana Souza, secretaria')
        .waitFor();
      await page.getByRole('button', { name: 'Compose' }).click();
      await page.getByRole('dialog', { name: 'New message' }).getByText('Ana Souza, secretaria').waitFor();

      for (const section of ['Security', 'App passwords'] as const) {
        await settings(page, section);
        await page.getByRole('heading', { name: section === 'Security' ? 'Password' : 'App passwords', exact: true }).waitFor();
        await expectAccessible(page, `settings/${section}`);
      }
      await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'API keys' }).click();
      await page.getByText('No API keys yet.').waitFor();
      await expectAccessible(page, 'settings/api-keys');
    } finally {
      await page.screenshot({ path: path.join(ARTIFACTS, 'settings-e2e-general.png') }).catch(() => {});
      await context.close();
    }
  });

  it('Security: signing out another session, then changing the password signs out the others and keeps this one', async () => {
    const laptop = await openAs(BIA);
    const phone = await openAs(BIA);
    const tablet = await openAs(BIA);
    try {
      const { page } = laptop;
      await settings(page, 'Security');
      await expect.poll(() => page.getByTestId('session-row').count(), POLL).toBe(3);
      await page.getByTestId('session-row').filter({ hasText: 'This browser' }).waitFor();
      // "Sign out" on one of the others: that browser is signed out at once.
      await page
        .getByTestId('session-row')
        .filter({ hasNotText: 'This browser' })
        .first()
        .getByRole('button', { name: /^Sign out / })
        .click();
      await expect.poll(() => page.getByTestId('session-row').count(), POLL).toBe(2);
      const survivors = await Promise.all(
        [phone.page, tablet.page].map(async (p) => (await p.request.get(`${web.origin}/api/v1/auth/me`)).status()),
      );
      expect(survivors.sort()).toEqual([200, 401]);

      await page.getByLabel('Current password').fill('not-my-password');
      await page.getByLabel('New password', { exact: true }).fill('bia-new-secret-15');
      await page.getByLabel('Confirm new password').fill('bia-new-secret-15');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('alert').filter({ hasText: 'The current password is not right.' }).waitFor();
      await page.getByLabel('Current password').fill(BIA.password);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByText(/Password changed/).waitFor();
      await expect.poll(() => page.getByTestId('session-row').count(), POLL).toBe(1);
      await expectSignedOut(phone.page);
      await expectSignedOut(tablet.page);
      // This browser stays signed in; the old password no longer works, the new one does.
      await page.reload();
      await page.getByTestId('account-address').waitFor();
      const { page: other } = await newPage();
      await passwordStep(other, BIA);
      await other.getByTestId('login-error').waitFor();
      await passwordStep(other, BIA, 'bia-new-secret-15');
      await other.waitForURL(/\/mail\/\d+/);
    } finally {
      await laptop.page.screenshot({ path: path.join(ARTIFACTS, 'settings-e2e-security.png') }).catch(() => {});
      for (const s of [laptop, phone, tablet]) await s.context.close();
    }
  });

  it('2-Step Verification: turned on with a code; then sign-in asks for a code, or a recovery code (once)', async () => {
    const { context, page } = await openAs(CAIO);
    let secret = '';
    let recovery: string[] = [];
    try {
      await settings(page, 'Security');
      await page.getByRole('button', { name: 'Turn on 2-Step Verification' }).click();
      await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
      secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
      expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
      await page.getByTestId('totp-code').fill(generateSync({ secret }));
      await page.getByRole('button', { name: 'Verify and turn on' }).click();
      const codes = page.getByRole('region', { name: 'Recovery codes' });
      await codes.waitFor();
      recovery = (await codes.locator('code').allTextContents()).map((c) => c.trim());
      expect(recovery).toHaveLength(10);
      await expectAccessible(page, 'settings/security with recovery codes');
      await page.getByRole('button', { name: 'I saved them' }).click();
      await page.getByTestId('two-factor-status').filter({ hasText: '10 recovery codes left' }).waitFor();
      await page.getByTestId('logout').click();
      await page.waitForURL(/\/login/);

      // The password alone: the second step.
      await passwordStep(page, CAIO);
      await page.getByTestId('second-factor-form').waitFor();
      await expectAccessible(page, 'login second step');
      await page.getByTestId('login-code').fill('000000' === generateSync({ secret }) ? '111111' : '000000');
      await page.getByTestId('login-verify').click();
      await page.getByTestId('login-error').filter({ hasText: 'Wrong code' }).waitFor();
      // The set-up used the current time step; the next one is accepted (RFC 6238 §5.2: once each).
      await page.getByTestId('login-code').fill(generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
      await page.getByTestId('login-verify').click();
      await page.waitForURL(/\/mail\/\d+/);
      await page.getByTestId('logout').click();
      await page.waitForURL(/\/login/);

      await passwordStep(page, CAIO);
      await page.getByTestId('login-code').fill(recovery[0]!);
      await page.getByTestId('login-verify').click();
      await page.waitForURL(/\/mail\/\d+/);
      await settings(page, 'Security');
      await page.getByTestId('two-factor-status').filter({ hasText: '9 recovery codes left' }).waitFor();
      await page.getByTestId('logout').click();
      await page.waitForURL(/\/login/);
      // A used recovery code does not work twice.
      await passwordStep(page, CAIO);
      await page.getByTestId('login-code').fill(recovery[0]!);
      await page.getByTestId('login-verify').click();
      await page.getByTestId('login-error').filter({ hasText: 'Wrong code' }).waitFor();
    } finally {
      await page.screenshot({ path: path.join(ARTIFACTS, 'settings-e2e-2fa.png') }).catch(() => {});
      await context.close();
    }
  });

  it('App passwords: one made for IMAP works in imapflow, a wrong one does not, and revoking stops it', async () => {
    const { context, page } = await openAs(DORA);
    try {
      await settings(page, 'App passwords');
      await page.getByLabel('App name').fill('Thunderbird');
      await page.getByLabel('POP3 (download mail)').uncheck();
      await page.getByLabel('SMTP (send mail)').uncheck();
      await page.getByRole('button', { name: 'Create app password' }).click();
      const secret = ((await page.getByTestId('app-password-secret').textContent()) ?? '').trim();
      expect(secret).toMatch(/^[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}$/);
      await page.getByTestId('app-password-row').filter({ hasText: 'Thunderbird' }).filter({ hasText: 'IMAP' }).waitFor();
      await expectAccessible(page, 'settings/app-passwords with a new password');

      expect(await imapLogin(DORA.address, secret)).toBe(true);
      const letters = secret.replaceAll(' ', '');
      expect(await imapLogin(DORA.address, letters.slice(0, 15) + (letters.endsWith('a') ? 'b' : 'a'))).toBe(false);
      await page.reload();
      await page.getByTestId('app-password-row').filter({ hasText: 'from 127.0.0.1' }).waitFor();

      await page.getByRole('button', { name: 'Revoke app password Thunderbird' }).click();
      await page.getByRole('button', { name: 'Revoke Thunderbird' }).click();
      await page.getByText('No app passwords yet.').waitFor();
      expect(await imapLogin(DORA.address, secret)).toBe(false);

      // The Apple profile downloads from the same page, for this account, as a plist.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download profile for Apple Mail' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.mobileconfig$/);
      const profile = readFileSync((await download.path())!, 'utf8');
      expect(profile).toContain('<plist');
      expect(profile).toContain(DORA.address);
    } finally {
      await page.screenshot({ path: path.join(ARTIFACTS, 'settings-e2e-app-passwords.png') }).catch(() => {});
      await context.close();
    }
  });
});
