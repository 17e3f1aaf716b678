import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// App passwords against real clients over real sockets (issue 15): imapflow for IMAP, Python's
// imaplib (to read the failure text) and poplib for POP3, nodemailer for SMTP submission. Each
// password opens only its protocols; a wrong or revoked one is refused; once two-factor login is on
// the account password no longer opens any of them (with a hint), app passwords still do.

const POP_LOGIN = `
import json, poplib, ssl, sys
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
p = poplib.POP3_SSL('127.0.0.1', int(sys.argv[1]), context=ctx, timeout=10)
try:
    p.user(sys.argv[2]); p.pass_(sys.argv[3])
    print(json.dumps({'ok': True, 'stat': list(p.stat())})); p.quit()
except poplib.error_proto as e:
    print(json.dumps({'ok': False, 'error': e.args[0].decode()}))
`;

const IMAP_LOGIN = `
import imaplib, json, ssl, sys
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
m = imaplib.IMAP4_SSL('127.0.0.1', int(sys.argv[1]), ssl_context=ctx, timeout=10)
try:
    m.login(sys.argv[2], sys.argv[3])
    print(json.dumps({'ok': True, 'select': m.select('INBOX')[0]})); m.logout()
except imaplib.IMAP4.error as e:
    print(json.dumps({'ok': False, 'error': str(e)}))
`;

const run = promisify(execFile);
const runPython = (script: string, args: string[]) => run('python3', ['-c', script, ...args], { timeout: 20_000 });

interface LoginRun {
  ok: boolean;
  error?: string;
}

describe('app passwords for IMAP, POP3 and SMTP submission', () => {
  let t: TestApp;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_ROLES: 'http,smtp,imap,pop3' });
  });
  afterAll(() => t?.close());

  async function account(): Promise<{ user: string; web: HttpClient }> {
    const user = `cliente${++n}@ifsc.edu`;
    await t.directory.addAccount({ address: user, password: 'account-password' });
    const web = new HttpClient(t.baseUrl);
    expect((await web.login(user, 'account-password')).status).toBe(200);
    return { user, web };
  }

  async function create(web: HttpClient, name: string, protocols: string[]): Promise<{ id: string; password: string }> {
    return web.json('POST', '/api/v1/account/app-passwords', { name, protocols });
  }

  async function imapflowLogin(user: string, pass: string): Promise<boolean> {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: t.imapPorts!.tls,
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

  async function imaplib(user: string, pass: string): Promise<LoginRun> {
    return JSON.parse((await runPython(IMAP_LOGIN, [String(t.imapPorts!.tls), user, pass])).stdout) as LoginRun;
  }

  async function poplib(user: string, pass: string): Promise<LoginRun> {
    return JSON.parse((await runPython(POP_LOGIN, [String(t.pop3Ports!.tls), user, pass])).stdout) as LoginRun;
  }

  async function submit(user: string, pass: string): Promise<string> {
    const smtp = nodemailer.createTransport({
      host: '127.0.0.1',
      port: t.submissionPorts!.implicitTls,
      secure: true,
      auth: { user, pass },
      tls: { rejectUnauthorized: false },
    });
    try {
      const info = await smtp.sendMail({ from: user, to: user, subject: 'via app password', text: 'hello' });
      return info.response;
    } catch (err) {
      return (err as Error).message;
    } finally {
      smtp.close();
    }
  }

  it('is shown once as four groups of letters, listed without the secret, stored as argon2id', async () => {
    const { web } = await account();
    const created = await create(web, 'Thunderbird on the laptop', ['imap', 'smtp']);
    expect(created.password).toMatch(/^[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}$/);
    const list = await web.json<{ appPasswords: Record<string, unknown>[] }>('GET', '/api/v1/account/app-passwords');
    expect(list.appPasswords).toEqual([
      {
        id: created.id,
        name: 'Thunderbird on the laptop',
        protocols: ['imap', 'smtp'],
        createdAt: expect.any(String),
        lastUsedAt: null,
        lastUsedIp: null,
      },
    ]);
    const { rows } = await t.db.pool.query<{ password_hash: string; prefix: string }>(
      'SELECT password_hash, prefix FROM app_passwords WHERE id = $1',
      [created.id],
    );
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
    expect(rows[0]!.prefix).toBe(created.password.replaceAll(' ', '').slice(0, 6));
    expect(JSON.stringify(list)).not.toContain(created.password.replaceAll(' ', ''));
  });

  it('opens IMAP (imapflow), POP3 (poplib) and submission (nodemailer) only for its protocols, spaces or not', async () => {
    const { user, web } = await account();
    const imapOnly = await create(web, 'phone IMAP', ['imap']);
    const popSmtp = await create(web, 'old client', ['pop3', 'smtp']);
    expect(await imapflowLogin(user, imapOnly.password)).toBe(true);
    expect(await imapflowLogin(user, imapOnly.password.replaceAll(' ', '').toUpperCase())).toBe(true);
    expect(await imapflowLogin(user, popSmtp.password)).toBe(false);
    expect((await poplib(user, popSmtp.password)).ok).toBe(true);
    expect(await poplib(user, imapOnly.password)).toEqual({ ok: false, error: '-ERR [AUTH] Invalid credentials' });
    expect(await submit(user, popSmtp.password)).toMatch(/^250 /);
    expect(await submit(user, imapOnly.password)).toContain('535');
    // Last use (time and client address) is recorded and listed.
    const list = await web.json<{ appPasswords: { id: string; lastUsedAt: string | null; lastUsedIp: string | null }[] }>(
      'GET',
      '/api/v1/account/app-passwords',
    );
    const used = list.appPasswords.find((p) => p.id === imapOnly.id)!;
    expect(used.lastUsedAt).not.toBeNull();
    expect(used.lastUsedIp).toBe('127.0.0.1');
  });

  it("refuses a wrong one, another account's, and a revoked one (at once)", async () => {
    const a = await account();
    const b = await account();
    const mine = await create(a.web, 'mine', ['imap', 'pop3']);
    const letters = mine.password.replaceAll(' ', '');
    const wrong = letters.slice(0, 15) + (letters[15] === 'a' ? 'b' : 'a');
    expect(await imapflowLogin(a.user, wrong)).toBe(false);
    expect(await imapflowLogin(b.user, mine.password)).toBe(false);
    expect(await imapflowLogin(a.user, mine.password)).toBe(true);
    expect((await b.web.request('DELETE', `/api/v1/account/app-passwords/${mine.id}`)).status).toBe(404);
    expect((await a.web.request('DELETE', `/api/v1/account/app-passwords/${mine.id}`)).status).toBe(204);
    expect(await imapflowLogin(a.user, mine.password)).toBe(false);
    expect((await poplib(a.user, mine.password)).ok).toBe(false);
    expect((await a.web.request('DELETE', `/api/v1/account/app-passwords/${mine.id}`)).status).toBe(404);
  });

  it('an account password that merely looks like an app password still opens mail', async () => {
    const user = `letras${++n}@ifsc.edu`;
    await t.directory.addAccount({ address: user, password: 'quietmorningsong' });
    expect(await imapflowLogin(user, 'quietmorningsong')).toBe(true);
    expect(await imapflowLogin(user, 'quietmorningsonh')).toBe(false);
  });

  it('with two-factor login on, the account password opens no mail protocol (with a hint); app passwords do', async () => {
    const { user, web } = await account();
    const app = await create(web, 'all', ['imap', 'pop3', 'smtp']);
    expect((await imaplib(user, 'account-password')).ok).toBe(true);
    const { secret } = await web.json<{ secret: string }>('POST', '/api/v1/account/two-factor/totp');
    await web.json('POST', '/api/v1/account/two-factor/totp/confirm', { code: generateSync({ secret }) });

    const imapRefused = await imaplib(user, 'account-password');
    expect(imapRefused.ok).toBe(false);
    expect(imapRefused.error).toContain('[AUTHENTICATIONFAILED] Two-factor login is on for this account: use an app password');
    // The same hint for a wrong password: it says nothing about whether the password was right.
    expect((await imaplib(user, 'not-the-password')).error).toContain('Two-factor login is on');
    expect(await poplib(user, 'account-password')).toEqual({
      ok: false,
      error: expect.stringMatching(/^-ERR \[AUTH\] Two-factor login is on/),
    });
    expect(await submit(user, 'account-password')).toMatch(/535.*Two-factor login is on/);

    expect((await imaplib(user, app.password)).ok).toBe(true);
    expect((await poplib(user, app.password)).ok).toBe(true);
    expect(await submit(user, app.password)).toMatch(/^250 /);
    // An account without two-factor login gets no hint.
    const other = await account();
    expect((await imaplib(other.user, 'not-the-password')).error).toContain('[AUTHENTICATIONFAILED] Invalid credentials');
  });

  it('is session only: an API key gets 403; bad input gets 400', async () => {
    const { web } = await account();
    const key = await web.json<{ key: string }>('POST', '/api/v1/api-keys', { name: 'script', scopes: ['mail:read', 'mail:write'] });
    for (const [method, path] of [
      ['GET', '/api/v1/account/app-passwords'],
      ['POST', '/api/v1/account/app-passwords'],
      ['GET', '/api/v1/account/two-factor'],
      ['GET', '/api/v1/account/sessions'],
      ['POST', '/api/v1/account/password'],
    ] as const) {
      const res = await fetch(t.baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
        body: method === 'POST' ? '{}' : undefined,
      });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect((await web.request('POST', '/api/v1/account/app-passwords', { name: 'x', protocols: ['jmap'] })).status).toBe(400);
    expect((await web.request('POST', '/api/v1/account/app-passwords', { name: '', protocols: ['imap'] })).status).toBe(400);
    expect((await web.request('POST', '/api/v1/account/app-passwords', { name: 'x', protocols: ['imap', 'imap'] })).status).toBe(400);
  });
});
