/**
 * The admin dashboard (issue 14) as an admin works with it, in a real Chromium against the built
 * web app and API: add a domain and watch its live DNS check go from missing to published when the
 * test's fixed zone changes; create an account (generated password) and log in as it; set a quota
 * and meet 452 4.2.2 over SMTP; disable an account and see every login refused; add an alias and see
 * mail arrive; hold, release and retry a queued message against a scripted remote; find each action
 * in the audit log. A non-admin gets the not-found page and 403s. axe on every admin page.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type ApiProcess, createTestDatabase, startApiProcess, type TestDatabase } from '@correio/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchBrowser } from './browser';
import { imapLogin, pop3Login, smtpSend, submissionLogin } from './support/admin-wire';
import { type RemoteMx, startRemoteMx } from './support/remote-mx';
import { restSession } from './support/rest-session';
import { titleSettled } from './support/accessibility';
import { ARTIFACTS, addAccount, ensureWebBuild, type Person, sleep, startWeb, type WebProcess } from './support/web-stack';

const DOMAIN = 'ifsc.edu';
const ADMIN: Person = { address: `postmaster@${DOMAIN}`, password: 'admin-secret-pw-0' };
const ANA: Person = { address: `ana@${DOMAIN}`, password: 'ana-secret-pw-2' };
const BEA = 'bea@example.org';

let db: TestDatabase;
let dataDir: string;
let dnsFile: string;
let api: ApiProcess;
let web: WebProcess;
let browser: LaunchedBrowser;
let remote: RemoteMx;
let remoteAccepts = false;
let admin: { context: BrowserContext; page: Page };
let beaPassword = '';

beforeAll(async () => {
  await ensureWebBuild();
  remote = await startRemoteMx(() => (remoteAccepts ? undefined : { code: 451, text: '4.7.1 greylisted, try again later' }));
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'correio-admin-e2e-'));
  dnsFile = path.join(dataDir, 'dns.json');
  await writeFile(dnsFile, '{}');
  const env = {
    DATABASE_URL: db.url,
    CORREIO_DATA_DIR: dataDir,
    CORREIO_ROLES: 'http,smtp,imap,pop3,delivery',
    CORREIO_DOMAIN: DOMAIN,
    CORREIO_HOSTNAME: 'mx.ifsc.edu',
    CORREIO_ADMIN_ADDRESS: ADMIN.address,
    CORREIO_ADMIN_PASSWORD: ADMIN.password,
    CORREIO_DNS: 'static',
    CORREIO_DNS_RECORDS: dnsFile,
    CORREIO_TRANSPORT_MAP: `remote.example=127.0.0.1:${remote.port}`,
    CORREIO_IMAP_ALLOW_PLAIN_AUTH_ON_LOOPBACK: 'true',
    CORREIO_POP3_ALLOW_PLAIN_AUTH_ON_LOOPBACK: 'true',
    CORREIO_SMTP_ALLOW_PLAIN_AUTH_ON_LOOPBACK: 'true',
  };
  api = await startApiProcess(env);
  await addAccount(env, ANA);
  web = await startWeb(`http://127.0.0.1:${api.httpPort}`, 'admin-e2e-web.log');
  browser = await launchBrowser();
  admin = await openAs(ADMIN);
}, 300_000);

afterAll(async () => {
  await admin?.page.screenshot({ path: path.join(ARTIFACTS, 'admin-e2e.png'), fullPage: true }).catch(() => {});
  await browser?.close();
  await web?.stop();
  if (api) {
    await writeFile(path.join(ARTIFACTS, 'admin-e2e-api.log'), api.output()).catch(() => {});
    await api.stop();
  }
  await remote?.close();
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

async function section(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

async function expectAccessible(page: Page): Promise<void> {
  await titleSettled(page);
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

const toast = (page: Page, text: string | RegExp) => page.getByTestId('admin-toast').filter({ hasText: text }).waitFor();

describe('admin dashboard', () => {
  it('is not there for a non-admin: no link, the not-found page, and 403 from the admin API', async () => {
    const { context, page } = await openAs(ANA);
    try {
      expect(await page.getByTestId('admin-link').count()).toBe(0);
      const res = await page.goto(`${web.origin}/admin/accounts`);
      expect(res?.status()).toBe(404);
      await page.getByText(/could not be found/i).waitFor();
      expect(await page.getByRole('heading', { name: 'Accounts' }).count()).toBe(0);
    } finally {
      await context.close();
    }
    const ana = await restSession(`http://127.0.0.1:${api.httpPort}`, ANA);
    await expect(ana.get('/admin/overview')).rejects.toThrow(/: 403 /);
    await expect(ana.send('POST', '/admin/domains', { name: 'evil.example' })).rejects.toThrow(/: 403 /);
  });

  it('opens from the Admin link on the overview, every page passing axe', async () => {
    const { page } = admin;
    await page.getByTestId('admin-link').click();
    await page.waitForURL(/\/admin$/);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByRole('cell', { name: 'Delivery worker' }).waitFor();
    await expectAccessible(page);
    for (const name of ['Domains', 'Accounts', 'Aliases', 'Queue', 'Audit log']) {
      await section(page, name);
      await expectAccessible(page);
    }
    // The overview again, timed from the link to its figures (the benchmark times it on a large install).
    const t0 = Date.now();
    await section(page, 'Overview');
    await page.getByTestId('queue-depth').waitFor();
    const ms = Date.now() - t0;
    console.log(`admin overview opened in ${ms} ms`);
    expect(ms).toBeLessThan(1000);
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-e2e-overview.png'), fullPage: true });
  });

  it('adds a domain, shows its records with copy buttons, and the live check goes from missing to published', async () => {
    const { page } = admin;
    await section(page, 'Domains');
    await page.getByLabel('New domain').fill('example.org');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await toast(page, 'Domain example.org added');
    const table = page.getByRole('table', { name: 'DNS records for example.org' });
    const mx = table.locator('[data-testid="dns-record"][data-type="MX"]');
    await mx.waitFor();
    expect(await table.locator('[data-testid="dns-record"][data-type="SRV"]').count()).toBe(6);
    await page.getByRole('button', { name: 'Copy MX record for example.org' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('example.org. IN MX 10 mx.ifsc.edu.');

    await page.getByRole('button', { name: 'Check DNS now' }).click();
    await expect.poll(() => mx.getByTestId('dns-status').textContent(), { timeout: 10_000 }).toMatch(/^Missing.*add example\.org\. IN MX 10 mx\.ifsc\.edu\./);

    await writeFile(dnsFile, JSON.stringify({ 'example.org': { MX: [{ exchange: 'mx.ifsc.edu', priority: 10 }], TXT: [['v=spf1 a -all']] } }));
    await sleep(1100); // the resolver looks at the file at most twice a second
    await page.getByRole('button', { name: 'Check DNS now' }).click();
    await expect.poll(() => mx.getByTestId('dns-status').textContent(), { timeout: 10_000 }).toBe('Published');
    const spf = table.locator('[data-testid="dns-record"][data-type="TXT"][data-name="example.org"]');
    expect(await spf.getByTestId('dns-status').textContent()).toMatch(/^Different.*v=spf1 a -all/);
    await expectAccessible(page);

    // DKIM rotation: the new pair is listed next to the old one, then replaces it.
    const dkim = table.locator('[data-testid="dns-record"][data-name$="._domainkey.example.org"]');
    expect(await dkim.count()).toBe(2);
    const before = await dkim.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
    await page.getByRole('button', { name: 'Rotate DKIM keys' }).click();
    await expect.poll(() => dkim.count(), { timeout: 10_000 }).toBe(4);
    await page.getByRole('button', { name: 'Retire old DKIM keys' }).click();
    await expect.poll(() => dkim.count(), { timeout: 10_000 }).toBe(2);
    const after = await dkim.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
    expect(after.filter((n) => before.includes(n))).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-e2e-domains.png'), fullPage: true });
  });

  it('creates an account with a generated password shown once, and one can log in with it', async () => {
    const { page } = admin;
    await section(page, 'Accounts');
    const form = page.getByRole('form', { name: 'Create an account' });
    await form.getByLabel('Address').fill(BEA);
    await form.getByLabel('Display name').fill('Bea');
    await form.getByRole('button', { name: 'Create account' }).click();
    const shown = page.getByTestId('generated-password');
    await shown.waitFor();
    beaPassword = (await shown.textContent()) ?? '';
    expect(beaPassword.length).toBeGreaterThanOrEqual(12);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await shown.count()).toBe(0);

    const bea = await openAs({ address: BEA, password: beaPassword });
    expect(await bea.page.getByTestId('account-address').textContent()).toBe(BEA);
    await bea.context.close();
  });

  it('sets a quota and the MX answers 452 4.2.2 past it', async () => {
    expect((await smtpSend(api.smtpPort, { from: 'x@paulolopes.fr', to: BEA, subject: 'fits' })).data).toMatch(/^250/);
    const { page } = admin;
    await page.getByLabel('Search accounts').fill('bea');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: `Manage ${BEA}` }).click();
    await page.getByLabel('Quota (0 = unlimited)').fill('1');
    await page.getByRole('button', { name: 'Save quota' }).click();
    await toast(page, `${BEA}: quota 1 B`);
    expect((await smtpSend(api.smtpPort, { from: 'x@paulolopes.fr', to: BEA, subject: 'too much' })).rcpt).toMatch(/^452 4\.2\.2/);
  });

  it('disables an account: the webmail, IMAP, POP3 and submission refuse it', async () => {
    // Each login works first, so the refusals below are the disabling's doing.
    expect(await imapLogin(api.imapPort, BEA, beaPassword)).toMatch(/^a1 OK/);
    expect(await pop3Login(api.pop3Port, BEA, beaPassword)).toMatch(/^\+OK/);
    expect(await submissionLogin(api.submissionPort, BEA, beaPassword)).toMatch(/^235/);

    const { page } = admin;
    await page.getByRole('button', { name: 'Disable account' }).click();
    await toast(page, `${BEA} disabled`);
    await page.locator(`[data-testid="account-row"][data-address="${BEA}"]`).getByText('Disabled').waitFor();

    expect(await imapLogin(api.imapPort, BEA, beaPassword)).toMatch(/^a1 NO/);
    expect(await pop3Login(api.pop3Port, BEA, beaPassword)).toMatch(/^-ERR/);
    expect(await submissionLogin(api.submissionPort, BEA, beaPassword)).toMatch(/^535/);
    const context = await browser.newContext();
    const p = context.pages()[0] ?? (await context.newPage());
    await p.goto(`${web.origin}/login`);
    await p.getByTestId('login-address').fill(BEA);
    await p.getByTestId('login-password').fill(beaPassword);
    await p.getByTestId('login-submit').click();
    await p.getByTestId('login-error').waitFor();
    expect(p.url()).toMatch(/\/login/);
    await context.close();
    await expectAccessible(page);
  });

  it('enables it again, resets its password (shown once), and deletes it saying what happens to the mail', async () => {
    const { page } = admin;
    await page.getByRole('button', { name: 'Enable account' }).click();
    await toast(page, `${BEA} enabled`);
    await page.getByRole('button', { name: 'Reset password' }).click();
    const shown = page.getByTestId('account-editor').getByTestId('generated-password');
    await shown.waitFor();
    const fresh = (await shown.textContent()) ?? '';
    expect(fresh).not.toBe(beaPassword);
    expect(await imapLogin(api.imapPort, BEA, beaPassword)).toMatch(/^a1 NO/);
    expect(await imapLogin(api.imapPort, BEA, fresh)).toMatch(/^a1 OK/);

    let question = '';
    page.once('dialog', (d) => {
      question = d.message();
      void d.accept();
    });
    await page.getByRole('button', { name: 'Delete account' }).click();
    await toast(page, `${BEA} is being deleted`);
    expect(question).toMatch(/disabled at once.*mail and folders are then deleted in the background/);
    // The purge worker removes it (and its mail) shortly after.
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Search', exact: true }).click();
        return page.locator(`[data-testid="account-row"][data-address="${BEA}"]`).count();
      }, { timeout: 20_000 })
      .toBe(0);
  });

  it('adds an alias and mail to it arrives at the destination', async () => {
    const { page } = admin;
    await section(page, 'Aliases');
    const form = page.getByRole('form', { name: 'Create an alias' });
    await form.getByLabel('Alias address').fill(`sales@${DOMAIN}`);
    await form.getByLabel(/Destinations/).fill(ANA.address);
    await form.getByRole('button', { name: 'Create alias' }).click();
    await toast(page, `Alias sales@${DOMAIN} → ${ANA.address}`);
    expect((await smtpSend(api.smtpPort, { from: 'x@paulolopes.fr', to: `sales@${DOMAIN}`, subject: 'To sales' })).data).toMatch(/^250/);
    const ana = await restSession(`http://127.0.0.1:${api.httpPort}`, ANA);
    await expect.poll(async () => (await ana.list('inbox')).map((m) => m.subject), { timeout: 15_000 }).toContain('To sales');
  });

  it('holds, releases and retries a queued message against the scripted remote', async () => {
    const sent = await smtpSend(api.submissionPort, {
      from: ANA.address,
      to: 'someone@remote.example',
      subject: 'Queued for the remote',
      auth: { user: ANA.address, password: ANA.password },
    });
    expect(sent.data).toMatch(/^250/);
    const { page } = admin;
    await section(page, 'Queue');
    const row = page.locator('[data-testid="queue-row"]').first();
    // The first attempt meets the remote's 451: deferred.
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return row.textContent();
      }, { timeout: 30_000 })
      .toContain('1 deferred');
    const id = (await row.getAttribute('data-id')) ?? '';

    await page.getByRole('button', { name: `Hold: message ${id}` }).click();
    await toast(page, 'Hold: 1 recipient(s) changed');
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('1 held');
    await page.getByRole('button', { name: `Release: message ${id}` }).click();
    await toast(page, 'Release: 1 recipient(s) changed');
    // Released, it is due at once and meets the 451 again (a second attempt), then waits its turn.
    const rest = await restSession(`http://127.0.0.1:${api.httpPort}`, ADMIN);
    await expect
      .poll(async () => {
        const e = await rest.get<{ recipientList: { attempts: number; state: string; inProgress: boolean }[] }>(`/admin/queue/${id}`);
        return e.recipientList.map((r) => `${r.attempts} ${r.state} ${r.inProgress}`);
      }, { timeout: 30_000 })
      .toEqual(['2 deferred false']);
    expect(remote.received).toHaveLength(0);

    remoteAccepts = true;
    await page.getByRole('button', { name: `Retry now: message ${id}` }).click();
    await toast(page, 'Retry now: 1 recipient(s) changed');
    await expect
      .poll(() => remote.received.some((m) => m.raw.toString().includes('Subject: Queued for the remote')), { timeout: 30_000 })
      .toBe(true);
    await page.getByRole('button', { name: `Details of message ${id}` }).click();
    const attempts = page.getByRole('table', { name: 'Attempts for someone@remote.example' });
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return (await attempts.locator('tbody tr').allTextContents()).join('|');
      }, { timeout: 15_000 })
      .toMatch(/deferred.*451.*\|.*delivered|delivered.*\|.*deferred.*451/);
    await expectAccessible(page);
  });

  it('shows each action in the audit log, filterable, with who did it', async () => {
    const { page } = admin;
    await section(page, 'Audit log');
    const actions = async () => page.locator('[data-testid="audit-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    await expect
      .poll(actions, { timeout: 10_000 })
      .toEqual(
        expect.arrayContaining([
          'domain.create',
          'domain.dkim-rotate',
          'domain.dkim-retire',
          'account.create',
          'account.update',
          'account.password',
          'account.remove',
          'alias.create',
          'queue.hold',
          'queue.release',
          'queue.retry',
        ]),
      );
    expect(await page.locator('[data-testid="audit-row"]').first().textContent()).toContain(ADMIN.address);
    await page.getByLabel(/^Action/).fill('queue.hold');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(actions, { timeout: 10_000 }).toEqual(['queue.hold']);
    await expectAccessible(page);
  });
});
