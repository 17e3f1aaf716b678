/**
 * Writing mail in the webmail, end to end, as a person does it in a real Chromium: the built API
 * (HTTP, MX, delivery worker) on a throwaway database, the built web app in front of it, and a
 * scripted SMTP server standing in for the Internet (the worker reaches it through the transport
 * map; it refuses `nobody@remote.example` with 550 5.1.1).
 *
 * What reaches a recipient is checked as bytes: the local recipient's copy through the REST API and
 * the remote one as the test MX received it, both parsed with mailparser (HTML and text parts,
 * attachments by SHA-256). Controls are found by their accessible names (Gmail's).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ApiProcess, code, createTestDatabase, SmtpTranscript, startApiProcess, type TestDatabase } from '@correio/testing';
import { type ParsedMail, simpleParser } from 'mailparser';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchBrowser } from './browser';
import { type RemoteMx, startRemoteMx } from './support/remote-mx';
import { type RestSession, restSession } from './support/rest-session';
import { ARTIFACTS, addAccount, ensureWebBuild, type Person, sleep, startWeb, type WebProcess } from './support/web-stack';

const DOMAIN = 'ifsc.edu';
const REMOTE = 'remote.example';
const JOEL: Person = { address: `joel@${DOMAIN}`, password: 'joel-secret-pw-1' };
const ANA: Person = { address: `ana@${DOMAIN}`, password: 'ana-secret-pw-2' };
const CARLA: Person = { address: `carla@${DOMAIN}`, password: 'carla-secret-pw-3' };
const DAVI: Person = { address: `davi@${DOMAIN}`, password: 'davi-secret-pw-4' };
const MAX_MESSAGE_BYTES = 30 * 1024 * 1024;

let db: TestDatabase;
let dataDir: string;
let api: ApiProcess;
let web: WebProcess;
let remote: RemoteMx;
let browser: LaunchedBrowser;
let apiOrigin: string;

beforeAll(async () => {
  await ensureWebBuild();
  await mkdir(ARTIFACTS, { recursive: true });
  remote = await startRemoteMx((address) =>
    address.startsWith('nobody@') ? { code: 550, text: '5.1.1 <nobody@remote.example>: Recipient address rejected: User unknown' } : undefined,
  );
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'correio-compose-e2e-'));
  const env = {
    DATABASE_URL: db.url,
    CORREIO_DATA_DIR: dataDir,
    CORREIO_ROLES: 'http,smtp,delivery',
    CORREIO_DOMAIN: DOMAIN,
    CORREIO_ADMIN_ADDRESS: `postmaster@${DOMAIN}`,
    CORREIO_ADMIN_PASSWORD: 'admin-secret-pw-0',
    // Bruna's domain (the Reply-To of a test message) is "the Internet" too.
    CORREIO_TRANSPORT_MAP: `${REMOTE}=127.0.0.1:${remote.port},paulolopes.fr=127.0.0.1:${remote.port}`,
    CORREIO_MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES),
  };
  api = await startApiProcess(env);
  apiOrigin = `http://127.0.0.1:${api.httpPort}`;
  for (const who of [JOEL, ANA, CARLA, DAVI]) await addAccount(env, who);
  // The web server reads the limit too (its /api proxy buffers uploads up to it).
  process.env.CORREIO_MAX_MESSAGE_BYTES = String(MAX_MESSAGE_BYTES);
  web = await startWeb(apiOrigin, 'compose-e2e-web.log');
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  if (api) {
    await writeFile(path.join(ARTIFACTS, 'compose-e2e-api.log'), api.output()).catch(() => {});
    await api.stop();
  }
  await remote?.close();
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Helpers: a person at the browser
// ---------------------------------------------------------------------------------------------

async function openAs(who: Person): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${web.origin}/login`);
  await page.getByTestId('login-address').fill(who.address);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/mail\/\d+/);
  await page.getByTestId('mailbox-list').waitFor();
  return { context, page };
}

function composeWindow(page: Page): Locator {
  return page.getByRole('dialog', { name: /New message|Re:|Fwd:/ }).last();
}

async function addRecipients(field: Locator, addresses: string[]): Promise<void> {
  for (const a of addresses) {
    await field.fill(a);
    await field.press('Enter');
  }
}

async function writeBody(dialog: Locator, text: string): Promise<void> {
  const body = dialog.getByRole('textbox', { name: 'Message body' });
  await body.click();
  await body.pressSequentially(text, { delay: 0 });
}

function toast(page: Page, text: string | RegExp): Locator {
  return page.getByRole('status').filter({ hasText: text });
}

function row(page: Page, subject: string): Locator {
  return page.getByTestId('message-row').filter({ has: page.getByTestId('message-subject').getByText(subject, { exact: true }) });
}

function mailbox(page: Page, name: string): Locator {
  return page.locator(`[data-testid="mailbox-item"][data-mailbox-name="${name}"]`);
}

const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** The newest message with this subject in a mailbox of `who`, parsed from its stored bytes. */
async function received(rest: RestSession, specialUse: string, subject: string): Promise<ParsedMail> {
  const item = await waitFor(`"${subject}" in ${specialUse}`, async () => (await rest.list(specialUse)).find((m) => m.subject === subject));
  return simpleParser(await rest.raw(`/messages/${item.id}/raw`));
}

async function remoteCopy(subject: string, timeoutMs = 20_000): Promise<ParsedMail> {
  return waitFor(
    `"${subject}" at the remote MX`,
    async () => {
      for (const m of remote.received) {
        const parsed = await simpleParser(m.raw);
        if (parsed.subject === subject) return parsed;
      }
      return undefined;
    },
    timeoutMs,
  );
}

async function remoteCount(subject: string): Promise<number> {
  let n = 0;
  for (const m of remote.received) if ((await simpleParser(m.raw)).subject === subject) n++;
  return n;
}

/** The undo window (0 makes "Send" final at once, for tests that are not about undo). */
async function setUndoWindow(who: Person, seconds: number): Promise<void> {
  const rest = await restSession(apiOrigin, who);
  await rest.send('PATCH', '/compose/settings', { undoSendSeconds: seconds });
}

/** Mail from outside, over the real MX port (raw RFC 5322 with CRLF, no final dot). */
async function deliverFromOutside(to: string[], data: string, from = 'bruna@paulolopes.fr'): Promise<void> {
  const smtp = await SmtpTranscript.connect(api.smtpPort);
  try {
    expect(code(await smtp.read())).toBe(220);
    expect(code(await smtp.command('EHLO mx.paulolopes.fr'))).toBe(250);
    expect(code(await smtp.command(`MAIL FROM:<${from}>`))).toBe(250);
    for (const t of to) expect(code(await smtp.command(`RCPT TO:<${t}>`))).toBe(250);
    expect(code(await smtp.command('DATA'))).toBe(354);
    smtp.write(`${data.replace(/^\./gm, '..')}\r\n.\r\n`);
    expect(code(await smtp.read())).toBe(250);
    await smtp.command('QUIT');
  } finally {
    smtp.close();
  }
}

// ---------------------------------------------------------------------------------------------

describe('writing mail in the webmail (Chromium)', () => {
  it('composes rich text with an attachment and sends it to a local and a remote recipient', async () => {
    await setUndoWindow(JOEL, 0);
    const { context, page } = await openAs(JOEL);
    const subject = `Relatório ${Date.now()}`;
    const file = { name: 'planilha.csv', mimeType: 'text/csv', buffer: Buffer.from('mes,valor\njaneiro,10\nfevereiro,20\n') };

    await page.getByRole('button', { name: 'Compose' }).click();
    const dialog = composeWindow(page);
    await dialog.waitFor();
    await addRecipients(dialog.getByRole('combobox', { name: 'To' }), [ANA.address, `paula@${REMOTE}`]);
    await dialog.getByLabel('Subject').fill(subject);
    await writeBody(dialog, 'Segue o relatório ');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('importante');
    await page.keyboard.press('Control+b');
    await page.keyboard.type(' do mês.');
    await dialog.locator('input[type=file]').setInputFiles(file);
    await dialog.getByText('planilha.csv').waitFor();
    await expect.poll(() => dialog.getByRole('progressbar').count(), { timeout: 15_000 }).toBe(0);
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await toast(page, 'Message sent').waitFor();
    await dialog.waitFor({ state: 'detached' });

    const ana = await restSession(apiOrigin, ANA);
    for (const copy of [await received(ana, 'inbox', subject), await remoteCopy(subject)]) {
      // multipart/alternative: an HTML part with the bold word and a faithful text part.
      expect(copy.html).toMatch(/<(strong|b)>importante<\/(strong|b)>/);
      expect(copy.text).toContain('Segue o relatório importante do mês.');
      expect(copy.from?.value[0]?.address).toBe(JOEL.address);
      expect(copy.attachments.map((a) => [a.filename, sha256(a.content)])).toEqual([['planilha.csv', sha256(file.buffer)]]);
    }
    // The subject is RFC 2047-encoded in the bytes: find the remote copy by its parsed subject.
    let raw = '';
    for (const m of remote.received) if ((await simpleParser(m.raw)).subject === subject) raw = m.raw.toString('latin1');
    expect(raw).toMatch(/multipart\/alternative/i);
    await context.close();
  });

  it('marks invalid recipients before sending and suggests people from past mail', async () => {
    const { context, page } = await openAs(JOEL);
    await page.getByRole('button', { name: 'Compose' }).click();
    const dialog = composeWindow(page);
    const to = dialog.getByRole('combobox', { name: 'To' });
    // A pasted list is split into chips; the invalid one is marked.
    await to.focus();
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', text);
      document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, `Carla <${CARLA.address}>, not-an-address; ${DAVI.address}`);
    await dialog.getByRole('button', { name: `Remove ${CARLA.address}` }).waitFor();
    await dialog.getByRole('button', { name: `Remove ${DAVI.address}` }).waitFor();
    expect(await dialog.locator('[aria-invalid="true"]').count()).toBeGreaterThan(0);
    await dialog.getByLabel('Subject').fill('Lista colada');
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await dialog.getByRole('alert').filter({ hasText: 'not-an-address' }).waitFor();
    expect(await dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Remove not-an-address' }).click();

    // Joel wrote to Ana in the first test: typing "an" suggests her (name and address). Contacts
    // are folded from stored mail in the background (ContactsIndexer, every few seconds), and the
    // field asks once per keystroke, so wait until the index holds her before typing.
    const joelRest = await restSession(apiOrigin, JOEL);
    await waitFor('Ana among Joel\'s contacts', async () => {
      const { items } = await joelRest.get<{ items: { address: string }[] }>('/contacts/suggest?q=an&limit=8');
      return items.some((c) => c.address === ANA.address) ? true : undefined;
    });
    const cc = dialog.getByRole('combobox', { name: 'To' });
    await cc.fill('an');
    const option = dialog.getByRole('option').filter({ hasText: ANA.address }).first();
    await option.waitFor({ timeout: 15_000 });
    await cc.press('ArrowDown');
    await cc.press('Enter');
    await dialog.getByRole('button', { name: `Remove ${ANA.address}` }).waitFor();
    await dialog.getByRole('button', { name: 'Discard draft' }).click();
    await dialog.waitFor({ state: 'detached' });
    await context.close();
  });

  it('replies, replies all and forwards with attachments; the original is marked answered', async () => {
    await setUndoWindow(JOEL, 0);
    const subject = `Convite ${Date.now()}`;
    const pdf = randomBytes(50_000);
    const boundary = 'b1';
    await deliverFromOutside(
      [JOEL.address, CARLA.address],
      [
        'From: Bruna Lopes <bruna@paulolopes.fr>',
        `To: ${JOEL.address}`,
        `Cc: ${CARLA.address}, Bruna <bruna@paulolopes.fr>`,
        'Reply-To: Eventos <eventos@paulolopes.fr>',
        `Subject: ${subject}`,
        `Message-ID: <convite-${Date.now()}@paulolopes.fr>`,
        'References: <anterior@paulolopes.fr>',
        `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
        'MIME-Version: 1.0',
        `Content-Type: multipart/mixed; boundary="${boundary}"`,
        '',
        `--${boundary}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Vamos à festa no sábado?',
        `--${boundary}`,
        'Content-Type: application/pdf; name="convite.pdf"',
        'Content-Disposition: attachment; filename="convite.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        pdf.toString('base64').replace(/.{76}/g, '$&\r\n'),
        `--${boundary}--`,
      ].join('\r\n'),
    );
    const { context, page } = await openAs(JOEL);
    await row(page, subject).getByRole('link').click();
    await page.getByTestId('reading-subject').getByText(subject, { exact: true }).waitFor();

    // Reply: to the Reply-To, "Re:" once, the original quoted.
    await page.getByRole('button', { name: 'Reply', exact: true }).click();
    let dialog = composeWindow(page);
    await dialog.getByRole('button', { name: 'Remove eventos@paulolopes.fr' }).waitFor();
    expect(await dialog.getByLabel('Subject').inputValue()).toBe(`Re: ${subject}`);
    await expect.poll(() => dialog.getByRole('textbox', { name: 'Message body' }).textContent()).toMatch(/wrote:[\s\S]*Vamos à festa/);
    await writeBody(dialog, 'Eu vou!');
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await toast(page, 'Message sent').waitFor();
    const reply = await remoteCopy(`Re: ${subject}`);
    expect(reply.to && 'value' in reply.to ? reply.to.value.map((a) => a.address) : []).toEqual(['eventos@paulolopes.fr']);
    expect(reply.inReplyTo).toMatch(/^<convite-/);
    expect(reply.references).toEqual(expect.arrayContaining(['<anterior@paulolopes.fr>', reply.inReplyTo]));
    expect(reply.html).toMatch(/<blockquote/);
    expect(reply.html).toMatch(/wrote:/);
    expect(reply.text).toMatch(/^Eu vou!/);

    // The original is now \Answered.
    const joel = await restSession(apiOrigin, JOEL);
    await expect.poll(async () => (await joel.list('inbox')).find((m) => m.subject === subject)?.answered).toBe(true);

    // Reply all: the Reply-To plus To and Cc, without Joel himself, Re: not stacked.
    await page.getByRole('button', { name: 'Reply all' }).click();
    dialog = composeWindow(page);
    await dialog.getByRole('button', { name: `Remove ${CARLA.address}` }).waitFor();
    expect(await dialog.getByRole('button', { name: `Remove ${JOEL.address}` }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Remove bruna@paulolopes.fr' }).first().waitFor();
    expect(await dialog.getByLabel('Subject').inputValue()).toBe(`Re: ${subject}`);
    await writeBody(dialog, 'Todos convidados.');
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await toast(page, 'Message sent').waitFor();
    const carla = await restSession(apiOrigin, CARLA);
    const carlaCopy = await received(carla, 'inbox', `Re: ${subject}`);
    expect(carlaCopy.inReplyTo).toMatch(/^<convite-/);

    // Forward: the attachment goes along, byte for byte.
    await page.getByRole('button', { name: 'Forward' }).click();
    dialog = composeWindow(page);
    await dialog.getByText('convite.pdf').waitFor();
    expect(await dialog.getByLabel('Subject').inputValue()).toBe(`Fwd: ${subject}`);
    await addRecipients(dialog.getByRole('combobox', { name: 'To' }), [`leo@${REMOTE}`]);
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await toast(page, 'Message sent').waitFor();
    const fwd = await remoteCopy(`Fwd: ${subject}`);
    expect(fwd.attachments.map((a) => [a.filename, sha256(a.content)])).toEqual([['convite.pdf', sha256(pdf)]]);
    expect(fwd.html).toContain('Forwarded message');
    await context.close();
  });

  it('autosaves one draft, resumes it after a reload, and sends it (no draft remains)', async () => {
    await setUndoWindow(CARLA, 0);
    const carla = await restSession(apiOrigin, CARLA);
    const subject = `Rascunho ${Date.now()}`;
    const { context, page } = await openAs(CARLA);
    await page.getByRole('button', { name: 'Compose' }).click();
    const dialog = composeWindow(page);
    await addRecipients(dialog.getByRole('combobox', { name: 'To' }), [`rui@${REMOTE}`]);
    await dialog.getByLabel('Subject').fill(subject);
    await writeBody(dialog, 'Primeira versão');
    await dialog.locator('input[type=file]').setInputFiles({ name: 'notas.txt', mimeType: 'text/plain', buffer: Buffer.from('notas do rascunho\n') });
    await dialog.getByText('Saved', { exact: true }).waitFor({ timeout: 20_000 });
    await writeBody(dialog, ', segunda versão');
    await dialog.getByText('Saved', { exact: true }).waitFor({ timeout: 20_000 });
    await sleep(500);
    const drafts = (await carla.list('drafts')).filter((m) => m.subject === subject);
    expect(drafts).toHaveLength(1);

    // Reload: the window is gone, the draft is in Drafts, and it opens where it was.
    await page.reload();
    await mailbox(page, 'Drafts').click();
    await row(page, subject).getByRole('link').click();
    const resumed = composeWindow(page);
    await resumed.waitFor();
    expect(await resumed.getByLabel('Subject').inputValue()).toBe(subject);
    await expect.poll(() => resumed.getByRole('textbox', { name: 'Message body' }).textContent()).toContain('segunda versão');
    await resumed.getByText('notas.txt').waitFor();
    await resumed.getByRole('button', { name: `Remove rui@${REMOTE}` }).waitFor();
    await resumed.getByRole('button', { name: 'Send', exact: true }).click();
    await toast(page, 'Message sent').waitFor();

    const sent = await remoteCopy(subject);
    expect(sent.text).toContain('Primeira versão, segunda versão');
    expect(sent.attachments.map((a) => a.content.toString())).toEqual(['notas do rascunho\n']);
    await expect.poll(async () => (await carla.list('drafts')).filter((m) => m.subject === subject).length).toBe(0);
    await context.close();
  });

  it('undo within the window delivers nothing and reopens the message; after the window it is delivered once', async () => {
    await setUndoWindow(ANA, 5);
    const { context, page } = await openAs(ANA);
    const subject = `Desfazer ${Date.now()}`;
    await page.getByRole('button', { name: 'Compose' }).click();
    let dialog = composeWindow(page);
    await addRecipients(dialog.getByRole('combobox', { name: 'To' }), [`vera@${REMOTE}`]);
    await dialog.getByLabel('Subject').fill(subject);
    await writeBody(dialog, 'Pensando melhor…');
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    const sent = toast(page, 'Message sent');
    await sent.waitFor();
    await sent.getByRole('button', { name: 'Undo' }).click();
    dialog = composeWindow(page);
    await dialog.waitFor();
    expect(await dialog.getByLabel('Subject').inputValue()).toBe(subject);
    await dialog.getByRole('button', { name: `Remove vera@${REMOTE}` }).waitFor();
    await sleep(7_000);
    expect(await remoteCount(subject)).toBe(0);

    // Send again and let the window pass.
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await toast(page, 'Message sent').waitFor();
    await remoteCopy(subject, 30_000);
    await sleep(3_000);
    expect(await remoteCount(subject)).toBe(1);
    await context.close();
  });

  it('schedules a send, lists it under Scheduled, and cancels it back to Drafts', async () => {
    const { context, page } = await openAs(DAVI);
    const subject = `Agendado ${Date.now()}`;
    await page.getByRole('button', { name: 'Compose' }).click();
    const dialog = composeWindow(page);
    await addRecipients(dialog.getByRole('combobox', { name: 'To' }), [`zeca@${REMOTE}`]);
    await dialog.getByLabel('Subject').fill(subject);
    await writeBody(dialog, 'Para amanhã.');
    await dialog.getByRole('button', { name: 'Schedule send' }).click();
    await page.getByRole('menuitem', { name: /Tomorrow morning/ }).click();
    await toast(page, /scheduled/i).waitFor();

    await page.getByRole('link', { name: /Scheduled/ }).click();
    const item = page.getByRole('listitem').filter({ hasText: subject });
    await item.waitFor();
    await item.getByRole('button', { name: 'Cancel send' }).click();
    await item.waitFor({ state: 'detached' });
    const davi = await restSession(apiOrigin, DAVI);
    await expect.poll(async () => (await davi.list('drafts')).some((m) => m.subject === subject)).toBe(true);
    expect((await davi.get<{ items: unknown[] }>('/messages/scheduled')).items).toEqual([]);
    expect(await remoteCount(subject)).toBe(0);
    await context.close();
  });

  it('uploads a 20 MiB attachment with a progress bar and refuses a file over the limit before uploading', async () => {
    await setUndoWindow(DAVI, 0);
    const { context, page } = await openAs(DAVI);
    const big = randomBytes(20 * 1024 * 1024);
    const subject = `Arquivo grande ${Date.now()}`;
    await page.getByRole('button', { name: 'Compose' }).click();
    const dialog = composeWindow(page);
    await addRecipients(dialog.getByRole('combobox', { name: 'To' }), [ANA.address]);
    await dialog.getByLabel('Subject').fill(subject);

    // Over the limit: refused with a message, and no upload request is made.
    let uploads = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/uploads') && r.method() === 'POST') uploads++;
    });
    await dialog.locator('input[type=file]').setInputFiles({ name: 'enorme.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(MAX_MESSAGE_BYTES + 1) });
    await dialog.getByRole('alert').filter({ hasText: 'enorme.bin' }).waitFor();
    expect(uploads).toBe(0);

    // 20 MiB on a throttled link: the progress bar is there while it uploads.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 40 * 1024 * 1024 });
    await dialog.locator('input[type=file]').setInputFiles({ name: 'video.bin', mimeType: 'application/octet-stream', buffer: big });
    await dialog.getByRole('progressbar').first().waitFor({ timeout: 10_000 });
    await expect.poll(() => dialog.getByRole('progressbar').count(), { timeout: 60_000 }).toBe(0);
    expect(uploads).toBe(1);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await toast(page, 'Message sent').waitFor({ timeout: 60_000 });
    const copy = await received(await restSession(apiOrigin, ANA), 'inbox', subject);
    expect(copy.attachments.map((a) => [a.filename, sha256(a.content)])).toEqual([['video.bin', sha256(big)]]);
    await context.close();
  });

  it('shows delivery status per recipient: queued → delivered, and queued → bounced (550)', async () => {
    await setUndoWindow(CARLA, 0);
    const { context, page } = await openAs(CARLA);
    const subject = `Status ${Date.now()}`;
    await page.getByRole('button', { name: 'Compose' }).click();
    const dialog = composeWindow(page);
    await addRecipients(dialog.getByRole('combobox', { name: 'To' }), [`ok@${REMOTE}`, `nobody@${REMOTE}`]);
    await dialog.getByLabel('Subject').fill(subject);
    await writeBody(dialog, 'Chegou?');
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await toast(page, 'Message sent').waitFor();

    await mailbox(page, 'Sent').click();
    await row(page, subject).getByRole('link').click();
    const status = page.getByRole('region', { name: 'Delivery status' });
    await status.waitFor();
    const ok = status.getByRole('listitem').filter({ hasText: `ok@${REMOTE}` });
    const nobody = status.getByRole('listitem').filter({ hasText: `nobody@${REMOTE}` });
    await ok.getByText(/Delivered/).waitFor({ timeout: 30_000 });
    await expect.poll(() => ok.textContent()).toContain('queued by the test MX');
    await nobody.getByText(/Bounced/).waitFor({ timeout: 30_000 });
    await expect.poll(() => nobody.textContent()).toMatch(/does not exist|5\.1\.1/);
    await context.close();
  });

  it('works from the keyboard alone: compose, fill, send, then reply', async () => {
    await setUndoWindow(ANA, 0);
    const { context, page } = await openAs(ANA);
    const subject = `Teclado ${Date.now()}`;
    await page.locator('body').focus();
    await page.keyboard.press('c');
    const dialog = composeWindow(page);
    await dialog.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id)).toBeTruthy();
    await page.keyboard.type(JOEL.address);
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: `Remove ${JOEL.address}` }).waitFor();
    // Tab on to Subject, then the body.
    for (let i = 0; i < 8; i++) {
      if ((await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '')) === 'Subject') break;
      if (await dialog.getByLabel('Subject').evaluate((el) => el === document.activeElement)) break;
      await page.keyboard.press('Tab');
    }
    await page.keyboard.type(subject);
    await page.keyboard.press('Tab');
    for (let i = 0; i < 12; i++) {
      if (await dialog.getByRole('textbox', { name: 'Message body' }).evaluate((el) => el === document.activeElement || el.contains(document.activeElement))) break;
      await page.keyboard.press('Tab');
    }
    await page.keyboard.type('Só com o teclado.');
    await page.keyboard.press('Control+Enter');
    await toast(page, 'Message sent').waitFor();
    await dialog.waitFor({ state: 'detached' });

    // Joel replies without the mouse: open the newest message with Enter/o, then r, type, Ctrl+Enter.
    const joel = await openAs(JOEL);
    await row(joel.page, subject).waitFor();
    await row(joel.page, subject).getByRole('link').focus();
    await joel.page.keyboard.press('Enter');
    await joel.page.getByTestId('reading-subject').getByText(subject, { exact: true }).waitFor();
    await joel.page.locator('body').focus();
    await joel.page.keyboard.press('r');
    const reply = composeWindow(joel.page);
    await reply.waitFor();
    await expect
      .poll(() => reply.getByRole('textbox', { name: 'Message body' }).evaluate((el) => el === document.activeElement || el.contains(document.activeElement)))
      .toBe(true);
    await joel.page.keyboard.type('Recebido.');
    await joel.page.keyboard.press('Control+Enter');
    await toast(joel.page, 'Message sent').waitFor();
    const ana = await restSession(apiOrigin, ANA);
    const answer = await received(ana, 'inbox', `Re: ${subject}`);
    expect(answer.text).toMatch(/^Recebido\./);
    await joel.context.close();
    await context.close();
  });
});
