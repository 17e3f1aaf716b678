import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FEATURES } from '../database/database.module.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { ImapStoreService } from './imap-store.service.js';
import { storeFlagsStatement } from './repositories/imap-write-statements.js';

// Migration 20261217100000_messages_fillfactor: deliveries fill a page of `messages` to 85%, so a
// later flag change that touches no indexed column fits on the row's own page as a HOT update (no
// new entry in any of the table's indexes). At fillfactor 100 a page packed with rows of one size
// keeps less than one row of room, and the same change is a new row elsewhere plus an entry in
// every index: this test then fails.

describe('flag changes on a full page of messages', () => {
  let t: TestApp;
  let imap: ImapStoreService;
  beforeAll(async () => {
    t = await startTestApp();
    imap = t.app.get(ImapStoreService);
  });
  afterAll(() => t?.close());

  it('\\Flagged on a message delivered long ago is a HOT update (the page kept room for it)', async () => {
    const account = (await t.directory.addAccount({ address: 'hot@correio.test', password: 'password-1' })).id;
    const box = (await imap.createMailbox(account, 'Packed')).id;
    // Rows of one size (same-length Subject, Message-ID and body), so "the page is full" means the
    // same for every row on it.
    for (let i = 0; i < 40; i++) {
      const n = String(i).padStart(2, '0');
      const raw = Buffer.from(
        `From: Sender <s@example.org>\r\nTo: hot@correio.test\r\nSubject: packed ${n}\r\nMessage-ID: <packed-${n}@example.org>\r\n` +
          `Date: Mon, 07 Dec 2026 10:00:00 +0000\r\n\r\n${'body text '.repeat(20)}\r\n`,
      );
      await t.store.deliver({ raw, summary: await summarizeMessage(raw), targets: [{ accountId: account, mailbox: { id: box } }], envelopeFrom: 's@example.org' });
    }
    const { rows: shape } = await t.db.pool.query<{ pages: number; widest: number }>(
      `SELECT count(DISTINCT (ctid::text::point)[0])::int AS pages, max(pg_column_size(m.*))::int AS widest
         FROM messages m WHERE account_id = $1 AND mailbox_id = $2`,
      [account, box],
    );
    // The premise: UID 1's page was filled by later deliveries, and a row is smaller than the 15%
    // of a page that fillfactor 85 keeps free.
    expect(shape[0]!.pages).toBeGreaterThanOrEqual(3);
    expect(shape[0]!.widest).toBeLessThan(1_100);

    const client = await t.db.pool.connect();
    try {
      await client.query('BEGIN');
      // These count since the backend last reported its statistics (at most once a second on
      // PostgreSQL 15), not since BEGIN: the STORE's share is the difference.
      const counts = async () => {
        const { rows } = await client.query<{ updated: string; hot: string }>(
          `SELECT pg_stat_get_xact_tuples_updated('messages'::regclass) AS updated,
                  pg_stat_get_xact_tuples_hot_updated('messages'::regclass) AS hot`,
        );
        return { updated: Number(rows[0]!.updated), hot: Number(rows[0]!.hot) };
      };
      const before = await counts();
      const stored = await storeFlagsStatement(client, t.app.get(DB_FEATURES), {
        accountId: account,
        mailboxId: box,
        uids: [1],
        op: 'add',
        system: new Set(['flagged']),
        keywords: [],
      });
      expect(stored.length).toBe(1);
      const after = await counts();
      expect({ updated: after.updated - before.updated, hot: after.hot - before.hot }).toEqual({ updated: 1, hot: 1 });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  });
});
