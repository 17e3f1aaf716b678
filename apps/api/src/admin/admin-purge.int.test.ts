import { SmtpTranscript } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { AccountPurgeWorker } from './accounts/account-purge.worker.js';

async function receive(t: TestApp, to: string, n: number): Promise<void> {
  const s = await SmtpTranscript.connect(t.smtpPort!);
  await s.read();
  await s.command('EHLO client.example');
  for (let i = 0; i < n; i++) {
    await s.command('MAIL FROM:<bruna@paulolopes.fr>');
    expect(await s.command(`RCPT TO:<${to}>`)).toMatch(/^250/);
    await s.command('DATA');
    expect(await s.command(`From: bruna@paulolopes.fr\r\nSubject: ${i}\r\n\r\nbody ${i}\r\n.`)).toMatch(/^250/);
  }
  s.close();
}

// A removed account's mail goes in short transactions (messages, then blobs), then the account.
describe('purge of a removed account, in chunks', () => {
  let t: TestApp;
  let admin: HttpClient;
  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_ADMIN_ADDRESS: 'root@ifsc.edu' });
    admin = new HttpClient(t.baseUrl);
    expect((await admin.login('root@ifsc.edu', 'admin-password')).status).toBe(200);
  });
  afterAll(() => t.close());

  const count = async (table: 'messages' | 'blobs', accountId: string) =>
    (await t.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE account_id = $1`, [accountId])).rows[0]!.n;

  it('deletes at most the chunk per call, messages first, then blobs, and the worker finishes the account', async () => {
    const joel = await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' });
    await receive(t, 'joel@ifsc.edu', 5);
    expect(await count('messages', joel.id)).toBe(5);
    const blobs = await count('blobs', joel.id);
    expect(blobs).toBeGreaterThanOrEqual(5);

    expect((await admin.request('DELETE', '/api/v1/admin/accounts/joel@ifsc.edu')).status).toBe(202);
    expect(await t.store.purgeAccountPart(joel.id, 2)).toBe(2);
    expect(await count('messages', joel.id)).toBe(3);
    expect(await count('blobs', joel.id)).toBe(blobs);
    expect(await t.store.purgeAccountPart(joel.id, 2)).toBe(2);
    expect(await t.store.purgeAccountPart(joel.id, 2)).toBe(1);
    expect(await t.store.purgeAccountPart(joel.id, 3)).toBe(Math.min(3, blobs));

    await t.app.get(AccountPurgeWorker).purgePending();
    expect(await count('blobs', joel.id)).toBe(0);
    expect(await t.directory.findAccount('joel@ifsc.edu')).toBeUndefined();
    const { rows } = await t.db.pool.query(`SELECT 1 FROM mailboxes WHERE account_id = $1`, [joel.id]);
    expect(rows).toHaveLength(0);
  });
});
