/**
 * Mail rules (issue 15) in the real Chromium, as a person sets them: Settings → Vacation responder
 * (a reply arrives at the sender), Settings → Filters (a message lands in its folder, never in
 * INBOX), Block sender from the reading pane (the next message goes to Junk), and Forwarding.
 * Mail comes in through the real MX over a socket; the delivery worker sends replies and forwards.
 * axe-core checks each page.
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
import { sendSmtp } from './support/postfix';
import { type RestSession, restSession } from './support/rest-session';
import { ARTIFACTS, addAccount, ensureWebBuild, type Person, startWeb, type WebProcess } from './support/web-stack';

const DOMAIN = 'regras.test';
const BIA: Person = { address: `bia@${DOMAIN}`, password: 'bia-secret-pw-15' };
const CAIO: Person = { address: `caio@${DOMAIN}`, password: 'caio-secret-pw-15' };
const DORA: Person = { address: `dora@${DOMAIN}`, password: 'dora-secret-pw-15' };

let db: TestDatabase;
let dataDir: string;
let api: ApiProcess;
let web: WebProcess;
let browser: LaunchedBrowser;
let bia: RestSession;
let caio: RestSession;
let dora: RestSession;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  await ensureWebBuild();
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'correio-mail-rules-e2e-'));
  const env = {
    DATABASE_URL: db.url,
    CORREIO_DATA_DIR: dataDir,
    CORREIO_ROLES: 'http,smtp,delivery',
    CORREIO_DOMAIN: DOMAIN,
    CORREIO_ADMIN_ADDRESS: `postmaster@${DOMAIN}`,
    CORREIO_ADMIN_PASSWORD: 'admin-secret-pw-0',
    CORREIO_SRS_SECRET: 'mail-rules-e2e-secret-000',
  };
  api = await startApiProcess(env);
  for (const p of [BIA, CAIO, DORA]) await addAccount(env, p);
  bia = await restSession(`http://127.0.0.1:${api.httpPort}`, BIA);
  caio = await restSession(`http://127.0.0.1:${api.httpPort}`, CAIO);
  dora = await restSession(`http://127.0.0.1:${api.httpPort}`, DORA);
  await bia.send('POST', '/mailboxes', { name: 'Recibos' });
  web = await startWeb(`http://127.0.0.1:${api.httpPort}`, 'mail-rules-e2e-web.log');
  browser = await launchBrowser();
  context = await browser.newContext();
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${web.origin}/login`);
  await page.getByTestId('login-address').fill(BIA.address);
  await page.getByTestId('login-password').fill(BIA.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/mail\/\d+/);
}, 300_000);

afterAll(async () => {
  await page?.screenshot({ path: path.join(ARTIFACTS, 'mail-rules-e2e-last.png') }).catch(() => {});
  await context?.close();
  await browser?.close();
  await web?.stop();
  if (api) {
    await writeFile(path.join(ARTIFACTS, 'mail-rules-e2e-api.log'), api.output()).catch(() => {});
    await api.stop();
  }
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function mx(from: string, to: string, subject: string, body = 'Olá!'): Promise<void> {
  const id = `<${Math.random().toString(36).slice(2)}@${from.split('@')[1]}>`;
  await sendSmtp(
    api.smtpPort,
    { from, to: [to] },
    `From: ${from}\r\nTo: ${to}\r\nSubject: ${subject}\r\nMessage-ID: ${id}\r\n\r\n${body}\r\n`,
  );
}

async function expectAccessible(view: string): Promise<void> {
  await titleSettled(page);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).exclude('iframe').analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${view}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function openSetting(link: string): Promise<void> {
  await page.getByTestId('settings-link').click();
  await page.getByRole('link', { name: link, exact: true }).click();
}

async function inFolder(who: RestSession, name: string): Promise<string[]> {
  const boxes = await who.get<{ items: { id: string; name: string }[] }>('/mailboxes');
  const box = boxes.items.find((b) => b.name === name)!;
  return (await who.get<{ items: { subject: string }[] }>(`/mailboxes/${box.id}/messages?limit=200`)).items.map((m) => m.subject);
}

describe('mail rules in the webmail', () => {
  it('vacation responder: turned on in Settings, the sender gets one automatic reply', async () => {
    await openSetting('Vacation responder');
    await page.getByRole('radio', { name: 'Vacation responder on' }).check();
    await page.getByLabel('Subject').fill('Estou de férias');
    await page.getByLabel('Message').fill('Volto na segunda-feira.');
    await expectAccessible('vacation');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Vacation responder on' }).waitFor();

    await mx(CAIO.address, BIA.address, 'Reunião amanhã?');
    await mx(CAIO.address, BIA.address, 'Reunião amanhã? (2)');
    await expect.poll(async () => (await caio.list('inbox')).map((m) => m.subject), { timeout: 30_000 }).toEqual(['Estou de férias']);
    const [reply] = await caio.list('inbox');
    const raw = (await caio.raw(`/messages/${reply!.id}/raw`)).toString();
    expect(raw).toMatch(/^Auto-Submitted: auto-replied\r$/m);
    expect(raw).toMatch(/^In-Reply-To: </m);
    expect(raw).toContain('Volto na segunda-feira.');
    // Once per sender: the second message got no second reply.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await caio.list('inbox')).length).toBe(1);
    await bia.send('PUT', '/vacation', { enabled: false, message: 'x' });
  });

  it('filters: a filter made with the form puts matching mail straight into its folder', async () => {
    await openSetting('Filters');
    await page.getByRole('button', { name: 'Create a new filter' }).click();
    await page.getByLabel('Filter name').fill('Recibos da loja');
    await page.getByLabel('Condition 1 field').selectOption('from');
    await page.getByLabel('Condition 1 comparison').selectOption('contains');
    await page.getByLabel('Condition 1 value').fill('recibos@loja.example');
    await page.getByLabel('Action 1 type').selectOption('move');
    await page.getByLabel('Action 1 folder').selectOption('Recibos');
    await page.getByRole('button', { name: 'Add action' }).click();
    await page.getByLabel('Action 2 type').selectOption('markRead');
    await expectAccessible('filter form');
    await page.getByRole('button', { name: 'Save filter' }).click();
    await page.getByTestId('filter-item').filter({ hasText: 'Recibos da loja' }).waitFor();
    await expectAccessible('filters');

    await mx('recibos@loja.example', BIA.address, 'Seu recibo 42');
    await expect.poll(() => inFolder(bia, 'Recibos'), { timeout: 15_000 }).toEqual(['Seu recibo 42']);
    expect(await inFolder(bia, 'INBOX')).not.toContain('Seu recibo 42');

    // Export as Sieve shows the same filter.
    await page.getByRole('button', { name: 'Export filters' }).click();
    await expect.poll(() => page.getByLabel('Sieve script').inputValue()).toContain('fileinto "Recibos"');
  });

  it('block sender from the reading pane: their next message goes to Junk', async () => {
    await mx('chato@spam.example', BIA.address, 'Oferta imperdível');
    await page.goto(`${web.origin}/mail`);
    const row = page.getByTestId('message-row').filter({ hasText: 'Oferta imperdível' });
    await row.waitFor({ timeout: 15_000 });
    await row.getByRole('link').first().click();
    await page.getByRole('button', { name: 'Block sender chato@spam.example' }).click();
    await page.getByRole('status').filter({ hasText: 'Blocked chato@spam.example' }).waitFor();
    await expectAccessible('reading pane');

    await mx('chato@spam.example', BIA.address, 'Oferta imperdível 2');
    await expect.poll(() => inFolder(bia, 'Junk'), { timeout: 15_000 }).toContain('Oferta imperdível 2');
    await openSetting('Blocked senders');
    await page.getByText('chato@spam.example').waitFor();
    await expectAccessible('blocked senders');
  });

  it('forwarding: set in Settings, incoming mail is forwarded and a copy kept', async () => {
    await openSetting('Forwarding');
    await page.getByRole('radio', { name: 'Forward a copy of incoming mail' }).check();
    await page.getByLabel(/Forward to/).fill(DORA.address);
    await expectAccessible('forwarding');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Forwarding to ${DORA.address}` })
      .waitFor();

    await mx('ana@fora.example', BIA.address, 'Para a Bia e quem ela quiser');
    await expect
      .poll(async () => (await dora.list('inbox')).map((m) => m.subject), { timeout: 30_000 })
      .toContain('Para a Bia e quem ela quiser');
    expect(await inFolder(bia, 'INBOX')).toContain('Para a Bia e quem ela quiser');
  });
});
