/**
 * Webmail, end to end, with nothing mocked: the built API (HTTP + SMTP MX) on a throwaway database,
 * the built Next.js web app in front of it, mail delivered over a real SMTP socket, and Debian's
 * Chromium driving the UI like a person would.
 *
 * The hostile-HTML case is DESIGN invariant 8: a message full of scripts, handlers and remote loads
 * must open with no script running and no request leaving the web origin, until the reader clicks
 * "Show images" (and then only images load).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type ApiProcess,
  code,
  createTestDatabase,
  repoRoot,
  SmtpTranscript,
  startApiProcess,
  type TestDatabase,
} from '@correio/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchBrowser } from './browser';
import { ARTIFACTS, addAccount, ensureWebBuild, sleep, startWeb, type WebProcess } from './support/web-stack';

const DOMAIN = 'ifsc.edu';
const JOEL = { address: `joel@${DOMAIN}`, password: 'joel-secret-pw-1' };
const ANA = { address: `ana@${DOMAIN}`, password: 'ana-secret-pw-2' };
const CARLA = { address: `carla@${DOMAIN}`, password: 'carla-secret-pw-3' };
const DORA = { address: `dora@${DOMAIN}`, password: 'dora-secret-pw-4' };

let db: TestDatabase;
let dataDir: string;
let api: ApiProcess;
let web: WebProcess;
let tracker: Tracker;
let browser: LaunchedBrowser;
let webOrigin: string;

// ---------------------------------------------------------------------------------------------
// Service under test
// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  if (!existsSync(path.join(repoRoot, 'apps/api/dist/main.js'))) {
    throw new Error('apps/api/dist/main.js is missing: run `npm run build` before the system tests');
  }
  await ensureWebBuild();
  await mkdir(ARTIFACTS, { recursive: true });

  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'correio-e2e-'));
  const env = {
    DATABASE_URL: db.url,
    CORREIO_DATA_DIR: dataDir,
    CORREIO_ROLES: 'http,smtp',
    CORREIO_DOMAIN: DOMAIN,
    CORREIO_ADMIN_ADDRESS: `postmaster@${DOMAIN}`,
    CORREIO_ADMIN_PASSWORD: 'admin-secret-pw-0',
  };
  api = await startApiProcess(env);
  await addAccount(env, JOEL);
  await addAccount(env, ANA);
  await addAccount(env, CARLA);
  await addAccount(env, DORA);

  web = await startWeb(`http://127.0.0.1:${api.httpPort}`);
  webOrigin = web.origin;
  tracker = await startTracker();
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await tracker?.close();
  await web?.stop();
  if (api) {
    await writeFile(path.join(ARTIFACTS, 'webmail-e2e-api.log'), api.output()).catch(() => {});
    await api.stop();
  }
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// A web server standing in for a sender's tracking pixels and script endpoints
// ---------------------------------------------------------------------------------------------

interface Tracker {
  base: string;
  hits: { path: string; referer: string | undefined }[];
  close(): Promise<void>;
}

async function startTracker(): Promise<Tracker> {
  const hits: Tracker['hits'] = [];
  // 1×1 transparent GIF
  const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
  const server = http.createServer((req, res) => {
    hits.push({ path: req.url ?? '', referer: req.headers.referer });
    res.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store' });
    res.end(gif);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------
// Mail delivery over the real MX port
// ---------------------------------------------------------------------------------------------

async function deliver(to: string, message: string, from = 'bruna@paulolopes.fr'): Promise<void> {
  const smtp = await SmtpTranscript.connect(api.smtpPort);
  try {
    expect(code(await smtp.read())).toBe(220);
    expect(code(await smtp.command('EHLO mx.paulolopes.fr'))).toBe(250);
    expect(code(await smtp.command(`MAIL FROM:<${from}>`))).toBe(250);
    expect(code(await smtp.command(`RCPT TO:<${to}>`))).toBe(250);
    expect(code(await smtp.command('DATA'))).toBe(354);
    // RFC 5321 §4.5.2: a line starting with "." gets one more.
    const data = message.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
    smtp.write(`${data}${data.endsWith('\r\n') ? '' : '\r\n'}.\r\n`);
    expect(code(await smtp.read())).toBe(250);
    await smtp.command('QUIT');
  } finally {
    smtp.close();
  }
}

let seq = 0;
function rfc822(opts: { to: string; subject: string; body: string; html?: boolean; fromName?: string }): string {
  seq += 1;
  return [
    `From: ${opts.fromName ?? 'Bruna Lopes'} <bruna@paulolopes.fr>`,
    `To: <${opts.to}>`,
    `Subject: ${opts.subject}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <e2e-${Date.now()}-${seq}@paulolopes.fr>`,
    'MIME-Version: 1.0',
    `Content-Type: ${opts.html ? 'text/html' : 'text/plain'}; charset=utf-8`,
    'Content-Transfer-Encoding: 8bit',
    '',
    opts.body,
    '',
  ].join('\r\n');
}

// ---------------------------------------------------------------------------------------------
// Browser helpers
// ---------------------------------------------------------------------------------------------

interface Observed {
  context: BrowserContext;
  page: Page;
  requests: { url: string; failure?: string }[];
  console: string[];
  dialogs: string[];
  popups: string[];
}

async function openBrowser(): Promise<Observed> {
  const context = await browser.newContext();
  const page = context.pages()[0] ?? (await context.newPage());
  const o: Observed = { context, page, requests: [], console: [], dialogs: [], popups: [] };
  // These tests read the list message by message (conversation view off); conversations are
  // covered by webmail-organize.e2e.test.ts.
  await context.addInitScript(() => localStorage.setItem('correio.conversations', 'false'));
  // Context-wide, so requests from the message iframe are seen too.
  context.on('request', (r) => void o.requests.push({ url: r.url() }));
  context.on('requestfailed', (r) => {
    const rec = [...o.requests].reverse().find((x) => x.url === r.url() && x.failure === undefined);
    if (rec) rec.failure = r.failure()?.errorText ?? 'failed';
  });
  context.on('page', (p) => void o.popups.push(p.url()));
  page.on('console', (m) => void o.console.push(`${m.type()}: ${m.text()}`));
  page.on('dialog', (d) => {
    o.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return o;
}

async function login(page: Page, who: { address: string; password: string }): Promise<void> {
  await page.goto(`${webOrigin}/login`);
  await page.getByTestId('login-address').fill(who.address);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/mail\/\d+/);
  await page.getByTestId('mailbox-list').waitFor();
}

function row(page: Page, subject: string) {
  return page.getByTestId('message-row').filter({ has: page.getByTestId('message-subject').getByText(subject, { exact: true }) });
}

function mailbox(page: Page, name: string) {
  return page.locator(`[data-testid="mailbox-item"][data-mailbox-name="${name}"]`);
}

function listTitled(page: Page, title: string) {
  return page.locator('[data-testid="list-title"]', { hasText: new RegExp(`^${title}$`) });
}

async function unreadOf(page: Page, name: string): Promise<number> {
  return Number(await mailbox(page, name).getAttribute('data-unread'));
}

/** Requests that actually left the browser for somewhere other than the web app. */
function offOrigin(o: Observed) {
  return o.requests.filter((r) => {
    if (/^(data|about|blob):/.test(r.url)) return false;
    return new URL(r.url).origin !== webOrigin;
  });
}


// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('webmail', () => {
  it('sends a visitor without a session to the login page', async () => {
    const o = await openBrowser();
    await o.page.goto(`${webOrigin}/mail`);
    await o.page.waitForURL(/\/login\?next=/);
    await expect(o.page.getByTestId('login-form').isVisible()).resolves.toBe(true);
    await o.context.close();
  });

  it('says so when the password is wrong, and stays on the login page', async () => {
    const o = await openBrowser();
    await o.page.goto(`${webOrigin}/login`);
    await o.page.getByTestId('login-address').fill(JOEL.address);
    await o.page.getByTestId('login-password').fill('not-the-password');
    await o.page.getByTestId('login-submit').click();
    const error = o.page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/wrong address or password/i);
    expect(new URL(o.page.url()).pathname).toBe('/login');
    await o.context.close();
  });

  it('shows mail delivered over SMTP in the list, and opening it shows it and marks it read', async () => {
    await deliver(
      JOEL.address,
      rfc822({
        to: JOEL.address,
        subject: 'Pauta da reunião de quinta',
        body: 'Olá Joel,\n\nseguem os pontos da reunião: migração do MX e testes de IMAP.\n\nAbraços,\nBruna',
      }),
    );
    const o = await openBrowser();
    const { page } = o;
    await login(page, JOEL);

    expect(await page.getByTestId('list-title').textContent()).toBe('Inbox');
    const names = await page.getByTestId('mailbox-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-special-use')));
    expect(names.slice(0, 6)).toEqual(['inbox', 'drafts', 'sent', 'archive', 'junk', 'trash'].filter((s) => names.includes(s)));

    const r = row(page, 'Pauta da reunião de quinta');
    await r.waitFor();
    expect(await r.getAttribute('data-seen')).toBe('false');
    expect(await r.getByTestId('message-from').textContent()).toBe('Bruna Lopes');
    const unreadBefore = await unreadOf(page, 'Inbox');
    expect(unreadBefore).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'webmail-list.png') });

    await r.getByRole('link').click();
    await page.waitForURL(/\/mail\/\d+\/\d+$/);
    await expect(page.getByTestId('reading-subject').textContent()).resolves.toBe('Pauta da reunião de quinta');
    await page.getByTestId('message-text').getByText('migração do MX e testes de IMAP', { exact: false }).waitFor();
    await page.waitForFunction(
      ([sel]) => document.querySelector(sel!)?.getAttribute('data-seen') === 'true',
      [`[data-testid="message-row"][data-message-id="${await r.getAttribute('data-message-id')}"]`],
    );
    await page.waitForFunction(
      ([n]) => Number(document.querySelector('[data-testid="mailbox-item"][data-mailbox-name="Inbox"]')?.getAttribute('data-unread')) === n,
      [unreadBefore - 1],
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'webmail-mail-view.png') });

    // The read state is the server's, not just the page's.
    await page.reload();
    await row(page, 'Pauta da reunião de quinta').waitFor();
    expect(await row(page, 'Pauta da reunião de quinta').getAttribute('data-seen')).toBe('true');
    expect(o.dialogs).toEqual([]);
    expect(offOrigin(o)).toEqual([]);

    // Signing out ends the session on the server: the mail view sends us back to the login page.
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login/);
    await page.goto(`${webOrigin}/mail`);
    await page.waitForURL(/\/login\?next=/);
    await o.context.close();
  });

  it('flags, marks unread, moves to Archive and deletes to Trash', async () => {
    const subject = 'Relatório do laboratório de redes';
    await deliver(JOEL.address, rfc822({ to: JOEL.address, subject, body: 'Segue o relatório.' }));
    const o = await openBrowser();
    const { page } = o;
    await login(page, JOEL);
    const r = row(page, subject);
    await r.getByRole('link').click();
    await page.getByTestId('reading-subject').getByText(subject).waitFor();

    await page.getByTestId('action-toggle-flag').click();
    await page.waitForFunction(
      (id) => document.querySelector(`[data-message-id="${id}"][data-testid="message-row"]`)?.getAttribute('data-flagged') === 'true',
      await r.getAttribute('data-message-id'),
    );
    await page.getByTestId('action-toggle-seen').click();
    await page.waitForFunction(
      (id) => document.querySelector(`[data-message-id="${id}"][data-testid="message-row"]`)?.getAttribute('data-seen') === 'false',
      await r.getAttribute('data-message-id'),
    );

    // Both changes reached the server.
    await page.goto(`${webOrigin}/mail`);
    await row(page, subject).waitFor();
    expect(await row(page, subject).getAttribute('data-flagged')).toBe('true');
    expect(await row(page, subject).getAttribute('data-seen')).toBe('false');

    await row(page, subject).getByRole('link').click();
    await page.getByTestId('reading-subject').getByText(subject).waitFor();
    await page.getByTestId('action-move').click();
    await page.locator('[data-testid="move-target"][data-mailbox-name="Archive"]').click();
    await row(page, subject).waitFor({ state: 'detached' });

    await mailbox(page, 'Archive').click();
    await listTitled(page, 'Archive').waitFor();
    await row(page, subject).getByRole('link').click();
    await page.getByTestId('reading-subject').getByText(subject).waitFor();
    await page.getByTestId('action-delete').click();
    await row(page, subject).waitFor({ state: 'detached' });

    await mailbox(page, 'Trash').click();
    await listTitled(page, 'Trash').waitFor();
    await row(page, subject).waitFor();
    expect(o.dialogs).toEqual([]);
    await o.context.close();
  });

  it('opens hostile HTML with no script running and nothing loaded until "Show images"', async () => {
    const t = tracker.base;
    const html = `<html><head>
<meta http-equiv="refresh" content="0;url=${t}/refresh">
<link rel="stylesheet" href="${t}/style.css">
<style>@import url("${t}/import.css"); .bg { background-image: url("${t}/bg.png"); }</style>
<script>console.log('PWNED script'); top.__pwned = 'script'; fetch('${t}/script-fetch'); alert('pwned');</script>
</head><body>
<p class="bg">Hostile body marker HOSTILE-OK</p>
<img src="x" onerror="console.log('PWNED onerror'); parent.__pwned = 'onerror'; fetch('${t}/onerror')">
<img src="${t}/tracker.png" width="1" height="1" alt="">
<svg onload="console.log('PWNED svg'); parent.__pwned = 'svg'"><circle r="1"/></svg>
<a href="javascript:parent.__pwned='link'">a javascript link</a>
<iframe src="${t}/frame"></iframe>
<object data="${t}/object"></object>
<form action="${t}/form"><input name="q" value="x"><button>go</button></form>
<div style="background:url(${t}/inline-style.png)">styled block</div>
</body></html>`;
    const subject = 'Fatura em aberto — veja o anexo';
    await deliver(JOEL.address, rfc822({ to: JOEL.address, subject, body: html, html: true, fromName: 'Cobrança' }));

    const o = await openBrowser();
    const { page } = o;
    await login(page, JOEL);
    await row(page, subject).getByRole('link').click();
    await page.getByTestId('reading-subject').getByText(subject).waitFor();

    const frameEl = page.getByTestId('message-frame');
    await frameEl.waitFor();
    const sandbox = (await frameEl.getAttribute('sandbox')) ?? 'missing';
    expect(sandbox.split(/\s+/)).not.toContain('allow-scripts');
    expect(sandbox.split(/\s+/)).not.toContain('allow-same-origin');
    const srcdoc = (await frameEl.getAttribute('srcdoc')) ?? '';
    expect(srcdoc).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'; font-src data:`,
    );
    // The body is really shown.
    await page.frameLocator('[data-testid="message-frame"]').getByText('HOSTILE-OK').waitFor();
    await page.getByTestId('remote-content-bar').waitFor();
    await sleep(1500); // let anything that would load or fire do so

    expect(o.dialogs).toEqual([]);
    expect(o.console.filter((c) => c.includes('PWNED'))).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(tracker.hits).toEqual([]);
    expect(o.popups).toEqual([]);
    // Every request the page (and its frames) made went to the web app. The API leaves CSS url()s
    // in style attributes (flagged, not removed), so Chromium may *attempt* one: the frame's CSP
    // must then have refused it inside the browser (Playwright reports errorText "csp").
    expect(offOrigin(o).filter((r) => r.failure !== 'csp')).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'webmail-hostile-blocked.png') });

    // The reader opts in: images (and only images) load, still without a Referer, still no script.
    // The body with images comes from the API on a slow network: until it is here the blocked
    // body and the bar stay (the button says it is loading); the frame is then made once for it.
    let releaseAllowed = () => {};
    const allowedHeld = new Promise<void>((resolve) => (releaseAllowed = resolve));
    await page.route(
      (url) => url.searchParams.get('remote') === 'allow',
      async (route) => {
        await allowedHeld;
        await route.continue();
      },
    );
    await page.getByTestId('show-images').click();
    await page.getByTestId('show-images').getByText('Loading images…').waitFor();
    expect(await page.getByTestId('show-images').isDisabled()).toBe(true);
    expect(await frameEl.getAttribute('srcdoc')).not.toContain(`${t}/tracker.png`);
    releaseAllowed();
    await page.getByTestId('remote-content-bar').waitFor({ state: 'detached' });
    expect(await frameEl.getAttribute('srcdoc')).toContain(`${t}/tracker.png`);
    const deadline = Date.now() + 10_000;
    while (!tracker.hits.some((h) => h.path === '/tracker.png') && Date.now() < deadline) await sleep(100);
    await sleep(1000);
    if (!tracker.hits.some((h) => h.path === '/tracker.png')) {
      // Say what the browser did, so a failure here can be told apart from the app's.
      console.error('remote images did not load; frame requests:', JSON.stringify(o.requests.slice(-20)), o.console);
    }
    expect(tracker.hits.map((h) => h.path)).toContain('/tracker.png');
    for (const hit of tracker.hits) {
      expect(['/tracker.png', '/bg.png', '/inline-style.png']).toContain(hit.path);
      expect(hit.referer).toBeUndefined();
    }
    expect(o.dialogs).toEqual([]);
    expect(o.console.filter((c) => c.includes('PWNED'))).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();

    // Another message opens with remote content blocked again.
    tracker.hits.length = 0;
    await page
      .getByTestId('message-row')
      .filter({ hasNot: page.getByText(subject, { exact: true }) })
      .first()
      .getByRole('link')
      .click();
    await page.getByTestId('reading-subject').waitFor();
    await row(page, subject).getByRole('link').click();
    await page.getByTestId('remote-content-bar').waitFor();
    await sleep(1000);
    expect(tracker.hits).toEqual([]);
    await o.context.close();
  });

  it('pages through a long mailbox with "load more" and steps through it with j/k', async () => {
    const count = 55;
    for (let i = 1; i <= count; i++) {
      await deliver(CARLA.address, rfc822({ to: CARLA.address, subject: `Lote ${i}`, body: `Mensagem ${i}` }));
    }
    const o = await openBrowser();
    const { page } = o;
    await login(page, CARLA);
    await row(page, `Lote ${count}`).waitFor();
    // One page of 50 loaded (the list is virtualized: only the rows in view are in the DOM).
    expect(await page.getByTestId('message-list').getAttribute('data-count')).toBe('50');
    // Newest first.
    const firstSubjects = await page.getByTestId('message-subject').allTextContents();
    expect(firstSubjects.slice(0, 3)).toEqual([`Lote ${count}`, `Lote ${count - 1}`, `Lote ${count - 2}`]);

    // Scrolling to the end loads the next page by cursor; every message once.
    const seen = new Set<string>();
    for (let i = 0; i < 20 && !seen.has('Lote 1'); i++) {
      for (const s of await page.getByTestId('message-subject').allTextContents()) seen.add(s);
      await page.getByTestId('message-scroll').evaluate((el) => el.scrollBy(0, el.clientHeight / 2));
      await sleep(100);
    }
    for (const s of await page.getByTestId('message-subject').allTextContents()) seen.add(s);
    await expect.poll(() => page.getByTestId('message-list').getAttribute('data-count')).toBe(String(count));
    expect(seen.size).toBe(count);
    expect(await page.getByTestId('load-more').count()).toBe(0);
    await page.getByTestId('message-scroll').evaluate((el) => el.scrollTo(0, 0));

    // Keyboard: open the newest, j → the next older one, k → back.
    await row(page, `Lote ${count}`).getByRole('link').click();
    await page.getByTestId('reading-subject').getByText(`Lote ${count}`, { exact: true }).waitFor();
    await page.locator('body').focus();
    await page.keyboard.press('j');
    await page
      .getByTestId('reading-subject')
      .getByText(`Lote ${count - 1}`, { exact: true })
      .waitFor();
    await page.keyboard.press('k');
    await page.getByTestId('reading-subject').getByText(`Lote ${count}`, { exact: true }).waitFor();
    await o.context.close();
  });

  it('prefetches the first rows in view once the list is idle, marks nothing read, and opens a prefetched row without asking again', async () => {
    for (let i = 1; i <= 8; i++) {
      await deliver(DORA.address, rfc822({ to: DORA.address, subject: `Aviso ${i}`, body: `Texto do aviso ${i}` }));
    }
    const o = await openBrowser();
    const { page } = o;
    await login(page, DORA);
    await row(page, 'Aviso 8').waitFor();
    const unreadBefore = await unreadOf(page, 'Inbox');
    expect(unreadBefore).toBe(8);
    const gets = (kind: 'messages') =>
      o.requests.map((r) => new URL(r.url).pathname).filter((p) => new RegExp(`^/api/v1/${kind}/\\d+$`).test(p));
    // Settle (600 ms) + idle: the first six rows' bodies (and, in conversation view, conversations).
    await expect.poll(() => new Set(gets('messages')).size, { timeout: 5000 }).toBe(6);
    await sleep(500);
    expect(new Set(gets('messages')).size).toBe(6);
    // Nothing was marked read, on the page or on the server.
    expect(await page.getByTestId('message-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-seen')))).not.toContain('true');
    expect(await unreadOf(page, 'Inbox')).toBe(unreadBefore);

    // Opening a prefetched row asks for neither its conversation nor its body again.
    const top = row(page, 'Aviso 8');
    const id = await top.getAttribute('data-message-id');
    const before = o.requests.length;
    await top.getByRole('link').click();
    await page.getByTestId('message-text').getByText('Texto do aviso 8', { exact: false }).waitFor();
    const after = o.requests.slice(before).map((r) => new URL(r.url).pathname);
    expect(after.filter((p) => /^\/api\/v1\/(conversations|messages)\/\d+$/.test(p))).toEqual([]);
    // Opening it (not the prefetch) marks it read.
    await page.waitForFunction(([sel]) => document.querySelector(sel!)?.getAttribute('data-seen') === 'true', [
      `[data-testid="message-row"][data-message-id="${id}"]`,
    ]);
    await page.reload();
    await row(page, 'Aviso 7').waitFor();
    await expect.poll(() => unreadOf(page, 'Inbox')).toBe(unreadBefore - 1);
    expect(await row(page, 'Aviso 7').getAttribute('data-seen')).toBe('false');

    // Conversation view (the default; these tests pin the flat one): conversations are prefetched
    // too, and still nothing is marked read.
    await o.context.addInitScript(() => localStorage.setItem('correio.conversations', 'true'));
    const from = o.requests.length;
    await page.goto(page.url().replace(/\/\d+$/, ''));
    await row(page, 'Aviso 7').waitFor();
    const conversationGets = () =>
      new Set(o.requests.slice(from).map((r) => new URL(r.url).pathname).filter((p) => /^\/api\/v1\/conversations\/\d+$/.test(p))).size;
    await expect.poll(conversationGets, { timeout: 5000 }).toBe(6);
    expect(o.requests.slice(from).some((r) => new URL(r.url).pathname === '/api/v1/conversations')).toBe(true);
    await sleep(500);
    expect(await unreadOf(page, 'Inbox')).toBe(unreadBefore - 1);
    expect(await row(page, 'Aviso 7').getAttribute('data-seen')).toBe('false');
    await o.context.close();
  });

  it("never shows one account's mail to another", async () => {
    await deliver(ANA.address, rfc822({ to: ANA.address, subject: 'Só para a Ana', body: 'Oi Ana!' }));

    // Joel's inbox and one of his messages, as Joel sees them.
    const joel = await openBrowser();
    await login(joel.page, JOEL);
    const joelRow = row(joel.page, 'Pauta da reunião de quinta');
    await joelRow.waitFor();
    const joelMessageId = await joelRow.getAttribute('data-message-id');
    const joelInboxPath = new URL(joel.page.url()).pathname;
    await joel.context.close();

    const ana = await openBrowser();
    const { page } = ana;
    await login(page, ANA);
    await row(page, 'Só para a Ana').waitFor();
    const subjects = await page.getByTestId('message-subject').allTextContents();
    expect(subjects).toEqual(['Só para a Ana']);
    expect(await page.getByTestId('account-address').textContent()).toBe(ANA.address);

    // Joel's objects are indistinguishable from missing ones for Ana (404, not 403).
    const status = await page.evaluate(async (id) => (await fetch(`/api/v1/messages/${id}`)).status, joelMessageId);
    expect(status).toBe(404);
    const rawStatus = await page.evaluate(async (id) => (await fetch(`/api/v1/messages/${id}/raw`)).status, joelMessageId);
    expect(rawStatus).toBe(404);
    await page.goto(`${webOrigin}${joelInboxPath}/${joelMessageId}`);
    await page.getByTestId('reading-error').waitFor();
    expect(await page.getByText('Pauta da reunião de quinta').count()).toBe(0);
    await ana.context.close();
  });
});
