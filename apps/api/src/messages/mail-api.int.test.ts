import type { ImportMessageResult, MailboxList, MailboxView, MessageDetail, MessageFlagsView, MessageList } from '@correio/contracts';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// Mail for programs over real HTTP against a real database: import a raw message (message/rfc822,
// the APPEND path), read it back parsed / raw / one attachment, flags and keywords (seen by IMAP
// as keywords), move, delete, mailbox create/rename/delete, and every error answer: 400, 404 for
// another account's objects, 413 past the size limit, 415 for another content type.

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x01, 0xff]);
const MAX = 64 * 1024;

const MESSAGE = crlf(
  'From: Bruna <bruna@paulolopes.fr>\nTo: ana@ifsc.edu\nSubject: Imported invoice\nMessage-ID: <imp-1@paulolopes.fr>\n' +
    'Date: Tue, 24 Nov 2026 09:30:00 +0000\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="M"\n\n' +
    '--M\nContent-Type: text/html; charset=utf-8\n\n<p onclick="x()">Pay <b>now</b><script>alert(1)</script></p>\n' +
    `--M\nContent-Type: image/png\nContent-Disposition: attachment; filename="logo.png"\nContent-Transfer-Encoding: base64\n\n${PNG.toString('base64')}\n--M--\n`,
);

describe('mail for programs (REST)', () => {
  let t: TestApp;
  let ana: HttpClient;
  let bia: HttpClient;
  let boxes: MailboxView[];
  const box = (use: string) => boxes.find((b) => b.specialUse === use)!;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_MAX_MESSAGE_BYTES: String(MAX), CORREIO_ROLES: 'http,smtp,imap' });
    for (const a of ['ana', 'bia']) await t.directory.addAccount({ address: `${a}@ifsc.edu`, password: `${a}-password` });
    ana = new HttpClient(t.baseUrl);
    bia = new HttpClient(t.baseUrl);
    expect((await ana.login('ana@ifsc.edu', 'ana-password')).status).toBe(200);
    expect((await bia.login('bia@ifsc.edu', 'bia-password')).status).toBe(200);
    boxes = (await ana.json<MailboxList>('GET', '/api/v1/mailboxes')).items;
  });
  afterAll(() => t?.close());

  function importRaw(http: HttpClient, mailboxId: string, body: Buffer | string, query = '', type = 'message/rfc822') {
    return fetch(`${t.baseUrl}/api/v1/mailboxes/${mailboxId}/messages${query}`, {
      method: 'POST',
      headers: { 'content-type': type, cookie: (http as unknown as { cookie: string }).cookie, 'x-csrf-token': http.csrfToken },
      body,
    });
  }

  describe('import (POST /api/v1/mailboxes/:id/messages, message/rfc822)', () => {
    let imported: ImportMessageResult;

    it('stores the exact bytes with flags, keywords and date, durable before the 201, and reads back parsed, raw and attachment', async () => {
      const res = await importRaw(ana, box('archive').id, MESSAGE, '?flags=seen,flagged&keywords=Invoices,Paid&date=2026-11-24T10:00:00Z');
      expect(res.status).toBe(201);
      imported = (await res.json()) as ImportMessageResult;
      expect(imported).toMatchObject({ mailboxId: box('archive').id, uid: 1, size: MESSAGE.length });
      // Durable and visible at once: the 201 came after COMMIT.
      const list = await ana.json<MessageList>('GET', `/api/v1/mailboxes/${box('archive').id}/messages`);
      expect(list.items.map((m) => [m.id, m.seen, m.flagged, m.receivedAt])).toEqual([
        [imported.id, true, true, '2026-11-24T10:00:00.000Z'],
      ]);

      const detail = await ana.json<MessageDetail>('GET', `/api/v1/messages/${imported.id}`);
      expect(detail.subject).toBe('Imported invoice');
      expect(detail.html).toContain('<b>now</b>');
      expect(detail.html).not.toMatch(/script|onclick/);
      expect(detail.attachments).toEqual([expect.objectContaining({ index: 0, filename: 'logo.png', contentType: 'image/png' })]);
      expect(detail.headers).toContainEqual({ name: 'Message-ID', value: '<imp-1@paulolopes.fr>' });

      const raw = await ana.request('GET', `/api/v1/messages/${imported.id}/raw`);
      expect(raw.headers.get('content-type')).toBe('message/rfc822');
      expect(Buffer.from(await raw.arrayBuffer()).equals(MESSAGE)).toBe(true);
      const att = await ana.request('GET', `/api/v1/messages/${imported.id}/attachments/0`);
      expect(att.status).toBe(200);
      expect(Buffer.from(await att.arrayBuffer()).equals(PNG)).toBe(true);
      expect((await ana.request('GET', `/api/v1/messages/${imported.id}/attachments/1`)).status).toBe(404);
      // Indexed for search like delivered mail.
      const found = await ana.json<{ items: { id: string }[] }>('GET', '/api/v1/messages?q=label:invoices%20in:archive');
      expect(found.items.map((m) => m.id)).toEqual([imported.id]);
    });

    it('IMAP sees the imported message with its flags and keywords (the APPEND path)', async () => {
      const client = new ImapFlow({
        host: '127.0.0.1',
        port: t.imapPorts!.plain,
        secure: false,
        auth: { user: 'ana@ifsc.edu', pass: 'ana-password' },
        logger: false,
        tls: { rejectUnauthorized: false },
      });
      await client.connect();
      try {
        await client.mailboxOpen('Archive');
        const msg = await client.fetchOne('1', { flags: true, source: true }, { uid: true });
        expect(msg && [...msg.flags!].sort()).toEqual(['Invoices', 'Paid', '\\Flagged', '\\Seen']);
        expect(msg && Buffer.from(msg.source!).equals(MESSAGE)).toBe(true);
      } finally {
        await client.logout();
      }
    });

    it('refuses: 415 another content type, 413 past CORREIO_MAX_MESSAGE_BYTES, 400 empty or bad parameters, 404 another account’s mailbox', async () => {
      const inbox = box('inbox').id;
      expect((await importRaw(ana, inbox, '{"a":1}', '', 'application/json')).status).toBe(415);
      expect((await importRaw(ana, inbox, MESSAGE.toString(), '', 'text/plain')).status).toBe(415);
      const big = await importRaw(ana, inbox, Buffer.concat([MESSAGE, Buffer.alloc(MAX, 0x61)]));
      expect(big.status).toBe(413);
      expect(((await big.json()) as { code: string }).code).toBe('too_large');
      expect((await importRaw(ana, inbox, Buffer.alloc(0))).status).toBe(400);
      expect((await importRaw(ana, inbox, MESSAGE, '?flags=deleted')).status).toBe(400);
      expect((await importRaw(ana, inbox, MESSAGE, '?keywords=bad%20word')).status).toBe(400);
      expect((await importRaw(ana, inbox, MESSAGE, '?date=yesterday')).status).toBe(400);
      expect((await importRaw(bia, inbox, MESSAGE)).status).toBe(404);
      expect((await importRaw(ana, '99999999', MESSAGE)).status).toBe(404);
      expect((await importRaw(ana, 'x', MESSAGE)).status).toBe(404);
      // Nothing of the refused imports was stored.
      expect((await ana.json<MessageList>('GET', `/api/v1/mailboxes/${inbox}/messages`)).items).toEqual([]);
    });

    it("another account's message is 404 on every route", async () => {
      for (const [method, path, body] of [
        ['GET', `/api/v1/messages/${imported.id}`],
        ['GET', `/api/v1/messages/${imported.id}/raw`],
        ['GET', `/api/v1/messages/${imported.id}/attachments/0`],
        ['PATCH', `/api/v1/messages/${imported.id}`, { seen: false }],
        ['POST', `/api/v1/messages/${imported.id}/move`, { mailboxId: box('inbox').id }],
        ['DELETE', `/api/v1/messages/${imported.id}`],
      ] as const) {
        const res = await bia.request(method, path, body);
        expect(res.status, `${method} ${path}`).toBe(404);
      }
    });
  });

  describe('flags and keywords (PATCH), move, delete', () => {
    it('adds and removes keywords and system flags in one PATCH; IMAP-visible; 400 for nothing or a bad keyword', async () => {
      const res = await importRaw(ana, box('inbox').id, MESSAGE);
      const { id } = (await res.json()) as ImportMessageResult;
      let view = await ana.json<MessageFlagsView>('PATCH', `/api/v1/messages/${id}`, {
        seen: true,
        answered: true,
        addKeywords: ['Work', 'Urgent'],
      });
      expect(view).toMatchObject({ seen: true, answered: true, flagged: false, keywords: ['Work', 'Urgent'] });
      view = await ana.json<MessageFlagsView>('PATCH', `/api/v1/messages/${id}`, { seen: false, removeKeywords: ['urgent'] });
      expect(view).toMatchObject({ seen: false, answered: true, keywords: ['Work'] });
      expect((await ana.request('PATCH', `/api/v1/messages/${id}`, {})).status).toBe(400);
      expect((await ana.request('PATCH', `/api/v1/messages/${id}`, { addKeywords: ['two words'] })).status).toBe(400);
      expect((await ana.request('PATCH', '/api/v1/messages/99999999', { seen: true })).status).toBe(404);

      const moved = await ana.json<{ id: string; mailboxId: string }>('POST', `/api/v1/messages/${id}/move`, {
        mailboxId: box('archive').id,
      });
      expect(moved.mailboxId).toBe(box('archive').id);
      expect((await ana.request('POST', `/api/v1/messages/${id}/move`, { mailboxId: '99999999' })).status).toBe(404);
      const del = await ana.json<{ result: string; id: string }>('DELETE', `/api/v1/messages/${moved.id}`);
      expect(del.result).toBe('trashed');
      expect((await ana.json<{ result: string }>('DELETE', `/api/v1/messages/${del.id}`)).result).toBe('expunged');
      expect((await ana.request('GET', `/api/v1/messages/${del.id}`)).status).toBe(404);
    });
  });

  describe('mailboxes: create, rename, delete', () => {
    it('creates (with missing parents), renames (children move), deletes (with its mail); 409, 400, 403, 404', async () => {
      const created = await ana.request('POST', '/api/v1/mailboxes', { name: 'Clients/Acme' });
      expect(created.status).toBe(201);
      const acme = (await created.json()) as MailboxView;
      expect(acme).toMatchObject({ name: 'Clients/Acme', specialUse: null, total: 0, unread: 0 });
      const names = async () => (await ana.json<MailboxList>('GET', '/api/v1/mailboxes')).items.map((b) => b.name);
      expect(await names()).toEqual(expect.arrayContaining(['Clients', 'Clients/Acme']));
      expect((await ana.request('POST', '/api/v1/mailboxes', { name: 'Clients/Acme' })).status).toBe(409);
      expect((await ana.request('POST', '/api/v1/mailboxes', { name: 'a//b' })).status).toBe(400);
      expect((await ana.request('POST', '/api/v1/mailboxes', { name: '' })).status).toBe(400);

      await importRaw(ana, acme.id, MESSAGE);
      const clients = (await ana.json<MailboxList>('GET', '/api/v1/mailboxes')).items.find((b) => b.name === 'Clients')!;
      const renamed = await ana.json<MailboxView>('PATCH', `/api/v1/mailboxes/${clients.id}`, { name: 'Customers' });
      expect(renamed).toMatchObject({ id: clients.id, name: 'Customers' });
      expect(await names()).toEqual(expect.arrayContaining(['Customers', 'Customers/Acme']));
      const stillAcme = (await ana.json<MailboxList>('GET', '/api/v1/mailboxes')).items.find((b) => b.id === acme.id)!;
      expect(stillAcme).toMatchObject({ name: 'Customers/Acme', total: 1 });
      expect((await ana.request('PATCH', `/api/v1/mailboxes/${clients.id}`, { name: 'Customers/Acme/Inner' })).status).toBe(403);
      expect((await ana.request('PATCH', `/api/v1/mailboxes/${clients.id}`, { name: 'Archive' })).status).toBe(409);

      // Another account's mailbox: 404 for rename and delete, and nothing changes.
      expect((await bia.request('PATCH', `/api/v1/mailboxes/${acme.id}`, { name: 'Mine' })).status).toBe(404);
      expect((await bia.request('DELETE', `/api/v1/mailboxes/${acme.id}`)).status).toBe(404);

      expect((await ana.request('DELETE', `/api/v1/mailboxes/${acme.id}`)).status).toBe(204);
      expect(await names()).not.toContain('Customers/Acme');
      expect((await ana.request('DELETE', `/api/v1/mailboxes/${acme.id}`)).status).toBe(404);
      expect((await ana.request('DELETE', `/api/v1/mailboxes/${box('inbox').id}`)).status).toBe(403);
      expect((await ana.request('DELETE', `/api/v1/mailboxes/${box('sent').id}`)).status).toBe(403);
    });
  });

  it('documents every route of mail for programs in OpenAPI, with its error answers', async () => {
    type Op = { summary?: string; responses?: Record<string, unknown> };
    const doc = (await (await fetch(`${t.baseUrl}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, Op>>;
      components: { schemas: Record<string, unknown> };
    };
    const routes: [string, string, string[]][] = [
      ['/api/v1/messages', 'get', ['200', '400', '404']],
      ['/api/v1/messages/{id}', 'get', ['200', '404']],
      ['/api/v1/messages/{id}/raw', 'get', ['200', '404']],
      ['/api/v1/messages/{id}/attachments/{index}', 'get', ['200', '404']],
      ['/api/v1/messages/{id}', 'patch', ['200', '400', '404']],
      ['/api/v1/messages/{id}/move', 'post', ['200', '404']],
      ['/api/v1/messages/{id}', 'delete', ['200', '404']],
      ['/api/v1/mailboxes', 'post', ['201', '400', '409']],
      ['/api/v1/mailboxes/{id}', 'patch', ['200', '404', '409']],
      ['/api/v1/mailboxes/{id}', 'delete', ['204', '403', '404']],
      ['/api/v1/mailboxes/{id}/messages', 'post', ['201', '404', '413', '415']],
      ['/api/v1/messages/send', 'post', ['201', '400', '409', '413']],
      ['/api/v1/messages/send/{queueId}', 'get', ['200', '404']],
    ];
    for (const [path, method, statuses] of routes) {
      const op = doc.paths[path]?.[method];
      expect(op?.summary, `${method} ${path}`).toEqual(expect.any(String));
      expect(Object.keys(op?.responses ?? {}), `${method} ${path}`).toEqual(expect.arrayContaining(statuses));
      // Every schema the operation names is in the document (a client can be generated from it).
      for (const ref of JSON.stringify(op).match(/#\/components\/schemas\/\w+/g) ?? []) {
        expect(doc.components.schemas[ref.split('/').pop()!], `${method} ${path} ${ref}`).toBeDefined();
      }
    }
  });
});
