import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { ImapStoreService } from './imap-store.service.js';
import type { DeliveryTarget } from './mailbox-store.types.js';

// Each mailbox's message and unseen counts are kept by statement triggers (migration
// 20261213600000_mailbox_counts). After every kind of write the kept counts must equal what a
// count over the messages says: a write path the triggers miss, or a double count, fails here.

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
    return kept;
  }

  it('follow deliveries (one and several copies, seen or not) and APPEND', async () => {
    for (let i = 0; i < 3; i++) await deliver([{ accountId: account, mailbox: { specialUse: 'inbox' } }]);
    await deliver([{ accountId: account, mailbox: { id: inbox } }, { accountId: account, mailbox: { id: archive }, seen: true }]);
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
});
