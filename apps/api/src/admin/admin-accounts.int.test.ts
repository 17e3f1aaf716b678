import type { AdminAccount, AdminAccountList, AliasList, AuditList, CreateAccountResult } from '@correio/contracts';
import { ImapWire, Pop3Wire, SmtpTranscript } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { AccountPurgeWorker } from './accounts/account-purge.worker.js';

async function rcpt(t: TestApp, to: string): Promise<string> {
  const s = await SmtpTranscript.connect(t.smtpPort!);
  await s.read();
  await s.command('EHLO client.example');
  await s.command('MAIL FROM:<bruna@paulolopes.fr>');
  const reply = await s.command(`RCPT TO:<${to}>`);
  s.close();
  return reply;
}

async function pop3Login(t: TestApp, user: string, password: string): Promise<string> {
  const c = await Pop3Wire.connect(t.pop3Ports!.plain);
  await c.reply();
  await c.cmd(`USER ${user}`);
  const reply = await c.cmd(`PASS ${password}`);
  await c.cmd('QUIT');
  return reply;
}

async function imapLogin(t: TestApp, user: string, password: string): Promise<string> {
  const c = await ImapWire.connect(t.imapPorts!.tls, { tls: true });
  await c.line();
  const lines = await c.cmd(`a LOGIN ${user} ${password}`);
  await c.cmd('z LOGOUT').catch(() => []);
  return lines[lines.length - 1]!;
}

describe('admin accounts and aliases API', () => {
  let t: TestApp;
  let admin: HttpClient;
  beforeAll(async () => {
    t = await startTestApp({
      CORREIO_DOMAIN: 'ifsc.edu',
      CORREIO_ADMIN_ADDRESS: 'root@ifsc.edu',
      CORREIO_ROLES: 'http,smtp,pop3,imap',
      CORREIO_POP3_ALLOW_PLAIN_AUTH_ON_LOOPBACK: 'true',
    });
    admin = new HttpClient(t.baseUrl);
    expect((await admin.login('root@ifsc.edu', 'admin-password')).status).toBe(200);
  });
  afterAll(() => t.close());

  it('creates an account with a generated password shown once, which logs in; records last login', async () => {
    const res = await admin.request('POST', '/api/v1/admin/accounts', {
      address: 'Ana@ifsc.edu',
      displayName: 'Ana Souza',
      quotaBytes: 1_000_000,
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as CreateAccountResult;
    expect(created.account).toMatchObject({
      address: 'ana@ifsc.edu',
      displayName: 'Ana Souza',
      quotaBytes: '1000000',
      disabled: false,
      lastLoginAt: null,
    });
    expect(created.generatedPassword).toMatch(/^[\w-]{20}$/);
    expect((await new HttpClient(t.baseUrl).login('ana@ifsc.edu', created.generatedPassword!)).status).toBe(200);
    const ana = await admin.json<AdminAccount>('GET', '/api/v1/admin/accounts/ana@ifsc.edu');
    expect(Date.now() - Date.parse(ana.lastLoginAt!)).toBeLessThan(60_000);
    // A typed password is not echoed.
    const typed = (await (
      await admin.request('POST', '/api/v1/admin/accounts', { address: 'bia@ifsc.edu', password: 'bia-password' })
    ).json()) as CreateAccountResult;
    expect(typed.generatedPassword).toBeUndefined();
    expect((await admin.request('POST', '/api/v1/admin/accounts', { address: 'bia@ifsc.edu' })).status).toBe(409);
  });

  it('lists with search and keyset paging', async () => {
    for (const n of [1, 2, 3]) await t.directory.addAccount({ address: `page${n}@ifsc.edu`, password: 'page-password' });
    const p1 = await admin.json<AdminAccountList>('GET', '/api/v1/admin/accounts?q=page&limit=2');
    expect(p1.accounts.map((a) => a.address)).toEqual(['page1@ifsc.edu', 'page2@ifsc.edu']);
    const p2 = await admin.json<AdminAccountList>(
      'GET',
      `/api/v1/admin/accounts?q=page&limit=2&cursor=${encodeURIComponent(p1.nextCursor!)}`,
    );
    expect(p2.accounts.map((a) => a.address)).toEqual(['page3@ifsc.edu']);
    expect(p2.nextCursor).toBeNull();
    const byName = await admin.json<AdminAccountList>('GET', '/api/v1/admin/accounts?q=souza');
    expect(byName.accounts.map((a) => a.address)).toEqual(['ana@ifsc.edu']);
  });

  it('resets a password, changes quota, display name and role', async () => {
    const reset = await admin.json<{ generatedPassword?: string }>('POST', '/api/v1/admin/accounts/bia@ifsc.edu/password', {});
    expect(reset.generatedPassword).toBeDefined();
    expect((await new HttpClient(t.baseUrl).login('bia@ifsc.edu', 'bia-password')).status).toBe(401);
    expect((await new HttpClient(t.baseUrl).login('bia@ifsc.edu', reset.generatedPassword!)).status).toBe(200);
    const changed = await admin.json<AdminAccount>('PATCH', '/api/v1/admin/accounts/bia@ifsc.edu', {
      quotaBytes: '5000',
      displayName: 'Bia',
      role: 'admin',
    });
    expect(changed).toMatchObject({ quotaBytes: '5000', displayName: 'Bia', role: 'admin' });
    expect((await admin.request('PATCH', '/api/v1/admin/accounts/root@ifsc.edu', { disabled: true })).status).toBe(409);
    expect((await admin.request('PATCH', '/api/v1/admin/accounts/nobody@ifsc.edu', { displayName: 'x' })).status).toBe(404);
  });

  it('disables: no login on the webmail or POP3, 550 5.2.1 at RCPT; enabling undoes it', async () => {
    await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' });
    expect(await rcpt(t, 'joel@ifsc.edu')).toMatch(/^250/); // now in the recipient cache
    expect(await pop3Login(t, 'joel@ifsc.edu', 'joel-password')).toMatch(/^\+OK/);
    expect(await imapLogin(t, 'joel@ifsc.edu', 'joel-password')).toMatch(/^a OK/);
    expect((await admin.json<AdminAccount>('PATCH', '/api/v1/admin/accounts/joel@ifsc.edu', { disabled: true })).disabled).toBe(true);
    expect(await rcpt(t, 'joel@ifsc.edu')).toMatch(/^550 5\.2\.1 /);
    expect(await rcpt(t, 'joel+tag@ifsc.edu')).toMatch(/^550 5\.1\.1 /);
    expect((await new HttpClient(t.baseUrl).login('joel@ifsc.edu', 'joel-password')).status).toBe(401);
    expect(await pop3Login(t, 'joel@ifsc.edu', 'joel-password')).toMatch(/^-ERR/);
    expect(await imapLogin(t, 'joel@ifsc.edu', 'joel-password')).toMatch(/^a NO /);
    // Submission logs in through the same DirectoryService.authenticate.
    expect(await t.directory.authenticate('joel@ifsc.edu', 'joel-password')).toBeUndefined();
    await admin.json('PATCH', '/api/v1/admin/accounts/joel@ifsc.edu', { disabled: false });
    expect(await rcpt(t, 'joel@ifsc.edu')).toMatch(/^250/);
    expect((await new HttpClient(t.baseUrl).login('joel@ifsc.edu', 'joel-password')).status).toBe(200);
    expect(await imapLogin(t, 'joel@ifsc.edu', 'joel-password')).toMatch(/^a OK/);
  });

  it('removes an account: disabled in the request, deleted with its mail by the purge worker', async () => {
    const res = await admin.request('DELETE', '/api/v1/admin/accounts/page3@ifsc.edu');
    expect(res.status).toBe(202);
    expect((await res.json()) as AdminAccount).toMatchObject({ disabled: true, deletePending: true });
    expect(await rcpt(t, 'page3@ifsc.edu')).toMatch(/^550 5\.2\.1 /);
    await t.app.get(AccountPurgeWorker).purgePending();
    expect((await admin.request('GET', '/api/v1/admin/accounts/page3@ifsc.edu')).status).toBe(404);
    const { rows } = await t.db.pool.query(
      `SELECT 1 FROM mailboxes m JOIN accounts a ON a.id = m.account_id WHERE a.address = 'page3@ifsc.edu'`,
    );
    expect(rows).toHaveLength(0);
    expect(await rcpt(t, 'page3@ifsc.edu')).toMatch(/^550 5\.1\.1 /);
    expect((await admin.request('DELETE', '/api/v1/admin/accounts/root@ifsc.edu')).status).toBe(409);
  });

  it('aliases: create with several destinations, replace them, remove; mail to it is accepted', async () => {
    const res = await admin.request('POST', '/api/v1/admin/aliases', {
      address: 'team@ifsc.edu',
      destinations: ['ana@ifsc.edu', 'joel@ifsc.edu', 'someone@example.org'],
    });
    expect(res.status).toBe(201);
    expect(await rcpt(t, 'team@ifsc.edu')).toMatch(/^250/);
    expect(
      (await admin.request('POST', '/api/v1/admin/aliases', { address: 'team@ifsc.edu', destinations: ['ana@ifsc.edu'] })).status,
    ).toBe(409);
    const replaced = await admin.json<{ destinations: string[] }>('PUT', '/api/v1/admin/aliases/team@ifsc.edu', {
      destinations: ['bia@ifsc.edu', 'ana@ifsc.edu'],
    });
    expect(replaced.destinations.sort()).toEqual(['ana@ifsc.edu', 'bia@ifsc.edu']);
    const list = await admin.json<AliasList>('GET', '/api/v1/admin/aliases');
    expect(list.aliases).toEqual([{ address: 'team@ifsc.edu', destinations: ['ana@ifsc.edu', 'bia@ifsc.edu'] }]);
    expect((await admin.request('DELETE', '/api/v1/admin/aliases/team@ifsc.edu')).status).toBe(204);
    expect(await rcpt(t, 'team@ifsc.edu')).toMatch(/^550 5\.1\.1 /);
    expect((await admin.request('PUT', '/api/v1/admin/aliases/team@ifsc.edu', { destinations: ['ana@ifsc.edu'] })).status).toBe(404);
  });

  it('audits each action without the password, and refuses a non-admin everywhere (403)', async () => {
    const audit = await admin.json<AuditList>('GET', '/api/v1/admin/audit?action=account.create');
    expect(audit.entries.map((e) => e.target)).toEqual(['bia@ifsc.edu', 'ana@ifsc.edu']);
    expect(audit.entries[0]!.details).toMatchObject({ password: '[redacted]' });
    expect(JSON.stringify(audit)).not.toContain('bia-password');
    const actions = (await admin.json<AuditList>('GET', '/api/v1/admin/audit?limit=200')).entries.map((e) => e.action);
    expect(new Set(actions)).toEqual(
      new Set(['account.create', 'account.password', 'account.update', 'account.remove', 'alias.create', 'alias.update', 'alias.remove']),
    );

    const user = new HttpClient(t.baseUrl);
    expect(
      (
        await user.login(
          'ana@ifsc.edu',
          (
            await admin.json<{ generatedPassword: string }>('POST', '/api/v1/admin/accounts/ana@ifsc.edu/password', {})
          ).generatedPassword,
        )
      ).status,
    ).toBe(200);
    for (const [method, path, body] of [
      ['GET', '/api/v1/admin/accounts'],
      ['POST', '/api/v1/admin/accounts', { address: 'x@ifsc.edu' }],
      ['GET', '/api/v1/admin/accounts/joel@ifsc.edu'],
      ['PATCH', '/api/v1/admin/accounts/joel@ifsc.edu', { disabled: true }],
      ['POST', '/api/v1/admin/accounts/joel@ifsc.edu/password', {}],
      ['DELETE', '/api/v1/admin/accounts/joel@ifsc.edu'],
      ['GET', '/api/v1/admin/aliases'],
      ['POST', '/api/v1/admin/aliases', { address: 'x@ifsc.edu', destinations: ['ana@ifsc.edu'] }],
      ['PUT', '/api/v1/admin/aliases/x@ifsc.edu', { destinations: ['ana@ifsc.edu'] }],
      ['DELETE', '/api/v1/admin/aliases/x@ifsc.edu'],
      ['POST', '/api/v1/admin/domains', { name: 'x.example' }],
      ['DELETE', '/api/v1/admin/domains/ifsc.edu'],
      ['PUT', '/api/v1/admin/domains/ifsc.edu/catch-all', { address: null }],
      ['GET', '/api/v1/admin/audit'],
      ['GET', '/api/v1/admin/queue'],
    ] as [string, string, unknown?][]) {
      expect([method, path, (await user.request(method, path, body)).status]).toEqual([method, path, 403]);
    }
  });
});
