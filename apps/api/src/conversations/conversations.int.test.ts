import type { ConversationDetail, ConversationList, LabelView, MailboxList, MessagePage } from '@correio/contracts';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// The webmail's lists over real HTTP against a real database: conversations grouped by the store's
// thread id across mailboxes (a reply in Sent is in its INBOX conversation), keyset pages, a label's
// conversations, the flat page with labels, and another account's objects as 404.

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));

describe('conversations API', () => {
  let t: TestApp;
  let ana: { id: string; http: HttpClient };
  let bia: { id: string; http: HttpClient };
  let boxes: Record<string, string>;
  const t0 = Date.parse('2026-12-01T10:00:00Z');

  async function deliver(raw: string, at: number, mailbox: 'inbox' | 'sent' | 'trash' = 'inbox', accountId = ana.id) {
    const bytes = crlf(raw);
    const [copy] = await t.store.deliver({
      raw: bytes,
      summary: await summarizeMessage(bytes),
      targets: [{ accountId, mailbox: { specialUse: mailbox } }],
      envelopeFrom: 'x@example.org',
      internalDate: new Date(t0 + at * 60_000),
      flags: { seen: mailbox === 'sent' },
    });
    return copy!;
  }

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
    const { items } = await ana.http.json<MailboxList>('GET', '/api/v1/mailboxes');
    boxes = Object.fromEntries(items.map((m) => [m.specialUse ?? m.name, m.id]));

    // Thread A: Bruna writes, Ana replies (Sent), Bruna answers again.
    await deliver(
      'From: Bruna <bruna@paulolopes.fr>\nTo: ana@ifsc.edu\nSubject: Relatório\nMessage-ID: <a1@paulolopes.fr>\n\nprimeiro\n',
      1,
    );
    await deliver(
      'From: Ana <ana@ifsc.edu>\nTo: bruna@paulolopes.fr\nSubject: Re: Relatório\nMessage-ID: <a2@ifsc.edu>\nIn-Reply-To: <a1@paulolopes.fr>\n\nresposta\n',
      2,
      'sent',
    );
    await deliver(
      'From: Bruna <bruna@paulolopes.fr>\nTo: ana@ifsc.edu\nSubject: Re: Relatório\nMessage-ID: <a3@paulolopes.fr>\nIn-Reply-To: <a2@ifsc.edu>\nReferences: <a1@paulolopes.fr> <a2@ifsc.edu>\n\nterceiro\n',
      5,
    );
    // Thread B: one message, newer than A's last.
    await deliver('From: Joel <joel@ifsc.edu>\nTo: ana@ifsc.edu\nSubject: Almoço\nMessage-ID: <b1@ifsc.edu>\n\nvamos?\n', 6);
    // Thread C: older, with a message in Trash (hidden unless Trash is viewed).
    await deliver('From: Caio <caio@example.org>\nTo: ana@ifsc.edu\nSubject: Antigo\nMessage-ID: <c1@example.org>\n\nvelho\n', 0);
    await deliver(
      'From: Caio <caio@example.org>\nTo: ana@ifsc.edu\nSubject: Re: Antigo\nMessage-ID: <c2@example.org>\nIn-Reply-To: <c1@example.org>\n\nlixo\n',
      3,
      'trash',
    );
    // Bia's own mail, to prove isolation.
    await deliver('From: x@example.org\nTo: bia@ifsc.edu\nSubject: Bia\nMessage-ID: <z1@example.org>\n\nz\n', 1, 'inbox', bia.id);
  });
  afterAll(() => t?.close());

  it('groups a thread across INBOX and Sent, newest conversation first, with counts and participants', async () => {
    const list = await ana.http.json<ConversationList>('GET', '/api/v1/conversations');
    expect(list.items.map((c) => c.subject)).toEqual(['Almoço', 'Re: Relatório', 'Antigo']);
    const a = list.items[1]!;
    expect(a).toMatchObject({
      messageCount: 3,
      unreadCount: 2,
      starred: false,
      hasAttachments: false,
      snippet: expect.stringContaining('terceiro'),
    });
    expect(a.participants.map((p) => p.name)).toEqual(['Bruna', 'Ana']);
    expect(new Set(a.mailboxIds)).toEqual(new Set([boxes.inbox, boxes.sent]));
    // Trash is left out of the INBOX view's counts.
    expect(list.items[2]).toMatchObject({ messageCount: 1, mailboxIds: [boxes.inbox] });
    expect(list.nextCursor).toBeNull();
  });

  it('pages by keyset cursor without repeating or skipping a conversation', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ConversationList = await ana.http.json<ConversationList>(
        'GET',
        `/api/v1/conversations?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((c) => c.subject));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Almoço', 'Re: Relatório', 'Antigo']);
    expect((await ana.http.request('GET', '/api/v1/conversations?cursor=bm9wZQ')).status).toBe(400);
  });

  it('opens a conversation: its messages across mailboxes, oldest first; Trash only from the Trash view', async () => {
    const list = await ana.http.json<ConversationList>('GET', '/api/v1/conversations');
    const a = await ana.http.json<ConversationDetail>('GET', `/api/v1/conversations/${list.items[1]!.id}`);
    expect(a.messages.map((m) => [m.snippet.trim(), m.mailboxId])).toEqual([
      ['primeiro', boxes.inbox],
      ['resposta', boxes.sent],
      ['terceiro', boxes.inbox],
    ]);
    const c = list.items[2]!.id;
    expect((await ana.http.json<ConversationDetail>('GET', `/api/v1/conversations/${c}`)).messages).toHaveLength(1);
    expect((await ana.http.json<ConversationDetail>('GET', `/api/v1/conversations/${c}?mailboxId=${boxes.trash}`)).messages).toHaveLength(
      2,
    );
    const trash = await ana.http.json<ConversationList>('GET', `/api/v1/conversations?mailboxId=${boxes.trash}`);
    expect(trash.items.map((x) => [x.subject, x.messageCount])).toEqual([['Re: Antigo', 2]]);
  });

  it("lists a label's conversations and shows labels on pages", async () => {
    const label = await ana.http.json<LabelView>('POST', '/api/v1/labels', { name: 'Família', colour: '#AA0000' });
    expect(label).toMatchObject({ keyword: '$label_familia', colour: '#aa0000' });
    const page = await ana.http.json<MessagePage>('GET', `/api/v1/mailboxes/${boxes.inbox}/page?limit=2`);
    expect(page.items.map((m) => m.subject)).toEqual(['Almoço', 'Re: Relatório']);
    const target = page.items[0]!;
    const bulk = await ana.http.request('POST', '/api/v1/bulk', {
      target: { ids: [target.id] },
      action: { type: 'addLabel', labelId: label.id },
    });
    expect(bulk.status).toBe(200);
    const again = await ana.http.json<MessagePage>('GET', `/api/v1/mailboxes/${boxes.inbox}/page?limit=2`);
    expect(again.items[0]).toMatchObject({ id: target.id, labelIds: [label.id], keywords: [] });
    const next = await ana.http.json<MessagePage>('GET', `/api/v1/mailboxes/${boxes.inbox}/page?limit=2&cursor=${again.nextCursor}`);
    expect(next.items.map((m) => m.subject)).toEqual(['Relatório', 'Antigo']);
    const byLabel = await ana.http.json<ConversationList>('GET', `/api/v1/conversations?labelId=${label.id}`);
    expect(byLabel.items.map((c) => [c.subject, c.labelIds])).toEqual([['Almoço', [label.id]]]);
    const list = await ana.http.json<ConversationList>('GET', '/api/v1/conversations');
    expect(list.items[0]!.labelIds).toEqual([label.id]);
  });

  it("answers 404 for another account's mailbox, label and conversation", async () => {
    const list = await ana.http.json<ConversationList>('GET', '/api/v1/conversations');
    const { items: labels } = await ana.http.json<{ items: LabelView[] }>('GET', '/api/v1/labels');
    expect((await bia.http.request('GET', `/api/v1/conversations/${list.items[0]!.id}`)).status).toBe(404);
    expect((await bia.http.request('GET', `/api/v1/conversations?mailboxId=${boxes.inbox}`)).status).toBe(404);
    expect((await bia.http.request('GET', `/api/v1/conversations?labelId=${labels[0]!.id}`)).status).toBe(404);
    expect((await bia.http.request('GET', `/api/v1/mailboxes/${boxes.inbox}/page`)).status).toBe(404);
    expect((await bia.http.request('GET', '/api/v1/conversations/99999999999999999999')).status).toBe(404);
    const own = await bia.http.json<ConversationList>('GET', '/api/v1/conversations');
    expect(own.items.map((c) => c.subject)).toEqual(['Bia']);
    // Her own conversation, viewed from another account's mailbox: 404 (the view is checked with the read).
    expect((await bia.http.request('GET', `/api/v1/conversations/${own.items[0]!.id}?mailboxId=${boxes.inbox}`)).status).toBe(404);
    expect((await ana.http.request('GET', `/api/v1/conversations/${list.items[0]!.id}?mailboxId=${boxes.inbox}`)).status).toBe(200);
  });
});
