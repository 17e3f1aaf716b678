import type { BulkResult, ConversationList, MailboxList, MessagePage } from '@correio/contracts';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapStoreService } from '../mailbox-store/imap-store.service.js';
import { MailEventsService } from '../events/mail-events.service.js';
import type { MailboxChange } from '../mailbox-store/mailbox-store.types.js';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// Bulk actions over real HTTP against a real database, each followed by its undo: flags, moves of
// whole conversations (INBOX part only; the reply in Sent stays), delete to Trash, the change bus
// hearing every change (IMAP IDLE and live updates depend on it), another account's ids a 404.

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));

describe('bulk actions with undo', () => {
  let t: TestApp;
  let ana: { id: string; http: HttpClient };
  let bia: { id: string; http: HttpClient };
  let boxes: Record<string, string>;
  const ids: Record<string, string> = {};
  const heard: MailboxChange[] = [];

  async function deliver(key: string, raw: string, mailbox: 'inbox' | 'sent' = 'inbox', at = 0) {
    const bytes = crlf(raw);
    const [c] = await t.store.deliver({
      raw: bytes,
      summary: await summarizeMessage(bytes),
      targets: [{ accountId: ana.id, mailbox: { specialUse: mailbox } }],
      envelopeFrom: 'x@example.org',
      internalDate: new Date(Date.parse('2026-12-01T10:00:00Z') + at * 60_000),
    });
    ids[key] = c!.messageId;
  }

  const page = async (box: string) => (await ana.http.json<MessagePage>('GET', `/api/v1/mailboxes/${boxes[box]}/page?limit=200`)).items;
  const bulk = (http: HttpClient, body: unknown) => http.request('POST', '/api/v1/bulk', body);
  const undo = async (token: string) => (await ana.http.json<{ restored: number }>('POST', '/api/v1/bulk/undo', { token })).restored;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    const account = async (address: string) => {
      const id = (await t.directory.addAccount({ address, password: `${address}-pw` })).id;
      const http = new HttpClient(t.baseUrl);
      expect((await http.login(address, `${address}-pw`)).status).toBe(200);
      return { id, http };
    };
    ana = await account('ana@ifsc.edu');
    bia = await account('bia@ifsc.edu');
    boxes = Object.fromEntries(
      (await ana.http.json<MailboxList>('GET', '/api/v1/mailboxes')).items.map((m) => [m.specialUse ?? m.name, m.id]),
    );
    await deliver('a1', 'From: b@paulolopes.fr\nTo: ana@ifsc.edu\nSubject: A\nMessage-ID: <a1@p.fr>\n\n1\n', 'inbox', 1);
    await deliver(
      'a2',
      'From: ana@ifsc.edu\nTo: b@paulolopes.fr\nSubject: Re: A\nMessage-ID: <a2@ifsc.edu>\nIn-Reply-To: <a1@p.fr>\n\n2\n',
      'sent',
      2,
    );
    await deliver(
      'a3',
      'From: b@paulolopes.fr\nTo: ana@ifsc.edu\nSubject: Re: A\nMessage-ID: <a3@p.fr>\nIn-Reply-To: <a2@ifsc.edu>\n\n3\n',
      'inbox',
      3,
    );
    await deliver('b1', 'From: c@example.org\nTo: ana@ifsc.edu\nSubject: B\nMessage-ID: <b1@e.org>\n\n4\n', 'inbox', 4);
    t.app.get(MailEventsService).subscribe((c: MailboxChange) => heard.push(c));
  });
  afterAll(() => t?.close());

  it('marks read, then undo marks unread again only what it changed', async () => {
    await ana.http.json('PATCH', `/api/v1/messages/${ids.b1}`, { seen: true });
    const res = await bulk(ana.http, { target: { ids: [ids.a1, ids.a3, ids.b1] }, action: { type: 'markRead' } });
    const body = (await res.json()) as BulkResult;
    expect(body.affected).toBe(2);
    expect((await page('inbox')).every((m) => m.seen)).toBe(true);
    expect(heard.some((c) => c.kind === 'flags' && c.mailboxId === boxes.inbox && c.uids.length === 2)).toBe(true);
    expect(await undo(body.undo!.token)).toBe(2);
    const seen = Object.fromEntries((await page('inbox')).map((m) => [m.id, m.seen]));
    expect(seen).toEqual({ [ids.a1!]: false, [ids.a3!]: false, [ids.b1!]: true });
    // An undo token works once.
    expect((await ana.http.request('POST', '/api/v1/bulk/undo', { token: body.undo!.token })).status).toBe(404);
  });

  it('archives a conversation (its INBOX messages, not the reply in Sent), and undo brings it back', async () => {
    const conv = (await ana.http.json<ConversationList>('GET', '/api/v1/conversations')).items.find((c) => c.subject === 'Re: A')!;
    const body = (await (
      await bulk(ana.http, { target: { conversationIds: [conv.id] }, action: { type: 'archive' } })
    ).json()) as BulkResult;
    expect(body.affected).toBe(2);
    expect((await page('inbox')).map((m) => m.subject)).toEqual(['B']);
    expect((await page('archive')).map((m) => m.id).sort()).toEqual([ids.a1, ids.a3].sort());
    expect((await page('sent')).map((m) => m.id)).toEqual([ids.a2]);
    expect(heard.some((c) => c.kind === 'expunge' && c.mailboxId === boxes.inbox)).toBe(true);
    expect(heard.some((c) => c.kind === 'exists' && c.mailboxId === boxes.archive)).toBe(true);
    expect(await undo(body.undo!.token)).toBe(2);
    expect((await page('inbox')).map((m) => m.subject)).toEqual(['B', 'Re: A', 'A']);
    expect(await page('archive')).toEqual([]);
  });

  it('deletes to Trash, undo moves back; delete in Trash is for good and has no undo', async () => {
    const body = (await (await bulk(ana.http, { target: { ids: [ids.b1] }, action: { type: 'delete' } })).json()) as BulkResult;
    expect(body.affected).toBe(1);
    expect((await page('trash')).map((m) => m.id)).toEqual([ids.b1]);
    expect(await undo(body.undo!.token)).toBe(1);
    expect((await page('inbox')).map((m) => m.id)).toContain(ids.b1);
    await bulk(ana.http, { target: { ids: [ids.b1] }, action: { type: 'delete' } });
    const forGood = (await (await bulk(ana.http, { target: { ids: [ids.b1] }, action: { type: 'delete' } })).json()) as BulkResult;
    expect(forGood).toEqual({ affected: 1, undo: null });
    expect(await page('trash')).toEqual([]);
    // The store's IMAP view agrees: Trash is empty, with tombstones (CONDSTORE/QRESYNC) for UID 1
    // (moved out by the undo) and UID 2 (the second visit, expunged for good).
    const imap = t.app.get(ImapStoreService);
    expect((await imap.changesSince(ana.id, boxes.trash!, 0n)).vanished.sort()).toEqual([1, 2]);
  });

  it('stars, junks and brings back from Junk, moves to a folder, each undone', async () => {
    const star = (await (await bulk(ana.http, { target: { ids: [ids.a1] }, action: { type: 'star' } })).json()) as BulkResult;
    expect((await page('inbox')).find((m) => m.id === ids.a1)!.flagged).toBe(true);
    await undo(star.undo!.token);
    expect((await page('inbox')).find((m) => m.id === ids.a1)!.flagged).toBe(false);
    const junk = (await (await bulk(ana.http, { target: { ids: [ids.a1] }, action: { type: 'junk' } })).json()) as BulkResult;
    expect((await page('junk')).map((m) => m.id)).toEqual([ids.a1]);
    const back = (await (await bulk(ana.http, { target: { ids: [ids.a1] }, action: { type: 'notJunk' } })).json()) as BulkResult;
    expect(back.affected).toBe(1);
    expect(await page('junk')).toEqual([]);
    expect(junk.undo).not.toBeNull();
    const moved = (await (
      await bulk(ana.http, { target: { ids: [ids.a1, ids.a3] }, action: { type: 'move', mailboxId: boxes.archive } })
    ).json()) as BulkResult;
    expect(moved.affected).toBe(2);
    expect(await undo(moved.undo!.token)).toBe(2);
    expect((await page('inbox')).map((m) => m.id)).toEqual(expect.arrayContaining([ids.a1, ids.a3]));
  });

  it("answers 404 for another account's messages, conversations, labels and mailboxes, and 400 for bad input", async () => {
    expect((await bulk(bia.http, { target: { ids: [ids.a1] }, action: { type: 'markRead' } })).status).toBe(404);
    expect((await bulk(bia.http, { target: { conversationIds: ['1'] }, action: { type: 'delete' } })).status).toBe(404);
    const { items } = await bia.http.json<MailboxList>('GET', '/api/v1/mailboxes');
    expect((await bulk(ana.http, { target: { ids: [ids.a1] }, action: { type: 'move', mailboxId: items[0]!.id } })).status).toBe(404);
    expect((await bulk(ana.http, { target: { ids: [ids.a1] }, action: { type: 'addLabel', labelId: '999999' } })).status).toBe(404);
    expect((await bulk(ana.http, { target: { ids: [] }, action: { type: 'markRead' } })).status).toBe(400);
    expect((await bulk(ana.http, { target: { ids: [ids.a1] }, action: { type: 'explode' } })).status).toBe(400);
    expect((await bulk(ana.http, { target: { query: 'before:yesterday' }, action: { type: 'markRead' } })).status).toBe(400);
    expect((await page('inbox')).find((m) => m.id === ids.a1)!.seen).toBe(false);
  });
});
