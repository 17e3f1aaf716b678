import type { TestApp } from './test-app.js';

/**
 * `count` tiny messages in the account's INBOX, inserted in two statements (plan tests need a
 * mailbox with history; delivering them one by one would take minutes). Message-IDs are
 * `<m{n}@x>`, each its own thread; no ANALYZE is run (callers decide whether statistics exist).
 */
export async function insertBulkMessages(t: TestApp, accountId: string, count: number): Promise<void> {
  await t.db.pool.query(
    `INSERT INTO blobs (account_id, sha256, size, data) SELECT $1, md5(g::text), 1, 'x' FROM generate_series(1, $2::int) g`,
    [accountId, count],
  );
  const inbox = (await t.store.listMailboxes(accountId)).find((b) => b.specialUse === 'inbox')!;
  await t.db.pool.query(
    `INSERT INTO messages (account_id, mailbox_id, uid, modseq, internal_date, size, blob_id, message_id_hdr, subject, from_name,
       from_address, to_addresses, cc_addresses, snippet, attachments, thread_id)
     SELECT $1, $2, n, n, now(), 1, id, '<m' || n || '@x>', 's', '', 'a@b', '[]', '[]', '', '[]', n
       FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM blobs WHERE account_id = $1) b`,
    [accountId, inbox.id],
  );
}
