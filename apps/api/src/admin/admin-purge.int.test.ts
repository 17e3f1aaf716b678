import { SmtpTranscript } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
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
// No background purge here: the test is the only purger unless it starts another itself.
describe('purge of a removed account, in chunks', () => {
  let t: TestApp;
  let admin: HttpClient;
  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_ADMIN_ADDRESS: 'root@ifsc.edu', CORREIO_ACCOUNT_PURGE_INTERVAL: 'off' });
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

  // Two processes purge the same account (each runs the worker). PGlite has one connection: no two
  // transactions at once there.
  it.skipIf(process.env.DATABASE_URL === undefined)(
    'purgers at once take disjoint rows, count only their own, and none starts on the blobs while messages remain',
    async () => {
      const lia = await t.directory.addAccount({ address: 'lia@ifsc.edu', password: 'lia-password' });
      await receive(t, 'lia@ifsc.edu', 5);
      const blobs = await count('blobs', lia.id);
      expect((await admin.request('DELETE', '/api/v1/admin/accounts/lia@ifsc.edu')).status).toBe(202);

      // Another purger has claimed a chunk of 2 messages and not committed yet. (Claimed, not yet
      // deleted: its DELETE would also hold the INBOX row, through the count trigger, until COMMIT.)
      const other = await t.db.pool.connect();
      try {
        await other.query('BEGIN');
        const claimed = await other.query<{ id: string }>(
          'SELECT id FROM messages WHERE account_id = $1 ORDER BY id LIMIT 2 FOR UPDATE',
          [lia.id],
        );
        expect(claimed.rows).toHaveLength(2);
        expect(await t.store.purgeAccountPart(lia.id, 2)).toBe(2); // the next two, not the claimed ones
        expect(await t.store.purgeAccountPart(lia.id, 2)).toBe(1);
        expect(await count('messages', lia.id)).toBe(2); // the other purger's

        // Only claimed messages are left: this call waits for them instead of deleting blobs.
        let settled = false;
        const waiting = t.store.purgeAccountPart(lia.id, 2).finally(() => {
          settled = true;
        });
        while (!settled && (await waitingOnLocks()) === 0) await new Promise(setImmediate);
        expect(settled).toBe(false);
        expect(await count('blobs', lia.id)).toBe(blobs);
        await other.query('DELETE FROM messages WHERE id = ANY($1::bigint[])', [claimed.rows.map((r) => r.id)]);
        await other.query('COMMIT');
        expect(await waiting).toBe(Math.min(2, blobs));
        expect(await count('messages', lia.id)).toBe(0);
      } finally {
        other.release();
      }

      // Two workers (two processes) finish it: one removes the account, the other sees it gone.
      const worker = t.app.get(AccountPurgeWorker);
      const second = new AccountPurgeWorker(t.directory, t.store, t.app.get<AppConfig>(APP_CONFIG));
      expect(await Promise.all([worker.purgePending(), second.purgePending()]).then(([a, b]) => a + b)).toBe(1);
      expect(await count('blobs', lia.id)).toBe(0);
      expect(await t.directory.findAccount('lia@ifsc.edu')).toBeUndefined();
    },
  );

  const waitingOnLocks = async () =>
    (
      await t.db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      )
    ).rows[0]!.n;
});
