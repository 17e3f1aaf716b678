import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FEATURES } from '../database/database.module.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { ImapStoreService } from './imap-store.service.js';
import { storeFlagsStatement } from './repositories/imap-write-statements.js';
import type { DeliveryTarget } from './mailbox-store.types.js';

// Each mailbox's message and unseen counts, and its keyword counts, are kept by statement triggers
// (migrations 20261213600000_mailbox_counts, 20261214200000_label_counts), except in the delivery,
// STORE and EXPUNGE statements, which keep them themselves and tell the triggers to skip them
// (20261216100000_counts_kept_by_statements). After every kind of write the kept counts must equal
// what a count over the messages says: a write path nobody counts, or a double count, fails here.

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));
let serial = 0;
const message = () => crlf(`From: x@example.org\nSubject: c${++serial}\nMessage-ID: <c${serial}-${Date.now()}@example.org>\n\nhello\n`);

describe('mailbox counts', () => {
  let t: TestApp;
  let imap: ImapStoreService;
  let account: string;
  let inbox: string;
  let archive: string;

  beforeAll(async () => {
    t = await startTestApp();
    imap = t.app.get(ImapStoreService);
    account = (await t.directory.addAccount({ address: 'counts@correio.test', password: 'password-1' })).id;
    const boxes = await t.store.listMailboxes(account);
    inbox = boxes.find((b) => b.specialUse === 'inbox')!.id;
    archive = boxes.find((b) => b.specialUse === 'archive')!.id;
  });
  afterAll(() => t?.close());

  async function deliver(targets: DeliveryTarget[], seen = false) {
    const raw = message();
    return t.store.deliver({ raw, summary: await summarizeMessage(raw), targets, envelopeFrom: 'x@example.org', flags: { seen } });
  }

  /** Kept counts and counted ones, per mailbox of the account. */
  async function expectCountsAgree(): Promise<Map<string, { total: number; unread: number }>> {
    const kept = new Map((await t.store.listMailboxes(account)).map((b) => [b.id, { total: b.total, unread: b.unread }]));
    const { rows } = await t.db.pool.query<{ id: string; total: number; unread: number }>(
      `SELECT b.id, count(m.id)::int AS total, (count(m.id) FILTER (WHERE NOT m.seen))::int AS unread
         FROM mailboxes b LEFT JOIN messages m ON m.account_id = b.account_id AND m.mailbox_id = b.id
        WHERE b.account_id = $1 GROUP BY b.id`,
      [account],
    );
    expect(Object.fromEntries(kept)).toEqual(Object.fromEntries(rows.map((r) => [r.id, { total: r.total, unread: r.unread }])));
    await expectKeywordCountsAgree();
    return kept;
  }

  /** mailbox_keyword_counts against a count over the messages' keywords. */
  async function expectKeywordCountsAgree(): Promise<void> {
    const key = (r: { mailbox_id: string; keyword: string; total: number; unseen: number }) =>
      `${r.mailbox_id}/${r.keyword}:${r.total}/${r.unseen}`;
    const kept = await t.db.pool.query(
      'SELECT mailbox_id::text, keyword, total, unseen FROM mailbox_keyword_counts WHERE account_id = $1 ORDER BY 1, 2',
      [account],
    );
    const counted = await t.db.pool.query(
      `SELECT m.mailbox_id::text, lower(k) AS keyword, count(*)::int AS total, (count(*) FILTER (WHERE NOT m.seen))::int AS unseen
         FROM messages m CROSS JOIN LATERAL unnest(m.keywords) k WHERE m.account_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [account],
    );
    expect(kept.rows.map(key)).toEqual(counted.rows.map(key));
  }

  it('follow deliveries (one and several copies, seen or not) and APPEND', async () => {
    for (let i = 0; i < 3; i++) await deliver([{ accountId: account, mailbox: { specialUse: 'inbox' } }]);
    await deliver([
      { accountId: account, mailbox: { id: inbox } },
      { accountId: account, mailbox: { id: archive }, seen: true },
    ]);
    await Promise.all(Array.from({ length: 10 }, () => deliver([{ accountId: account, mailbox: { specialUse: 'inbox' } }])));
    await imap.append(account, archive, message(), ['\\Seen']);
    const counts = await expectCountsAgree();
    expect(counts.get(inbox)).toEqual({ total: 14, unread: 14 });
    expect(counts.get(archive)).toEqual({ total: 2, unread: 0 });
  });

  it('follow flag changes over IMAP and the webmail, and ignore changes that are not \\Seen', async () => {
    await imap.storeFlags({ accountId: account, mailboxId: inbox, uids: [1, 2, 3], op: 'add', flags: ['\\Seen'] });
    await imap.storeFlags({ accountId: account, mailboxId: inbox, uids: [1, 2, 3, 4], op: 'add', flags: ['\\Flagged', 'Work'] });
    const [row] = await t.store.listMessages(account, inbox, 1);
    await t.store.updateFlags(account, row!.id, { seen: !row!.seen });
    await expectCountsAgree();
  });

  it('follow COPY, MOVE (IMAP and webmail), EXPUNGE and deleting a mailbox', async () => {
    await imap.copyMessages(account, inbox, [1, 2, 5], archive);
    await imap.moveMessages(account, inbox, [3, 6], archive);
    const [row] = await t.store.listMessages(account, inbox, 1);
    await t.store.move(account, row!.id, archive);
    await expectCountsAgree();
    await imap.storeFlags({ accountId: account, mailboxId: archive, uids: [1, 2], op: 'add', flags: ['\\Deleted'] });
    await imap.expunge(account, archive);
    await t.store.expunge(account, (await t.store.listMessages(account, inbox, 1))[0]!.id);
    await expectCountsAgree();
    const made = await imap.createMailbox(account, 'Projects');
    await imap.copyMessages(account, inbox, [7, 8], made.id);
    expect((await expectCountsAgree()).get(made.id)).toEqual({ total: 2, unread: 2 });
    await imap.deleteMailbox(account, 'Projects');
    await expectCountsAgree();
  });

  it('follow keyworded mail through delivery, STORE of \\Seen and EXPUNGE (the statements that count for themselves)', async () => {
    await deliver([{ accountId: account, mailbox: { id: archive }, keywords: ['Work', '$Label1'] }]);
    await deliver([{ accountId: account, mailbox: { id: archive }, keywords: ['work'], seen: true }]);
    await deliver([{ accountId: account, mailbox: { id: archive } }]);
    await expectCountsAgree();
    const uids = (
      await t.db.pool.query<{ uid: number }>('SELECT uid FROM messages WHERE account_id = $1 AND mailbox_id = $2 ORDER BY uid', [
        account,
        archive,
      ])
    ).rows.map((r) => r.uid);
    const last3 = uids.slice(-3);
    // \Seen on and off a keyworded message (its keyword's unseen count moves) and a plain one.
    for (const op of ['add', 'remove', 'add'] as const) {
      await imap.storeFlags({ accountId: account, mailboxId: archive, uids: [last3[0]!], op, flags: ['\\Seen'] });
      await imap.storeFlags({ accountId: account, mailboxId: archive, uids: [last3[2]!], op, flags: ['\\Seen'] });
      await expectCountsAgree();
    }
    // A STORE that changes nothing (already \Seen), and FLAGS replacing the keywords away.
    await imap.storeFlags({ accountId: account, mailboxId: archive, uids: [last3[0]!], op: 'add', flags: ['\\Seen'] });
    await imap.storeFlags({ accountId: account, mailboxId: archive, uids: [last3[1]!], op: 'replace', flags: [] });
    await expectCountsAgree();
    await imap.storeFlags({ accountId: account, mailboxId: archive, uids: last3, op: 'add', flags: ['\\Deleted'] });
    await imap.expunge(account, archive, [last3[0]!, last3[2]!]);
    await expectCountsAgree();
    await imap.expunge(account, archive);
    await expectCountsAgree();
  });

  it('skip only the statement that counted: a later statement of the same transaction is counted by the triggers', async () => {
    await deliver([{ accountId: account, mailbox: { id: inbox }, keywords: ['Later'] }]);
    const { rows } = await t.db.pool.query<{ id: string; uid: number; seen: boolean }>(
      'SELECT id, uid, seen FROM messages WHERE account_id = $1 AND mailbox_id = $2 ORDER BY uid DESC LIMIT 1',
      [account, inbox],
    );
    const row = rows[0]!;
    const client = await t.db.pool.connect();
    try {
      await client.query('BEGIN');
      // STORE's statement sets and consumes the markers; the plain UPDATE after it must count.
      await storeFlagsStatement(client, t.app.get(DB_FEATURES), {
        accountId: account,
        mailboxId: inbox,
        uids: [row.uid],
        op: 'add',
        system: new Set(['flagged']),
        keywords: [],
      });
      await client.query('UPDATE messages SET seen = NOT seen WHERE account_id = $1 AND id = $2', [account, row.id]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await expectCountsAgree();
  });

  it('stay exact when deliveries, STOREs and EXPUNGEs of one mailbox run at once', async () => {
    const box = (await imap.createMailbox(account, 'Busy')).id;
    for (let i = 0; i < 12; i++) await deliver([{ accountId: account, mailbox: { id: box }, keywords: i % 3 === 0 ? ['Hot'] : [] }]);
    const uids = (
      await t.db.pool.query<{ uid: number }>('SELECT uid FROM messages WHERE account_id = $1 AND mailbox_id = $2 ORDER BY uid', [
        account,
        box,
      ])
    ).rows.map((r) => r.uid);
    const work: Promise<unknown>[] = [];
    for (let round = 0; round < 3; round++) {
      for (const uid of uids)
        work.push(
          imap.storeFlags({ accountId: account, mailboxId: box, uids: [uid], op: round % 2 ? 'remove' : 'add', flags: ['\\Seen'] }),
        );
      work.push(deliver([{ accountId: account, mailbox: { id: box }, keywords: round === 1 ? ['Hot'] : [] }]));
      work.push(
        imap
          .storeFlags({ accountId: account, mailboxId: box, uids: uids.slice(round * 3, round * 3 + 3), op: 'add', flags: ['\\Deleted'] })
          .then(() => imap.expunge(account, box)),
      );
    }
    await Promise.all(work);
    await expectCountsAgree();
  });
});
