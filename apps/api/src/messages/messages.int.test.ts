import { createHash } from 'node:crypto';
import type { DeleteMessageResult, MailboxList, MessageDetail, MessageList, MessageSummary } from '@correio/contracts';
import { summarizeMessage } from '@correio/mime';
import { SmtpTranscript, code } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// The REST mail API over real HTTP, on mail delivered through the real store (and over SMTP), against
// a real database. DESIGN invariant 4: another account's object is indistinguishable from a missing one.

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));

const PDF = Buffer.from('%PDF-1.4\n%äüöß binary \u0000\u0001\u00ff\n', 'latin1');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);

/** A realistic message: text + hostile HTML with an inline and a remote image, and a PDF. */
function richMessage(): Buffer {
  return crlf(
    'From: Bruna <bruna@paulolopes.fr>\nTo: Joel <joel@ifsc.edu>, ana@ifsc.edu\nCc: =?UTF-8?Q?C=C3=A9u?= <ceu@ifsc.edu>\n' +
      'Reply-To: bruna.home@paulolopes.fr\nSubject: =?UTF-8?Q?Relat=C3=B3rio?= mensal\nMessage-ID: <rich-1@paulolopes.fr>\n' +
      'Date: Tue, 24 Nov 2026 09:30:00 +0000\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="MIX"\n\n' +
      '--MIX\nContent-Type: multipart/alternative; boundary="ALT"\n\n' +
      '--ALT\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nSegue o relatório.\n' +
      '--ALT\nContent-Type: multipart/related; boundary="REL"\n\n' +
      '--REL\nContent-Type: text/html; charset=utf-8\n\n' +
      '<p onclick="steal()">Segue o <b>relatório</b>.<script>alert(1)</script></p><img src="cid:logo@paulolopes.fr"><img src="https://tracker.example/open.gif">\n' +
      `--REL\nContent-Type: image/png\nContent-ID: <logo@paulolopes.fr>\nContent-Transfer-Encoding: base64\n\n${PNG.toString('base64')}\n` +
      '--REL--\n--ALT--\n' +
      '--MIX\nContent-Type: application/pdf\nContent-Disposition: attachment; filename="relatorio novembro.pdf"\nContent-Transfer-Encoding: base64\n\n' +
      `${PDF.toString('base64')}\n` +
      '--MIX--\n',
  );
}

function simple(subject: string, id: string): Buffer {
  return crlf(`From: x@example.org\nTo: ana@ifsc.edu\nSubject: ${subject}\nMessage-ID: <${id}@example.org>\n\n${subject} body\n`);
}

describe('REST mail API', () => {
  let t: TestApp;
  let ana: { id: string; http: HttpClient };
  let bia: { id: string; http: HttpClient };

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
  });
  afterAll(() => t?.close());

  async function deliver(accountId: string, raw: Buffer, options: { internalDate?: Date; seen?: boolean; mailbox?: string } = {}) {
    const [copy] = await t.store.deliver({
      raw,
      summary: await summarizeMessage(raw),
      targets: [{ accountId, mailbox: options.mailbox ? { id: options.mailbox } : { specialUse: 'inbox' } }],
      envelopeFrom: 'x@example.org',
      internalDate: options.internalDate,
      flags: { seen: options.seen },
    });
    return copy!;
  }

  async function mailboxes(http: HttpClient) {
    const { items } = await http.json<MailboxList>('GET', '/api/v1/mailboxes');
    const by = (use: string) => items.find((m) => m.specialUse === use)!;
    return { items, inbox: by('inbox'), archive: by('archive'), trash: by('trash'), sent: by('sent') };
  }

  async function listAll(http: HttpClient, mailboxId: string): Promise<MessageSummary[]> {
    return (await http.json<MessageList>('GET', `/api/v1/mailboxes/${mailboxId}/messages?limit=200`)).items;
  }

  async function expectError(res: Response, status: number, code: string) {
    expect(res.status).toBe(status);
    const body = (await res.json()) as { statusCode: number; code: string; message: string; details?: unknown };
    expect(body).toMatchObject({ statusCode: status, code });
    expect(typeof body.message).toBe('string');
    return body;
  }

  describe('mailboxes', () => {
    it('lists the standard mailboxes in the order Inbox, Drafts, Sent, Archive, Junk, Trash with counts', async () => {
      const cora = (await t.directory.addAccount({ address: 'cora@ifsc.edu', password: 'cora-password' })).id;
      const http = new HttpClient(t.baseUrl);
      await http.login('cora@ifsc.edu', 'cora-password');
      let { items } = await mailboxes(http);
      expect(items.map((m) => [m.name, m.specialUse, m.total, m.unread])).toEqual([
        ['INBOX', 'inbox', 0, 0],
        ['Drafts', 'drafts', 0, 0],
        ['Sent', 'sent', 0, 0],
        ['Archive', 'archive', 0, 0],
        ['Junk', 'junk', 0, 0],
        ['Trash', 'trash', 0, 0],
      ]);
      await deliver(cora, simple('one', 'c1'));
      await deliver(cora, simple('two', 'c2'), { seen: true });
      await deliver(cora, simple('three', 'c3'));
      const sentId = items.find((m) => m.specialUse === 'sent')!.id;
      await deliver(cora, simple('sent', 'c4'), { mailbox: sentId, seen: true });
      ({ items } = await mailboxes(http));
      expect(items.map((m) => [m.name, m.total, m.unread])).toEqual([
        ['INBOX', 3, 2],
        ['Drafts', 0, 0],
        ['Sent', 1, 0],
        ['Archive', 0, 0],
        ['Junk', 0, 0],
        ['Trash', 0, 0],
      ]);
      // Another account's mail never shows in these counts.
      const anaBoxes = await mailboxes(ana.http);
      expect(anaBoxes.items.map((m) => m.id).some((id) => items.some((c) => c.id === id))).toBe(false);
    });

    it('needs a session', async () => {
      await expectError(await new HttpClient(t.baseUrl).request('GET', '/api/v1/mailboxes'), 401, 'unauthenticated');
    });
  });

  describe('message list: newest first, keyset pagination', () => {
    let dan: { id: string; http: HttpClient };
    let inboxId: string;
    let expected: string[]; // ids, newest first
    let base: number;

    beforeAll(async () => {
      const id = (await t.directory.addAccount({ address: 'dan@ifsc.edu', password: 'dan-password' })).id;
      const http = new HttpClient(t.baseUrl);
      await http.login('dan@ifsc.edu', 'dan-password');
      dan = { id, http };
      inboxId = (await mailboxes(http)).inbox.id;
      // A day ago, whole seconds: mail delivered "now" later in this block is newer than all of these.
      base = Math.floor(Date.now() / 1000) * 1000 - 86_400_000;
      // Delivery order differs from date order, and two messages share a date (the id breaks the tie).
      const plan = [
        ['m-c', base + 2 * 60_000],
        ['m-a', base],
        ['m-e', base + 4 * 60_000],
        ['m-b', base + 2 * 60_000],
        ['m-d', base + 3 * 60_000],
      ] as const;
      const ids: Record<string, { id: string; at: number }> = {};
      for (const [name, at] of plan)
        ids[name] = { id: (await deliver(id, simple(name, name), { internalDate: new Date(at) })).messageId, at };
      expected = Object.values(ids)
        .sort((x, y) => y.at - x.at || Number(BigInt(y.id) - BigInt(x.id)))
        .map((x) => x.id);
    });

    it('lists newest first (by arrival time, then id)', async () => {
      const { items, nextCursor } = await dan.http.json<MessageList>('GET', `/api/v1/mailboxes/${inboxId}/messages`);
      expect(items.map((m) => m.id)).toEqual(expected);
      expect(items.map((m) => m.subject)).toEqual(['m-e', 'm-d', 'm-b', 'm-c', 'm-a']);
      expect(nextCursor).toBeNull();
      const first = items[0]!;
      expect(first).toMatchObject({
        mailboxId: inboxId,
        from: { name: '', address: 'x@example.org' },
        to: [{ name: '', address: 'ana@ifsc.edu' }],
      });
      expect(first.receivedAt).toBe(new Date(base + 4 * 60_000).toISOString());
    });

    it('pages of 2 over 5 messages neither overlap nor skip; the last page has nextCursor null', async () => {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page: MessageList = await dan.http.json<MessageList>('GET', `/api/v1/mailboxes/${inboxId}/messages?limit=2${q}`);
        pages.push(page.items.map((m) => m.id));
        cursor = page.nextCursor;
        expect(pages.length).toBeLessThan(10);
      } while (cursor);
      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(pages.flat()).toEqual(expected);
    });

    it('a page boundary is stable when newer mail arrives between pages', async () => {
      const first = await dan.http.json<MessageList>('GET', `/api/v1/mailboxes/${inboxId}/messages?limit=2`);
      const newer = await deliver(dan.id, simple('m-new', 'm-new'));
      const second = await dan.http.json<MessageList>(
        'GET',
        `/api/v1/mailboxes/${inboxId}/messages?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`,
      );
      expect(second.items.map((m) => m.id)).toEqual(expected.slice(2, 4));
      expect((await listAll(dan.http, inboxId))[0]!.id).toBe(newer.messageId);
    });

    it.each([
      ['garbage', 'not-a-cursor'],
      ['no separator', Buffer.from('2026-11-20T12:00:00.000Z').toString('base64url')],
      ['bad date', Buffer.from('yesterday|12').toString('base64url')],
      ['non-numeric id', Buffer.from('2026-11-20T12:00:00.000Z|12x').toString('base64url')],
      ['id past BIGINT', Buffer.from('2026-11-20T12:00:00.000Z|9999999999999999999').toString('base64url')],
      ['date PostgreSQL cannot hold', Buffer.from('-200000-01-01T00:00:00.000Z|12').toString('base64url')],
      ['too long', 'x'.repeat(201)],
    ])('a bad cursor (%s) → 400', async (_name, cursor) => {
      const res = await dan.http.request('GET', `/api/v1/mailboxes/${inboxId}/messages?cursor=${encodeURIComponent(cursor)}`);
      await expectError(res, 400, 'invalid_input');
    });

    it.each(['0', '201', 'abc', '-1', '1.5'])('limit=%s → 400 with details', async (limit) => {
      const body = await expectError(
        await dan.http.request('GET', `/api/v1/mailboxes/${inboxId}/messages?limit=${limit}`),
        400,
        'invalid_input',
      );
      expect(body.details).toEqual([expect.objectContaining({ path: 'limit' })]);
    });
  });

  describe('one message', () => {
    let raw: Buffer;
    /** What the MX stored: the sent bytes with its trace header(s) in front (RFC 5321 §4.4). */
    let stored: Buffer;
    let msg: MessageSummary;

    beforeAll(async () => {
      // This one arrives over SMTP (the MX), like real mail.
      raw = richMessage();
      const s = await SmtpTranscript.connect(t.smtpPort!);
      await s.read();
      await s.command('EHLO paulolopes.fr');
      expect(code(await s.command('MAIL FROM:<bruna@paulolopes.fr>'))).toBe(250);
      expect(code(await s.command('RCPT TO:<ana@ifsc.edu>'))).toBe(250);
      expect(code(await s.command('DATA'))).toBe(354);
      s.write(raw);
      expect(code(await s.command('.'))).toBe(250);
      await s.command('QUIT');
      s.close();
      const inbox = (await mailboxes(ana.http)).inbox;
      msg = (await listAll(ana.http, inbox.id)).find((m) => m.subject === 'Relatório mensal')!;
      expect(msg).toBeDefined();
      stored = (await t.store.getRaw(ana.id, msg.id)).raw;
      // Only header fields (the MX's trace: Received, Received-SPF, ...) may be added in front; the
      // sent bytes follow unchanged.
      expect(stored.subarray(stored.length - raw.length).equals(raw)).toBe(true);
      const added = stored.subarray(0, stored.length - raw.length).toString('latin1');
      expect(added).toMatch(/^([\x21-\x39\x3b-\x7e]+:[^\r\n]*(\r\n[ \t][^\r\n]*)*\r\n)+$/);
      expect(added).toMatch(/^Received: |\r\nReceived: /);
    });

    it('shows headers, text, sanitized HTML (remote blocked) and the attachment list', async () => {
      const d = await ana.http.json<MessageDetail>('GET', `/api/v1/messages/${msg.id}`);
      expect(d).toMatchObject({
        id: msg.id,
        subject: 'Relatório mensal',
        from: { name: 'Bruna', address: 'bruna@paulolopes.fr' },
        to: [
          { name: 'Joel', address: 'joel@ifsc.edu' },
          { name: '', address: 'ana@ifsc.edu' },
        ],
        cc: [{ name: 'Céu', address: 'ceu@ifsc.edu' }],
        replyTo: [{ name: '', address: 'bruna.home@paulolopes.fr' }],
        messageId: '<rich-1@paulolopes.fr>',
        sentAt: '2026-11-24T09:30:00.000Z',
        seen: false,
        hasAttachments: true,
        size: stored.length,
        hasRemoteContent: true,
      });
      expect(d.text.trim()).toBe('Segue o relatório.');
      expect(d.html).toContain('<b>relatório</b>');
      expect(d.html).not.toMatch(/script|onclick|alert|steal|tracker\.example/);
      expect(d.html).toContain(`<img src="data:image/png;base64,${PNG.toString('base64')}" />`);
      expect(d.attachments).toEqual([
        { index: 0, filename: 'attachment-1', contentType: 'image/png', size: PNG.length, contentId: 'logo@paulolopes.fr', inline: true },
        { index: 1, filename: 'relatorio novembro.pdf', contentType: 'application/pdf', size: PDF.length, contentId: null, inline: false },
      ]);
      expect(d.headers).toContainEqual({ name: 'Message-ID', value: '<rich-1@paulolopes.fr>' });
      expect(d.headers).toContainEqual({ name: 'Subject', value: '=?UTF-8?Q?Relat=C3=B3rio?= mensal' });
      // Reading it over REST does not mark it read (the client PATCHes seen).
      expect((await ana.http.json<MessageDetail>('GET', `/api/v1/messages/${msg.id}`)).seen).toBe(false);
    });

    it('a plain text reply (read without simpleParser): threading, Reply-To, text and headers as before', async () => {
      const reply = crlf(
        'From: Bruna <bruna@paulolopes.fr>\nTo: ana@ifsc.edu\nReply-To: Casa <bruna.home@paulolopes.fr>\n' +
          'Subject: Re: =?UTF-8?Q?Relat=C3=B3rio?=\nMessage-ID: <reply-1@paulolopes.fr>\nIn-Reply-To: <rich-1@paulolopes.fr>\n' +
          'References: <rich-0@paulolopes.fr>\n <rich-1@paulolopes.fr>\nContent-Type: text/plain; charset=utf-8\n\nObrigada!\n> Segue o relatório.\n',
      );
      const copy = await deliver(ana.id, reply);
      const d = await ana.http.json<MessageDetail>('GET', `/api/v1/messages/${copy.messageId}`);
      expect(d).toMatchObject({
        subject: 'Re: Relatório',
        replyTo: [{ name: 'Casa', address: 'bruna.home@paulolopes.fr' }],
        messageId: '<reply-1@paulolopes.fr>',
        inReplyTo: '<rich-1@paulolopes.fr>',
        references: ['<rich-0@paulolopes.fr>', '<rich-1@paulolopes.fr>'],
        html: null,
        hasRemoteContent: false,
        attachments: [],
        seen: false,
      });
      expect(d.text).toBe('Obrigada!\n> Segue o relatório.\n');
      expect(d.headers).toContainEqual({ name: 'References', value: '<rich-0@paulolopes.fr>\r\n <rich-1@paulolopes.fr>' });
      // Reading does not mark it read: the webmail's prefetch of visible rows relies on this.
      await ana.http.json<MessageDetail>('GET', `/api/v1/messages/${copy.messageId}`);
      expect((await listAll(ana.http, d.mailboxId)).find((m) => m.id === d.id)?.seen).toBe(false);
      await expectError(await ana.http.request('GET', `/api/v1/messages/${copy.messageId}9`), 404, 'not_found');
    });

    it('?remote=allow returns the remote image; any other value is a 400', async () => {
      const d = await ana.http.json<MessageDetail>('GET', `/api/v1/messages/${msg.id}?remote=allow`);
      expect(d.html).toContain('src="https://tracker.example/open.gif"');
      expect(d.hasRemoteContent).toBe(true);
      await expectError(await ana.http.request('GET', `/api/v1/messages/${msg.id}?remote=yes`), 400, 'invalid_input');
    });

    it('downloads the raw .eml byte for byte as message/rfc822', async () => {
      const res = await ana.http.request('GET', `/api/v1/messages/${msg.id}/raw`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('message/rfc822');
      expect(res.headers.get('content-disposition')).toMatch(
        /^attachment; filename="Relat_rio mensal\.eml"; filename\*=UTF-8''Relat%C3%B3rio%20mensal\.eml$/,
      );
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(stored));
    });

    it('downloads odd bytes exactly as delivered (8-bit, NUL, bare LF, no final line break)', async () => {
      const odd = Buffer.concat([
        Buffer.from('Subject: odd bytes\r\nX-Bin: '),
        Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a, 0x20, 0x0d]),
        Buffer.from('\r\n\r\nline\nbare lf\r\n.\r\n..dots\r\nno final break'),
      ]);
      const c = await deliver(ana.id, odd);
      const res = await ana.http.request('GET', `/api/v1/messages/${c.messageId}/raw`);
      expect(res.status).toBe(200);
      expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(odd));
    });

    it('downloads an attachment: the attached bytes, always as a download, sandboxed', async () => {
      const res = await ana.http.request('GET', `/api/v1/messages/${msg.id}/attachments/1`);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
      expect(res.headers.get('content-type')).toMatch(/^application\/pdf/);
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="relatorio novembro.pdf"; filename*=UTF-8''relatorio%20novembro.pdf`,
      );
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      const inline = await ana.http.request('GET', `/api/v1/messages/${msg.id}/attachments/0`);
      expect(Buffer.from(await inline.arrayBuffer()).equals(PNG)).toBe(true);
      expect(inline.headers.get('content-disposition')).toMatch(/^attachment;/);
    });

    it.each(['2', '9999', '99999', 'abc', '-1'])('attachment index %s → 404', async (index) => {
      await expectError(await ana.http.request('GET', `/api/v1/messages/${msg.id}/attachments/${index}`), 404, 'not_found');
    });
  });

  describe('flags, move, delete', () => {
    let eva: { id: string; http: HttpClient };
    let boxes: Awaited<ReturnType<typeof mailboxes>>;

    beforeAll(async () => {
      const id = (await t.directory.addAccount({ address: 'eva@ifsc.edu', password: 'eva-password' })).id;
      const http = new HttpClient(t.baseUrl);
      await http.login('eva@ifsc.edu', 'eva-password');
      eva = { id, http };
      boxes = await mailboxes(http);
    });

    it('PATCH seen/flagged changes the flags and the unread count', async () => {
      const a = await deliver(eva.id, simple('flag me', 'f1'));
      await deliver(eva.id, simple('other', 'f2'));
      expect((await mailboxes(eva.http)).inbox).toMatchObject({ total: 2, unread: 2 });

      const seen = await eva.http.json<MessageSummary>('PATCH', `/api/v1/messages/${a.messageId}`, { seen: true });
      expect(seen).toMatchObject({ id: a.messageId, seen: true, flagged: false, uid: a.uid });
      expect((await mailboxes(eva.http)).inbox).toMatchObject({ total: 2, unread: 1 });

      const flagged = await eva.http.json<MessageSummary>('PATCH', `/api/v1/messages/${a.messageId}`, { flagged: true });
      expect(flagged).toMatchObject({ seen: true, flagged: true });
      expect((await mailboxes(eva.http)).inbox).toMatchObject({ total: 2, unread: 1 });

      const unread = await eva.http.json<MessageSummary>('PATCH', `/api/v1/messages/${a.messageId}`, { seen: false, flagged: false });
      expect(unread).toMatchObject({ seen: false, flagged: false });
      expect((await mailboxes(eva.http)).inbox).toMatchObject({ total: 2, unread: 2 });
      expect((await eva.http.json<MessageDetail>('GET', `/api/v1/messages/${a.messageId}`)).seen).toBe(false);
    });

    it.each([
      ['an empty body', {}],
      ['a string flag', { seen: 'yes' }],
      ['null', { flagged: null }],
    ])('PATCH with %s → 400 with details', async (_name, body) => {
      const a = await deliver(eva.id, simple('bad patch', `bp-${Math.random()}`));
      const res = await eva.http.request('PATCH', `/api/v1/messages/${a.messageId}`, body);
      const err = await expectError(res, 400, 'invalid_input');
      expect(Array.isArray(err.details) && err.details.length).toBeGreaterThan(0);
    });

    it('moves to another mailbox: new UID there, gone from the source', async () => {
      const a = await deliver(eva.id, simple('move me', 'mv1'));
      const archiveBefore = (await t.store.listMailboxes(eva.id)).find((m) => m.specialUse === 'archive')!;
      const moved = await eva.http.json<MessageSummary>('POST', `/api/v1/messages/${a.messageId}/move`, { mailboxId: boxes.archive.id });
      expect(moved).toMatchObject({ id: a.messageId, mailboxId: boxes.archive.id, uid: archiveBefore.uidNext, subject: 'move me' });
      expect((await listAll(eva.http, boxes.inbox.id)).map((m) => m.id)).not.toContain(a.messageId);
      expect((await listAll(eva.http, boxes.archive.id)).map((m) => m.id)).toContain(a.messageId);
      // Moving it where it already is changes nothing.
      const again = await eva.http.json<MessageSummary>('POST', `/api/v1/messages/${a.messageId}/move`, { mailboxId: boxes.archive.id });
      expect(again.uid).toBe(moved.uid);
    });

    it.each([
      ['a missing mailboxId', {}, 400],
      ['a non-numeric mailboxId', { mailboxId: 'Archive' }, 400],
      ['a numeric mailboxId as a number', { mailboxId: 5 }, 400],
      ['an unknown mailbox', { mailboxId: '999999' }, 404],
      ['a mailboxId past BIGINT', { mailboxId: '9999999999999999999' }, 404],
    ])('move with %s → %d', async (_name, body, status) => {
      const a = await deliver(eva.id, simple('bad move', `bm-${Math.random()}`));
      const res = await eva.http.request('POST', `/api/v1/messages/${a.messageId}/move`, body);
      await expectError(res, status, status === 400 ? 'invalid_input' : 'not_found');
      expect((await eva.http.json<MessageDetail>('GET', `/api/v1/messages/${a.messageId}`)).mailboxId).toBe(boxes.inbox.id);
    });

    it('DELETE moves to Trash; DELETE in Trash expunges for good', async () => {
      const a = await deliver(eva.id, simple('delete me', 'del1'));
      const first = await eva.http.json<DeleteMessageResult>('DELETE', `/api/v1/messages/${a.messageId}`);
      expect(first).toEqual({ result: 'trashed', id: a.messageId });
      expect((await listAll(eva.http, boxes.trash.id)).map((m) => m.id)).toContain(a.messageId);
      expect((await listAll(eva.http, boxes.inbox.id)).map((m) => m.id)).not.toContain(a.messageId);

      const second = await eva.http.json<DeleteMessageResult>('DELETE', `/api/v1/messages/${a.messageId}`);
      expect(second).toEqual({ result: 'expunged', id: null });
      for (const path of ['', '/raw', '/attachments/0']) {
        await expectError(await eva.http.request('GET', `/api/v1/messages/${a.messageId}${path}`), 404, 'not_found');
      }
      await expectError(await eva.http.request('DELETE', `/api/v1/messages/${a.messageId}`), 404, 'not_found');
      expect((await listAll(eva.http, boxes.trash.id)).map((m) => m.id)).not.toContain(a.messageId);
    });
  });

  describe('isolation: another account’s objects are 404, exactly like missing ones', () => {
    let anaMsg: string;
    let anaInbox: string;
    let biaMsg: string;
    let biaArchive: string;
    let missingBody: unknown;

    beforeAll(async () => {
      anaMsg = (await deliver(ana.id, richMessage())).messageId;
      biaMsg = (await deliver(bia.id, simple('bia own', 'bia1'))).messageId;
      anaInbox = (await mailboxes(ana.http)).inbox.id;
      biaArchive = (await mailboxes(bia.http)).archive.id;
      missingBody = await (await bia.http.request('GET', '/api/v1/messages/9223372036854775807')).json();
    });

    const routes = (id: string, targetMailbox = '1'): [string, string, unknown][] => [
      ['GET', `/api/v1/messages/${id}`, undefined],
      ['GET', `/api/v1/messages/${id}?remote=allow`, undefined],
      ['GET', `/api/v1/messages/${id}/raw`, undefined],
      ['GET', `/api/v1/messages/${id}/attachments/1`, undefined],
      ['PATCH', `/api/v1/messages/${id}`, { seen: true, flagged: true }],
      ['POST', `/api/v1/messages/${id}/move`, { mailboxId: targetMailbox }],
      ['DELETE', `/api/v1/messages/${id}`, undefined],
    ];

    it("B gets 404 on every message route for A's message, and A's message is untouched", async () => {
      for (const [method, path, body] of routes(anaMsg, biaArchive)) {
        const res = await bia.http.request(method, path, body);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(await res.json(), `${method} ${path}`).toEqual(missingBody);
      }
      const d = await ana.http.json<MessageDetail>('GET', `/api/v1/messages/${anaMsg}`);
      expect(d).toMatchObject({ mailboxId: anaInbox, seen: false, flagged: false });
    });

    it("B gets 404 listing A's mailbox", async () => {
      const res = await bia.http.request('GET', `/api/v1/mailboxes/${anaInbox}/messages`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ statusCode: 404, code: 'not_found', message: 'mailbox not found' });
      const missing = await bia.http.request('GET', '/api/v1/mailboxes/9223372036854775807/messages');
      expect(await missing.json()).toEqual({ statusCode: 404, code: 'not_found', message: 'mailbox not found' });
    });

    it("B cannot move its own message into A's mailbox", async () => {
      const res = await bia.http.request('POST', `/api/v1/messages/${biaMsg}/move`, { mailboxId: anaInbox });
      await expectError(res, 404, 'not_found');
      const d = await bia.http.json<MessageDetail>('GET', `/api/v1/messages/${biaMsg}`);
      expect(d.mailboxId).toBe((await mailboxes(bia.http)).inbox.id);
      expect((await listAll(ana.http, anaInbox)).map((m) => m.id)).not.toContain(biaMsg);
    });

    it("B's mailbox list never shows A's mailboxes", async () => {
      const biaIds = (await mailboxes(bia.http)).items.map((m) => m.id);
      const anaIds = (await mailboxes(ana.http)).items.map((m) => m.id);
      expect(biaIds.filter((id) => anaIds.includes(id))).toEqual([]);
    });
  });

  describe('ids that are not ids', () => {
    const bad = ['abc', '0', '-1', '1.5', '1e3', '0x10', '%20', '99999999999999999999', '9999999999999999999', '9223372036854775808'];

    it.each(bad)('message id %s → 404 on every route', async (id) => {
      for (const [method, path, body] of [
        ['GET', `/api/v1/messages/${id}`, undefined],
        ['GET', `/api/v1/messages/${id}/raw`, undefined],
        ['GET', `/api/v1/messages/${id}/attachments/0`, undefined],
        ['PATCH', `/api/v1/messages/${id}`, { seen: true }],
        ['POST', `/api/v1/messages/${id}/move`, { mailboxId: '1' }],
        ['DELETE', `/api/v1/messages/${id}`, undefined],
      ] as const) {
        const res = await ana.http.request(method, path, body);
        expect(res.status, `${method} ${path}`).toBe(404);
      }
    });

    it.each(bad)('mailbox id %s → 404', async (id) => {
      await expectError(await ana.http.request('GET', `/api/v1/mailboxes/${id}/messages`), 404, 'not_found');
    });
  });
});
