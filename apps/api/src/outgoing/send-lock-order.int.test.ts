import type { SendMessageResult } from '@correio/contracts';
import { summarizeMessage } from '@correio/mime';
import { testServerUrl } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// LOCK ORDER (mailbox-store.service.ts): mailbox rows in ascending (account, id). A send from a
// draft locks the draft's mailbox (Drafts) at its place, before Sent — not after it. A second
// writer that takes Drafts then Sent (the right order) must wait, never deadlock. Two server
// connections are needed (an embedded PGlite has one), so this runs on PostgreSQL only.
describe.skipIf(!testServerUrl())('send from a draft: mailbox locks in LOCK ORDER', () => {
  let t: TestApp;
  let bruna: HttpClient;
  let brunaId = '';
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'paulolopes.fr' });
    brunaId = (await t.directory.addAccount({ address: 'bruna@paulolopes.fr', password: 'bruna-password' })).id;
    bruna = new HttpClient(t.baseUrl);
    expect((await bruna.login('bruna@paulolopes.fr', 'bruna-password')).status).toBe(200);
  });
  afterAll(() => t?.close());

  it('a writer holding Drafts and then taking Sent does not deadlock with the send; both succeed', async () => {
    const raw = Buffer.from('From: bruna@paulolopes.fr\r\nTo: ana@ifsc.edu\r\nSubject: rascunho\r\n\r\noi\r\n');
    const draft = await t.store.saveDraft({ accountId: brunaId, raw, summary: await summarizeMessage(raw) });
    const draftsId = (await t.store.mailboxIdBySpecialUse(brunaId, 'drafts'))!;
    const sentId = (await t.store.mailboxIdBySpecialUse(brunaId, 'sent'))!;
    expect(BigInt(draftsId) < BigInt(sentId)).toBe(true);

    const other = await t.db.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT id FROM mailboxes WHERE account_id = $1 AND id = $2 FOR NO KEY UPDATE', [brunaId, draftsId]);
      const sending = bruna.request('POST', '/api/v1/messages/send', { to: ['ana@ifsc.edu'], subject: 'rascunho', text: 'oi', draftId: draft.messageId });
      // Wait until the send is blocked on a lock (on Drafts, held here).
      for (let i = 0; i < 100; i++) {
        const { rows } = await t.db.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
        );
        if (rows[0]!.n > 0) break;
        await sleep(50);
      }
      // The right order continues: Sent after Drafts. Were Sent held by the send, this would deadlock.
      await other.query('UPDATE mailboxes SET highest_modseq = highest_modseq + 1 WHERE account_id = $1 AND id = $2', [brunaId, sentId]);
      await other.query('COMMIT');
      const res = await sending;
      expect(res.status).toBe(201);
      const sent = (await res.json()) as SendMessageResult;
      expect((await t.store.getMessage(brunaId, sent.sentId)).mailboxId).toBe(sentId);
      expect(await t.store.listMessages(brunaId, draftsId, 10)).toEqual([]);
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      other.release();
    }
  });
});
