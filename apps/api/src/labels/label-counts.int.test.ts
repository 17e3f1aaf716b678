import type { BulkResult, Counts, LabelList, LabelView, MailboxList } from '@correio/contracts';
import { summarizeMessage } from '@correio/mime';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// The label counts the store keeps per (mailbox, keyword) in statement-level triggers (migration
// 20261214200000_label_counts) must equal a recount of the messages after every kind of write:
// delivery with keywords, the webmail's bulk actions (by ids and by query), IMAP STORE / COPY /
// MOVE / EXPUNGE, a label's rename and delete (the keyword rewrite), a folder's delete. After each
// step the kept rows are compared with the aggregate they replace, and GET /counts with what the
// step should have done.

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));

describe('label counts kept by the store', () => {
  let t: TestApp;
  let http: HttpClient;
  let accountId: string;
  let imap: ImapFlow;
  let boxes: Record<string, string>;
  const ids: string[] = [];

  /** The kept rows and a recount from the messages, in the same shape and order. */
  const keptAndRecounted = async () => {
    const kept = await t.db.pool.query(
      `SELECT mailbox_id::text, keyword, total, unseen FROM mailbox_keyword_counts WHERE account_id = $1 ORDER BY 1, 2`,
      [accountId],
    );
    const recount = await t.db.pool.query(
      `SELECT m.mailbox_id::text, lower(k) AS keyword, count(*)::int AS total, (count(*) FILTER (WHERE NOT m.seen))::int AS unseen
         FROM messages m CROSS JOIN LATERAL unnest(m.keywords) k
        WHERE m.account_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [accountId],
    );
    return { kept: kept.rows, recount: recount.rows };
  };
  const expectKeptEqualsRecount = async () => {
    const { kept, recount } = await keptAndRecounted();
    expect(kept).toEqual(recount);
    return kept;
  };
  const labelCounts = async (name: string) => {
    const { items } = await http.json<LabelList>('GET', '/api/v1/labels');
    const label = items.find((l) => l.name === name);
    if (!label) return undefined;
    const counts = await http.json<Counts>('GET', '/api/v1/counts');
    const fromCounts = counts.labels.find((l) => l.id === label.id);
    // GET /labels and GET /counts read the same kept rows.
    expect({ total: label.total, unread: label.unread }).toEqual({ total: fromCounts?.total, unread: fromCounts?.unread });
    return { total: label.total, unread: label.unread };
  };
  const bulk = (target: unknown, action: unknown) => http.json<BulkResult>('POST', '/api/v1/bulk', { target, action });

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_ROLES: 'http,imap' });
    accountId = (await t.directory.addAccount({ address: 'ana@ifsc.edu', password: 'ana-pw-123' })).id;
    http = new HttpClient(t.baseUrl);
    expect((await http.login('ana@ifsc.edu', 'ana-pw-123')).status).toBe(200);
    const { items } = await http.json<MailboxList>('GET', '/api/v1/mailboxes');
    boxes = Object.fromEntries(items.filter((m) => m.specialUse).map((m) => [m.specialUse as string, m.id]));
    imap = new ImapFlow({
      host: '127.0.0.1',
      port: t.imapPorts!.plain,
      secure: false,
      doSTARTTLS: true,
      tls: { rejectUnauthorized: false },
      auth: { user: 'ana@ifsc.edu', pass: 'ana-pw-123' },
      logger: false,
    });
    await imap.connect();
  });
  afterAll(async () => {
    await imap?.logout().catch(() => {});
    await t?.close();
  });

  it('counts keywords a delivery stores, and a plain delivery writes no row', async () => {
    await http.json<LabelView>('POST', '/api/v1/labels', { name: 'Work' });
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const raw = crlf(`From: x@example.org\nTo: ana@ifsc.edu\nSubject: m${n}\nMessage-ID: <c${n}@example.org>\n\nbody ${n}\n`);
      const [c] = await t.store.deliver({
        raw,
        summary: await summarizeMessage(raw),
        // Message 6 arrives labelled (as a filter's "apply label" delivers it), and read.
        targets: [{ accountId, mailbox: { specialUse: 'inbox' }, ...(n === 6 ? { keywords: ['Work'] } : {}) }],
        envelopeFrom: 'x@example.org',
        flags: { seen: n % 2 === 0 },
      });
      ids.push(c!.messageId);
    }
    expect(await expectKeptEqualsRecount()).toEqual([{ mailbox_id: boxes.inbox, keyword: 'work', total: 1, unseen: 0 }]);
    expect(await labelCounts('Work')).toEqual({ total: 1, unread: 0 });
  });

  it('follows bulk labelling by ids and by query, and the read state', async () => {
    const { items } = await http.json<LabelList>('GET', '/api/v1/labels');
    const work = items.find((l) => l.name === 'Work')!;
    await bulk({ ids: [ids[0], ids[1], ids[2]] }, { type: 'addLabel', labelId: work.id });
    await expectKeptEqualsRecount();
    expect(await labelCounts('Work')).toEqual({ total: 4, unread: 2 });
    await bulk({ ids: [ids[0]] }, { type: 'markRead' });
    await expectKeptEqualsRecount();
    expect(await labelCounts('Work')).toEqual({ total: 4, unread: 1 });
    // The whole "all matching" path: every message of the query, server-side.
    const trips = await http.json<LabelView>('POST', '/api/v1/labels', { name: 'Trips' });
    await bulk({ query: 'in:inbox', mailboxId: boxes.inbox }, { type: 'addLabel', labelId: trips.id });
    await expectKeptEqualsRecount();
    expect(await labelCounts('Trips')).toEqual({ total: 6, unread: 2 });
    await bulk({ ids: [ids[3], ids[4]] }, { type: 'removeLabel', labelId: trips.id });
    await expectKeptEqualsRecount();
    expect(await labelCounts('Trips')).toEqual({ total: 4, unread: 1 });
  });

  it('follows IMAP STORE, COPY, MOVE and EXPUNGE', async () => {
    await imap.mailboxOpen('INBOX');
    await imap.messageFlagsAdd('5', ['WORK', 'Urgent'], { uid: true }); // case-insensitive: the label's keyword
    await expectKeptEqualsRecount();
    expect(await labelCounts('Work')).toEqual({ total: 5, unread: 2 });
    await imap.messageFlagsAdd('5', ['\\Seen'], { uid: true });
    await expectKeptEqualsRecount();
    expect(await labelCounts('Work')).toEqual({ total: 5, unread: 1 });
    await imap.messageCopy('1:2', 'Archive', { uid: true }); // both read
    await expectKeptEqualsRecount();
    expect(await labelCounts('Work')).toEqual({ total: 7, unread: 1 });
    await imap.messageMove('2', 'Archive', { uid: true }); // out of INBOX, into Archive: the same count
    await expectKeptEqualsRecount();
    expect(await labelCounts('Work')).toEqual({ total: 7, unread: 1 });
    await imap.messageFlagsAdd('3', ['\\Deleted'], { uid: true });
    await imap.messageDelete('3', { uid: true }); // UID EXPUNGE of the last unread one
    await expectKeptEqualsRecount();
    expect(await labelCounts('Work')).toEqual({ total: 6, unread: 0 });
  });

  it('leaves Trash and Junk out of the label counts, and counts them again when restored', async () => {
    const moved = await bulk({ ids: [ids[0]] }, { type: 'delete' });
    await expectKeptEqualsRecount();
    expect(await labelCounts('Work')).toEqual({ total: 5, unread: 0 });
    await http.json('POST', '/api/v1/bulk/undo', { token: moved.undo!.token });
    await expectKeptEqualsRecount();
    expect(await labelCounts('Work')).toEqual({ total: 6, unread: 0 });
  });

  it('follows a rename and a delete of the label (the keyword rewrite), and a folder removed with its mail', async () => {
    const { items } = await http.json<LabelList>('GET', '/api/v1/labels');
    const work = items.find((l) => l.name === 'Work')!;
    await http.json<LabelView>('PATCH', `/api/v1/labels/${work.id}`, { name: 'Office' });
    const rows = await expectKeptEqualsRecount();
    expect(rows.some((r) => r.keyword === 'work')).toBe(false);
    expect(await labelCounts('Office')).toEqual({ total: 6, unread: 0 });
    expect((await http.request('DELETE', `/api/v1/labels/${work.id}`)).status).toBeLessThan(300);
    expect((await expectKeptEqualsRecount()).some((r) => r.keyword === 'office')).toBe(false);

    const folder = await http.json<{ id: string }>('POST', '/api/v1/mailboxes', { name: 'Projects' });
    await bulk({ ids: [ids[5]] }, { type: 'move', mailboxId: folder.id });
    expect(await labelCounts('Trips')).toEqual({ total: 5, unread: 0 });
    expect((await expectKeptEqualsRecount()).some((r) => r.mailbox_id === folder.id)).toBe(true);
    expect((await http.request('DELETE', `/api/v1/mailboxes/${folder.id}`)).status).toBeLessThan(300);
    // Its mail goes to Trash (or away): either way it no longer counts for the label.
    expect((await expectKeptEqualsRecount()).some((r) => r.mailbox_id === folder.id)).toBe(false);
    expect(await labelCounts('Trips')).toEqual({ total: 4, unread: 0 });
  });
});
