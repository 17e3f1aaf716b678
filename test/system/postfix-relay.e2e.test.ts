/**
 * Postfix relaying to Correio's MX, with nothing mocked: the built API (HTTP + SMTP MX) on a throwaway
 * database (real PostgreSQL when TEST_DATABASE_URL/DATABASE_URL is set, else PGlite), and a private
 * Postfix instance from Debian's package whose transport map and relayhost send ifsc.edu's mail to
 * [127.0.0.1]:<our MX port> — the way an Internet MTA (or a smarthost in front of Correio) delivers.
 *
 *   1. A message injected into Postfix's smtpd reaches Joel's INBOX (checked over REST) byte-exact
 *      in its body, with Postfix's Received: line on top.
 *   2. A message for a user Correio does not have gets our `550 5.1.1` at RCPT: Postfix logs it as
 *      bounced and sends the sender a DSN carrying 5.1.1.
 *   3. One message for a known and an unknown user: the known one gets it, the other bounces.
 *
 * Postfix never talks to anything but 127.0.0.1 (see bench/lib/postfix.mjs). It needs root (its
 * master starts as root) and Debian's `postfix` package, which this test installs when missing;
 * it skips, saying why, only when Postfix cannot be installed or run.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type ApiProcess, createTestDatabase, freePort, repoRoot, startApiProcess, type TestDatabase } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePostfix, type PostfixInstance, queueId, sendSmtp, startPostfix } from './support/postfix';

const run = promisify(execFile);

const DOMAIN = 'ifsc.edu';
const JOEL = { address: `joel@${DOMAIN}`, password: 'joel-secret-pw-1' };
const BRUNA = 'bruna@paulolopes.fr'; // the sender's domain is local to the Postfix instance
const POSTFIX_DOMAIN = 'paulolopes.fr';
const ARTIFACTS = path.join(repoRoot, 'test-results');

const unavailable = await ensurePostfix({ install: true, log: (m) => console.warn(`[postfix-relay] ${m}`) });
if (unavailable) console.warn(`[postfix-relay] SKIPPED: Postfix cannot run here: ${unavailable}`);

let db: TestDatabase;
let dataDir: string;
let api: ApiProcess;
let postfix: PostfixInstance;
let base: string;

describe.skipIf(unavailable !== null)('Postfix (Debian) relaying to our MX', () => {
  beforeAll(async () => {
    if (!existsSync(path.join(repoRoot, 'apps/api/dist/main.js'))) {
      throw new Error('apps/api/dist/main.js is missing: run `npm run build` before the system tests');
    }
    db = await createTestDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), 'correio-e2e-postfix-'));
    const env = {
      DATABASE_URL: db.url,
      CORREIO_DATA_DIR: dataDir,
      CORREIO_ROLES: 'http,smtp',
      CORREIO_DOMAIN: DOMAIN,
      CORREIO_ADMIN_ADDRESS: `postmaster@${DOMAIN}`,
      CORREIO_ADMIN_PASSWORD: 'admin-secret-pw-0',
      // Not the fixed development ports: other instances on this machine may hold them.
      CORREIO_SUBMISSION_PORT: String(await freePort()),
      CORREIO_SUBMISSIONS_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    };
    api = await startApiProcess(env);
    base = `http://127.0.0.1:${api.httpPort}`;
    await run(
      process.execPath,
      [path.join(repoRoot, 'apps/api/dist/cli/main.js'), 'account', 'add', JOEL.address, '--password', JOEL.password],
      {
        cwd: repoRoot,
        env: { ...process.env, ...env },
        timeout: 60_000,
      },
    );
    postfix = await startPostfix({
      domains: [POSTFIX_DOMAIN],
      relayDomains: [DOMAIN],
      relayPort: api.smtpPort,
      prefix: 'correio-e2e-postfix-',
    });
  }, 300_000);

  afterAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true }).catch(() => {});
    if (postfix) {
      await writeFile(path.join(ARTIFACTS, 'postfix-relay-maillog.log'), await postfix.log()).catch(() => {});
      await postfix.stop();
    }
    if (api) {
      await writeFile(path.join(ARTIFACTS, 'postfix-relay-api.log'), api.output()).catch(() => {});
      await api.stop();
    }
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('delivers a message relayed by Postfix into the INBOX with its body intact', async () => {
    const tag = `relay-${Date.now()}`;
    const body = [
      'Oi Joel,',
      '',
      '.a line that starts with a dot (dot-stuffed on both hops)',
      '..two dots',
      '.',
      'trailing spaces   ',
      '\tindented with a tab',
      'Acentuação em UTF-8: ç ã é — ok',
      'x'.repeat(900),
      '',
      '-- ',
      'Bruna',
      '',
    ].join('\r\n');
    const data = [
      `From: Bruna <${BRUNA}>`,
      `To: Joel <${JOEL.address}>`,
      `Subject: ${tag}`,
      `Message-ID: <${tag}@paulolopes.fr>`,
      'Date: Thu, 26 Nov 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      body,
    ].join('\r\n');

    const id = queueId(await sendSmtp(postfix.port, { from: BRUNA, to: [JOEL.address] }, data));
    // Postfix handed it to our MX and got our 250 (sent after COMMIT).
    const sent = await postfix.waitForLog(new RegExp(`${id}: to=<${JOEL.address}>.*status=(sent|bounced|deferred)`));
    expect(sent).toContain(`relay=127.0.0.1[127.0.0.1]:${api.smtpPort}`);
    expect(sent).toMatch(/status=sent \(250 /);

    const session = await login(JOEL);
    const message = await waitForMessage(session, (m) => m.subject === tag);
    expect(message.from.address).toBe(BRUNA);
    const raw = await getRaw(session, message.id);
    const split = raw.indexOf(Buffer.from('\r\n\r\n'));
    expect(split).toBeGreaterThan(0);
    const headers = raw.subarray(0, split).toString('utf8');
    // Body: byte for byte what the client gave Postfix (UTF-8 and all: our MX offers 8BITMIME).
    expect(raw.subarray(split + 4).toString('utf8')).toBe(body);
    expect(Buffer.compare(raw.subarray(split + 4), Buffer.from(body, 'utf8'))).toBe(0);
    // The whole message as the client gave it, untouched, below Postfix's Received: line (our MX may
    // add its own trace fields above that).
    expect(Buffer.compare(raw.subarray(raw.length - Buffer.byteLength(data)), Buffer.from(data, 'utf8'))).toBe(0);
    const ours = headers.indexOf('Received: from client.postfix.test');
    expect(ours).toBeGreaterThanOrEqual(0);
    expect(headers.slice(ours)).toMatch(
      /^Received: from client\.postfix\.test \(unknown \[127\.0\.0\.1\]\)\r\n\tby postfix\.localhost \(Postfix\) with ESMTP id /,
    );
    // ...and it is the last field before the original header: Postfix added nothing else.
    const added = raw.subarray(0, raw.length - Buffer.byteLength(data)).toString('utf8');
    expect(added.slice(added.lastIndexOf('Received: '))).toMatch(/^Received: from client\.postfix\.test /);
  });

  it('answers 550 5.1.1 for an unknown user; Postfix bounces the message to its sender with 5.1.1', async () => {
    const tag = `unknown-${Date.now()}`;
    const data = [
      `From: ${BRUNA}`,
      `To: nobody@${DOMAIN}`,
      `Subject: ${tag}`,
      `Message-ID: <${tag}@paulolopes.fr>`,
      '',
      'Is anybody there?',
      '',
    ].join('\r\n');
    const before = await postfix.maildirCount();
    // Postfix accepts (ifsc.edu is a relay domain it does not know the users of) and relays...
    const id = queueId(await sendSmtp(postfix.port, { from: BRUNA, to: [`nobody@${DOMAIN}`] }, data));
    // ...and our MX refuses the recipient: permanent, so Postfix bounces at once, no retry.
    const line = await postfix.waitForLog(new RegExp(`${id}: to=<nobody@${DOMAIN}>.*status=(sent|bounced|deferred)`));
    expect(line).toContain(`relay=127.0.0.1[127.0.0.1]:${api.smtpPort}`);
    expect(line).toContain('dsn=5.1.1');
    expect(line).toMatch(/status=bounced \(host 127\.0\.0\.1\[127\.0\.0\.1\] said: 550[ -]5\.1\.1 .*\(in reply to RCPT TO command\)\)/);

    // The non-delivery report reaches Bruna (this Postfix's own Maildir) and carries our 5.1.1.
    const dsn = await waitForMaildir(postfix, before, (raw) => raw.includes(`<${tag}@paulolopes.fr>`) || raw.includes(tag));
    expect(dsn).toMatch(/^To: bruna@paulolopes\.fr$/m);
    expect(dsn).toContain('Content-Type: message/delivery-status');
    expect(dsn).toMatch(/^Final-Recipient: rfc822; ?nobody@ifsc\.edu$/m);
    expect(dsn).toMatch(/^Action: failed$/m);
    expect(dsn).toMatch(/^Status: 5\.1\.1$/m);
    expect(dsn).toMatch(/^Diagnostic-Code: smtp; 550[ -]5\.1\.1 /m);
    // Nothing left behind for a retry: the bounce was final.
    await postfix.waitForEmptyQueue(30_000);
  });

  it('delivers to the known recipient and bounces only the unknown one of the same message', async () => {
    const tag = `mixed-${Date.now()}`;
    const data = [
      `From: ${BRUNA}`,
      `To: ${JOEL.address}, ghost@${DOMAIN}`,
      `Subject: ${tag}`,
      '',
      'One for Joel, one for nobody.',
      '',
    ].join('\r\n');
    const id = queueId(await sendSmtp(postfix.port, { from: BRUNA, to: [JOEL.address, `ghost@${DOMAIN}`] }, data));
    const ghost = await postfix.waitForLog(new RegExp(`${id}: to=<ghost@${DOMAIN}>.*status=(sent|bounced|deferred)`));
    expect(ghost).toMatch(/status=bounced .*550[ -]5\.1\.1/);
    const joel = await postfix.waitForLog(new RegExp(`${id}: to=<${JOEL.address}>.*status=(sent|bounced|deferred)`));
    expect(joel).toMatch(/status=sent \(250 /);
    const session = await login(JOEL);
    const message = await waitForMessage(session, (m) => m.subject === tag);
    expect(message.subject).toBe(tag);
  });
});

// ---------------------------------------------------------------------------------------------
// REST helpers
// ---------------------------------------------------------------------------------------------

interface Session {
  cookie: string;
}
interface Summary {
  id: string;
  subject: string;
  from: { address: string };
}

async function login(who: { address: string; password: string }): Promise<Session> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(who),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie };
}

async function getJson<T>(session: Session, url: string): Promise<T> {
  const res = await fetch(`${base}${url}`, { headers: { cookie: session.cookie } });
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function getRaw(session: Session, id: string): Promise<Buffer> {
  const res = await fetch(`${base}/api/v1/messages/${id}/raw`, { headers: { cookie: session.cookie } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** Polls Joel's INBOX until a message matches (Postfix delivers asynchronously). */
async function waitForMessage(session: Session, match: (m: Summary) => boolean, timeoutMs = 60_000): Promise<Summary> {
  const { items: boxes } = await getJson<{ items: { id: string; specialUse: string | null }[] }>(session, '/api/v1/mailboxes');
  const inbox = boxes.find((b) => b.specialUse === 'inbox');
  if (!inbox) throw new Error(`no INBOX in ${JSON.stringify(boxes)}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { items } = await getJson<{ items: Summary[] }>(session, `/api/v1/mailboxes/${inbox.id}/messages?limit=50`);
    const found = items.find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching message in the INBOX after ${timeoutMs} ms:\n${await postfix.log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits for a new message in the Postfix instance's Maildir that matches; returns its text. */
async function waitForMaildir(pf: PostfixInstance, before: number, match: (raw: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await pf.maildirCount()) > before) {
      const found = (await pf.readMaildir()).map((m) => m.raw.toString('utf8')).find(match);
      if (found) return found;
    }
    if (Date.now() > deadline) throw new Error(`no matching message in Postfix's Maildir after ${timeoutMs} ms:\n${await pf.log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
